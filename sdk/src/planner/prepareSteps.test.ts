import {
  type Address,
  type Client,
  createClient,
  custom,
  decodeFunctionData,
  encodeFunctionResult,
  erc20Abi,
  type Hex,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { oftAbi } from '../abi/oftAbi.js'
import type { PlannerInput } from './PlannerInput.js'
import { planRebalance } from './planRebalance.js'
import { prepareSteps } from './prepareSteps.js'
import { prepareTransfers } from './prepareTransfers.js'
import type { RebalancePlan } from './RebalancePlan.js'

const USD = 10n ** 18n
const ETH = 10n ** 18n
const usdc = (whole: bigint) => whole * 10n ** 6n
const TREASURY = '0x000000000000000000000000000000000000bEEF' as const
const ROUTER = '0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D' as const
const WETH_TOKEN = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' as const
const USDC_TOKEN = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' as const
const ADAPTER = '0x00000000000000000000000000000000000000A1' as const
const OFT = '0x00000000000000000000000000000000000000A2' as const
const FEE = 7_000n

/**
 * The four views the preparation reads, answered from a table: the sdk cannot start the devnet
 * (the devnet depends on the sdk), and the same calls run against real contracts in
 * test/plannerSwapDevnet.test.ts. Chain 1 is USDC's home (an adapter that pulls the ERC-20).
 */
function viewClients(allowances: Record<string, bigint>) {
  const reads: string[] = []
  const abi = [...oftAbi, ...erc20Abi]
  const clientFor = (chainId: number): Client =>
    createClient({
      transport: custom({
        async request({ method, params }) {
          if (method === 'eth_chainId') return `0x${chainId.toString(16)}`
          if (method !== 'eth_call') throw new Error(`unexpected ${method}`)
          const [{ to, data }] = params as [{ to: Address; data: Hex }]
          const call = decodeFunctionData({ abi, data })
          reads.push(`${chainId}:${call.functionName}`)
          const answer = (result: unknown) =>
            encodeFunctionResult({ abi, functionName: call.functionName, result } as never)
          switch (call.functionName) {
            case 'token':
              return answer(USDC_TOKEN)
            case 'approvalRequired':
              return answer(to.toLowerCase() === ADAPTER.toLowerCase())
            case 'quoteSend':
              return answer({ nativeFee: FEE, lzTokenFee: 0n })
            case 'allowance': {
              const [owner, spender] = call.args as [Address, Address]
              return answer(allowances[`${chainId}|${to}|${owner}|${spender}`.toLowerCase()] ?? 0n)
            }
            default:
              throw new Error(`unexpected call ${call.functionName}`)
          }
        },
      }),
    })
  return { clients: { 1: clientFor(1), 10: clientFor(10), 42161: clientFor(42161) }, reads }
}

const ofts = { USDC: { 1: ADAPTER, 10: OFT, 42161: OFT } }

/**
 * Ethereum holds 1 WETH and 1,000 USDC, 75% volatile against a pooled 40% limit; optimism needs 500
 * USDC and arbitrum 1,000, reachable only through optimism: a swap, then a bridge, then a relay.
 */
function swapBridgeRelay(): PlannerInput {
  return {
    chains: [
      { chainId: 1, name: 'ethereum' },
      { chainId: 10, name: 'optimism' },
      { chainId: 42161, name: 'arbitrum' },
    ],
    assets: [
      { symbol: 'USDC', decimals: 6, priceUsd: USD },
      { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
    ],
    nodes: [
      { chainId: 1, asset: 'WETH', balance: ETH, target: 0n, address: TREASURY },
      { chainId: 1, asset: 'USDC', balance: usdc(1000n), target: 0n, address: TREASURY },
      { chainId: 10, asset: 'USDC', balance: 0n, target: usdc(500n), address: TREASURY },
      { chainId: 42161, asset: 'USDC', balance: 0n, target: usdc(1000n), address: TREASURY },
    ],
    routes: [
      { asset: 'USDC', from: { chainId: 1 }, to: { chainId: 10 }, feeBps: 5n, latencySeconds: 60 },
      { asset: 'USDC', from: { chainId: 10 }, to: { chainId: 42161 }, feeBps: 5n, latencySeconds: 60 },
    ],
    swaps: {
      venues: [
        {
          chainId: 1,
          assets: ['WETH', 'USDC'],
          tokens: [WETH_TOKEN, USDC_TOKEN],
          reserves: [1000n * ETH, usdc(3_000_000n)],
          feeBps: 30n,
          router: ROUTER,
        },
      ],
      targets: [{ id: 'pool', volatileAssets: ['WETH'], maxVolatileShareBps: 4000n }],
      slippageBps: 50n,
      deadline: 1_700_000_600n,
    },
  }
}

describe('prepareSteps', () => {
  it('orders the swap, the bridge and the relay by wave, each waiting for the deliveries it spends', async () => {
    const plan = planRebalance(swapBridgeRelay())
    expect(plan.feasible).toBe(true)
    const { clients } = viewClients({})
    const steps = await prepareSteps({ plan, clients, ofts })
    expect(steps.map((s) => [s.kind, s.wave, s.chainId, s.from])).toEqual([
      ['swap', 0, 1, TREASURY],
      ['transfer', 1, 1, TREASURY],
      ['transfer', 2, 10, TREASURY],
    ])
    const [swap, bridge, relay] = steps as [(typeof steps)[0], (typeof steps)[0], (typeof steps)[0]]
    // The swap: the plan's approval and router call, sent by the seller.
    if (swap.kind !== 'swap') throw new Error('first step is not the swap')
    expect(swap.swap).toBe(plan.swaps![0])
    expect(swap.approval).toEqual({ chainId: 1, from: TREASURY, value: 0n, ...plan.swaps![0]!.approveCall })
    expect(swap.transaction).toEqual({ chainId: 1, from: TREASURY, ...plan.swaps![0]!.call })
    expect(swap.waitsFor).toEqual([])
    // The bridge spends the swap's output on the same chain (sent after its receipt): no delivery.
    if (bridge.kind !== 'transfer') throw new Error('second step is not a transfer')
    expect(bridge.prepared.transfer).toMatchObject({ from: { chainId: 1 }, to: { chainId: 10 } })
    expect(bridge.waitsFor).toEqual([])
    expect(bridge.approval?.to).toBe(USDC_TOKEN)
    expect(decodeFunctionData({ abi: erc20Abi, data: bridge.approval!.data }).args).toEqual([
      ADAPTER,
      bridge.prepared.transfer.amount,
    ])
    expect(bridge.transaction).toMatchObject({ to: ADAPTER, value: FEE })
    // The relay out of optimism spends what the bridge delivers there.
    if (relay.kind !== 'transfer') throw new Error('third step is not a transfer')
    expect(relay.waitsFor).toEqual([bridge.prepared.transfer])
    expect(relay.approval).toBeUndefined()
    expect(relay.transaction).toMatchObject({ chainId: 10, to: OFT, value: FEE })
    expect(bridge.prepared.transfer.amount).toBe(usdc(1500n))
    expect(relay.prepared.transfer.amount).toBe(usdc(1000n))
  })

  it('waits for deliveries into either book of a swap after bridges', async () => {
    const plan = planRebalance(swapBridgeRelay())
    // An after-bridges sale on arbitrum at wave 3 (as planWithSwaps times one after the relay).
    const late = { ...plan.swaps![0]!, chainId: 42161, phase: 'after-bridges' as const, wave: 3 }
    const withLate: RebalancePlan = { ...plan, swaps: [late, ...plan.swaps!] }
    const steps = await prepareSteps({ plan: withLate, clients: viewClients({}).clients, ofts })
    expect(steps.map((s) => [s.kind, s.wave])).toEqual([
      ['swap', 0],
      ['transfer', 1],
      ['transfer', 2],
      ['swap', 3],
    ])
    const relay = plan.transfers.find((t) => t.to.chainId === 42161)!
    expect(steps[3]!.waitsFor).toEqual([relay])
  })

  it('skips approvals the allowance covers, counting what earlier steps spend', async () => {
    const plan = planRebalance(swapBridgeRelay())
    const sold = plan.swaps![0]!.amountIn
    const bridged = plan.transfers[0]!.amount
    const key = (token: Address, spender: Address) => `1|${token}|${TREASURY}|${spender}`.toLowerCase()
    // Enough for the sale; one unit short for the bridge.
    const { clients, reads } = viewClients({
      [key(WETH_TOKEN, ROUTER)]: sold,
      [key(USDC_TOKEN, ADAPTER)]: bridged - 1n,
    })
    const steps = await prepareSteps({ plan, clients, ofts })
    expect(steps[0]!.approval).toBeUndefined()
    expect(steps[1]!.approval).toBeDefined()
    expect(reads.filter((r) => r.endsWith('allowance'))).toEqual(['1:allowance', '1:allowance'])
  })

  it('approves the second of two sends through one adapter when the allowance covers only the first', async () => {
    const input = swapBridgeRelay()
    const plain: PlannerInput = {
      ...input,
      nodes: input.nodes.map((n) =>
        n.chainId === 1 && n.asset === 'USDC' ? { ...n, balance: usdc(2000n) } : n,
      ),
      routes: [
        { asset: 'USDC', from: { chainId: 1 }, to: { chainId: 10 }, feeBps: 5n, latencySeconds: 60 },
        { asset: 'USDC', from: { chainId: 1 }, to: { chainId: 42161 }, feeBps: 5n, latencySeconds: 60 },
      ],
      swaps: undefined,
    }
    const plan = planRebalance(plain)
    expect(plan.transfers.map((t) => [t.to.chainId, t.amount, t.wave])).toEqual([
      [10, usdc(500n), 0],
      [42161, usdc(1000n), 0],
    ])
    const allowances = { [`1|${USDC_TOKEN}|${TREASURY}|${ADAPTER}`.toLowerCase()]: usdc(1200n) }
    const steps = await prepareSteps({ plan, clients: viewClients(allowances).clients, ofts })
    // 1,200 covers the 500 but not the 1,000 after it.
    expect(steps.map((s) => s.approval === undefined)).toEqual([true, false])
    // Without swaps, prepareSteps prepares exactly what prepareTransfers does.
    const transfers = await prepareTransfers({ plan, clients: viewClients(allowances).clients, ofts })
    expect(steps.map((s) => (s.kind === 'transfer' ? s.prepared : undefined))).toEqual(transfers)
    expect(steps.every((s) => s.waitsFor.length === 0)).toBe(true)
  })

  it('refuses a swap without a seller address, and a chain without a client', async () => {
    const input = swapBridgeRelay()
    const anonymousSeller = planRebalance({
      ...input,
      nodes: input.nodes.map((n) => (n.asset === 'WETH' ? { ...n, address: undefined } : n)),
    })
    // The buyer's address makes the router call; no one is named to sign it.
    expect(anonymousSeller.swaps![0]!.call).toBeDefined()
    await expect(
      prepareSteps({ plan: anonymousSeller, clients: viewClients({}).clients, ofts }),
    ).rejects.toThrow(/Swap without holder address/)
    const { 10: optimism, 42161: arbitrum } = viewClients({}).clients
    await expect(
      prepareSteps({ plan: planRebalance(input), clients: { 10: optimism, 42161: arbitrum }, ofts }),
    ).rejects.toThrow(/No client for chain 1/)
  })
})
