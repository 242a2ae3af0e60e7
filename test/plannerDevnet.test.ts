import { type Devnet, startDevnet } from '@ballast/devnet'
import { oftAbi } from '@ballast/sdk'
import {
  chainIdToEndpointId,
  formatPlan,
  type PlannerInput,
  type PlannerRoute,
  planRebalance,
  prepareTransfers,
  quoteSend,
} from '@ballast/sdk/planner'
import { type Address, erc20Abi, parseAbi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The planner end to end on the devnet: real anvil chains, the production LayerZero EndpointV2 with
// SimpleMessageLib, OFTAdapter (home chain) and OFTs, the devnet's relayer. A treasury holds USDC on
// the home chain only; the other chains are below target. Plan, execute the prepared transactions
// with viem, relay, re-read the chains.
let devnet: Devnet | undefined

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 3,
    scenario: 'steady',
    seed: 21,
    steps: 0,
    relay: 'manual',
    confirmations: 0,
  })
})

afterAll(async () => {
  await devnet?.stop()
})

const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])

describe('planner on the devnet', () => {
  it('plans, executes and relays transfers that meet every target, paying exactly the quoted fees', async () => {
    const d = devnet!
    const usdc = d.manifest.assets.find((a) => a.symbol === 'USDC')!
    const chains = d.chains
    const home = chains.find((c) => c.chainId === usdc.homeChainId)!
    const others = chains.filter((c) => c !== home)
    // A dev account the scenario does not use: the pool treasury on every chain.
    const treasury = d.deployment.accounts[d.deployment.accounts.length - 1]!
    const one = 10n ** BigInt(usdc.decimals)
    const minted = await home.wallet.writeContract({
      account: d.deployment.deployer,
      chain: home.chain,
      address: usdc.tokens[home.chainId]!.token,
      abi: mintAbi,
      functionName: 'mint',
      args: [treasury, 1_000n * one],
    })
    // anvil answers a sent transaction before it mines it: read balances after the receipt.
    const mintReceipt = await home.public.waitForTransactionReceipt({ hash: minted, pollingInterval: 50 })
    expect(mintReceipt.status).toBe('success')
    const balanceOf = (chainId: number) =>
      chains
        .find((c) => c.chainId === chainId)!
        .public.readContract({
          address: usdc.tokens[chainId]!.token,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [treasury],
        })
    const before = new Map<number, bigint>()
    for (const c of chains) before.set(c.chainId, await balanceOf(c.chainId))
    const targets = new Map<number, bigint>([
      [home.chainId, 400n * one],
      [others[0]!.chainId, before.get(others[0]!.chainId)! + 250n * one],
      [others[1]!.chainId, before.get(others[1]!.chainId)! + 150n * one],
    ])

    // Routes between every pair; the fixed fee is the quoted native fee valued at 3,000 USD per ETH.
    const endpointIds = Object.fromEntries(chains.map((c) => [c.chainId, c.eid]))
    const routes: PlannerRoute[] = []
    for (const from of chains) {
      for (const to of chains) {
        if (from === to) continue
        const fee = await quoteSend(from.public, usdc.tokens[from.chainId]!.oft, {
          dstEid: chainIdToEndpointId(to.chainId, endpointIds),
          to: `0x${treasury.slice(2).padStart(64, '0')}`,
          amountLD: one,
          minAmountLD: one,
          extraOptions: '0x0003',
          composeMsg: '0x',
          oftCmd: '0x',
        })
        routes.push({
          asset: 'USDC',
          from: { chainId: from.chainId },
          to: { chainId: to.chainId },
          fixedFeeUsd: fee.nativeFee * 3000n,
          latencySeconds: 60,
        })
      }
    }
    const input: PlannerInput = {
      chains: chains.map((c) => ({ chainId: c.chainId, name: c.name })),
      assets: [{ symbol: 'USDC', decimals: usdc.decimals, priceUsd: 10n ** 18n }],
      nodes: chains.map((c) => ({
        chainId: c.chainId,
        asset: 'USDC',
        balance: before.get(c.chainId)!,
        target: targets.get(c.chainId)!,
        address: treasury,
      })),
      routes,
    }
    const plan = planRebalance(input)
    expect(plan.feasible, formatPlan(plan)).toBe(true)
    expect(plan.transfers.map((t) => [t.from.chainId, t.to.chainId, t.amount])).toEqual(
      expect.arrayContaining([
        [home.chainId, others[0]!.chainId, 250n * one],
        [home.chainId, others[1]!.chainId, 150n * one],
      ]),
    )

    const clients = Object.fromEntries(chains.map((c) => [c.chainId, c.public]))
    const ofts = { USDC: Object.fromEntries(chains.map((c) => [c.chainId, usdc.tokens[c.chainId]!.oft])) }
    const prepared = await prepareTransfers({ plan, clients, ofts, endpointIds, slippageBps: 0 })
    expect(prepared).toHaveLength(plan.transfers.length)

    const deliveredBefore = d.relayer.delivered.length
    for (const p of prepared) {
      const chain = chains.find((c) => c.chainId === p.transaction.chainId)!
      // The home chain's OFTAdapter pulls the ERC-20: an approval comes first.
      expect(p.approval !== undefined).toBe(chain === home)
      const send = async (request: { to: Address; data: `0x${string}`; value: bigint }) => {
        const hash = await chain.wallet.sendTransaction({ account: treasury, chain: chain.chain, ...request })
        const receipt = await chain.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
        expect(receipt.status).toBe('success')
        return receipt
      }
      if (p.approval !== undefined) await send(p.approval)
      const ethBefore = await chain.public.getBalance({ address: treasury })
      const receipt = await send(p.transaction)
      const ethAfter = await chain.public.getBalance({ address: treasury })
      // Fees as quoted: the treasury paid gas plus exactly the quoted native fee.
      expect(ethBefore - ethAfter).toBe(receipt.gasUsed * receipt.effectiveGasPrice + p.fee!.nativeFee)
      expect(p.transaction.value).toBe(p.fee!.nativeFee)
      const [sent] = parseEventLogs({ abi: oftAbi, logs: receipt.logs, eventName: 'OFTSent' })
      expect(sent!.args.amountSentLD).toBe(p.transfer.amount)
      expect(sent!.args.amountReceivedLD).toBe(p.transfer.amount)
      expect(sent!.args.dstEid).toBe(p.sendParam!.dstEid)
    }

    // Relay until every packet is delivered (a real condition, polled).
    const delivering = () =>
      d.relayer.pending().length > 0 || d.relayer.delivered.length < deliveredBefore + prepared.length
    for (let round = 0; round < 50 && delivering(); round++) {
      await d.relayer.poll()
      for (const c of chains) await c.test.mine({ blocks: 1 })
    }
    expect(d.relayer.errors).toEqual([])
    expect(d.relayer.pending()).toEqual([])

    for (const node of plan.nodes) {
      const now = await balanceOf(node.chainId)
      expect(now).toBe(node.after)
      expect(now >= node.target).toBe(true)
    }
  })
})
