import {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  type Devnet,
  type DevnetChainHandle,
  deployUniswapV2Factory,
  deployUniswapV2Router02,
  deployWeth9,
  readUniswapV2Reserves,
  sendOft,
  startDevnet,
  write,
} from '@ballast/devnet'
import { oftAbi } from '@ballast/sdk'
import {
  chainIdToEndpointId,
  formatPlan,
  type PlannedTransfer,
  type PlannerInput,
  type PlannerRoute,
  planRebalance,
  prepareSteps,
  quoteSend,
  type TransactionRequest,
} from '@ballast/sdk/planner'
import { erc20Abi, type Hash, parseAbi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A de-risking that needs a sale split across two venues and two bridge legs, executed step by step
// on the devnet: real anvil chains, LayerZero EndpointV2 with the devnet relayer, the USDC OFTAdapter
// (chain A) and OFTs, two Uniswap V2 factories, pairs and Router02s from their npm builds on chain B
// (WETH's home), the second pair a quarter as deep at the same price. The treasury
// holds only WETH, on B, against a pooled limit of 40% volatile; A and C are short of USDC and C is
// reachable only through A. Plan, prepare every step, run them wave by wave relaying deliveries in
// between, re-read the chains.
let devnet: Devnet | undefined

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 3,
    scenario: 'steady',
    seed: 34,
    steps: 0,
    relay: 'manual',
    confirmations: 0,
  })
})

afterAll(async () => {
  await devnet?.stop()
})

const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])
const USD = 10n ** 18n

describe('planner swaps on the devnet', () => {
  it('splits the WETH sale across two Router02 venues at equal marginal rates, bridges and relays the output, and meets the composition and node targets', async () => {
    const d = devnet!
    const asset = (symbol: string) => d.manifest.assets.find((a) => a.symbol === symbol)!
    const usdc = asset('USDC')
    const weth = asset('WETH')
    const chainOf = (chainId: number) => d.chains.find((c) => c.chainId === chainId)!
    const a = chainOf(usdc.homeChainId)
    const b = chainOf(weth.homeChainId)
    const c = d.chains.find((x) => x !== a && x !== b)!
    const deployer = d.deployment.deployer
    // A dev account the scenario does not use: the pool treasury on every chain.
    const treasury = d.deployment.accounts[d.deployment.accounts.length - 1]!
    const oneUsdc = 10n ** 6n
    const oneEth = 10n ** 18n

    // The pair's USDC comes from A over the bridge (B's USDC is the OFT); WETH is minted on its home.
    await write(a, deployer, usdc.tokens[a.chainId]!.token, mintAbi, 'mint', [deployer, 3_750_000n * oneUsdc])
    const seeded = await sendOft({
      chain: a,
      oft: usdc.tokens[a.chainId]!.oft,
      from: deployer,
      dstEid: b.eid,
      to: deployer,
      amount: 3_750_000n * oneUsdc,
    })
    await relayUntil(d, [seeded.transactionHash])
    await write(b, deployer, weth.tokens[b.chainId]!.token, mintAbi, 'mint', [deployer, 1250n * oneEth])
    await write(b, deployer, weth.tokens[b.chainId]!.token, mintAbi, 'mint', [treasury, oneEth])
    // Two factories (one pair per token pair each): 1,000 WETH / 3,000,000 USDC and a quarter of that.
    const venueOn = async (depth: bigint, id: string) => {
      const factory = await deployUniswapV2Factory(b, deployer)
      const pair = await createUniswapV2Pair(
        b,
        deployer,
        factory,
        weth.tokens[b.chainId]!.token,
        usdc.tokens[b.chainId]!.token,
      )
      const wethIs0 = pair.token0.toLowerCase() === weth.tokens[b.chainId]!.token.toLowerCase()
      await addUniswapV2Liquidity(b, {
        from: deployer,
        pair,
        amount0: wethIs0 ? depth * oneEth : depth * 3000n * oneUsdc,
        amount1: wethIs0 ? depth * 3000n * oneUsdc : depth * oneEth,
      })
      const router = await deployUniswapV2Router02(b, deployer, {
        factory,
        weth: await deployWeth9(b, deployer),
      })
      const reserves = await readUniswapV2Reserves(b, pair.pair)
      const [wethReserve, usdcReserve] = wethIs0
        ? [reserves.reserve0, reserves.reserve1]
        : [reserves.reserve1, reserves.reserve0]
      expect([wethReserve, usdcReserve]).toEqual([depth * oneEth, depth * 3000n * oneUsdc])
      return {
        id,
        chainId: b.chainId,
        assets: ['WETH', 'USDC'] as const,
        tokens: [weth.tokens[b.chainId]!.token, usdc.tokens[b.chainId]!.token] as const,
        reserves: [wethReserve, usdcReserve] as const,
        feeBps: 30n,
        router,
      }
    }
    const venues = [await venueOn(1000n, 'b:deep'), await venueOn(250n, 'b:shallow')]

    const balanceOf = (symbol: 'USDC' | 'WETH', chain: DevnetChainHandle) =>
      chain.public.readContract({
        address: asset(symbol).tokens[chain.chainId]!.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [treasury],
      })
    const books = async () => {
      const out = new Map<string, bigint>()
      for (const chain of d.chains) {
        for (const symbol of ['USDC', 'WETH'] as const)
          out.set(`${chain.chainId}|${symbol}`, await balanceOf(symbol, chain))
      }
      return out
    }
    const before = await books()
    expect(before.get(`${b.chainId}|WETH`)).toBe(oneEth)
    const need = new Map([
      [a.chainId, 500n * oneUsdc],
      [c.chainId, 1000n * oneUsdc],
    ])

    // USDC routes B -> A and A -> C only (C through A); the fixed fee is the quoted native fee at
    // 3,000 USD per ETH.
    const endpointIds = Object.fromEntries(d.chains.map((x) => [x.chainId, x.eid]))
    const routes: PlannerRoute[] = []
    for (const [from, to] of [
      [b, a],
      [a, c],
    ] as const) {
      const fee = await quoteSend(from.public, usdc.tokens[from.chainId]!.oft, {
        dstEid: chainIdToEndpointId(to.chainId, endpointIds),
        to: `0x${treasury.slice(2).padStart(64, '0')}`,
        amountLD: oneUsdc,
        minAmountLD: oneUsdc,
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
    const deadline = (await b.public.getBlock()).timestamp + 3600n
    const input: PlannerInput = {
      chains: d.chains.map((x) => ({ chainId: x.chainId, name: x.name })),
      assets: [
        { symbol: 'USDC', decimals: usdc.decimals, priceUsd: USD },
        { symbol: 'WETH', decimals: weth.decimals, priceUsd: 3000n * USD },
      ],
      nodes: d.chains.flatMap((x) =>
        (['USDC', 'WETH'] as const).map((symbol) => {
          const balance = before.get(`${x.chainId}|${symbol}`)!
          return {
            chainId: x.chainId,
            asset: symbol,
            balance,
            target: symbol === 'USDC' ? balance + (need.get(x.chainId) ?? 0n) : 0n,
            address: treasury,
          }
        }),
      ),
      routes,
      swaps: {
        venues,
        targets: [{ id: 'treasury', volatileAssets: ['WETH'], maxVolatileShareBps: 4000n }],
        slippageBps: 50n,
        deadline,
      },
    }
    const plan = planRebalance(input)
    expect(plan.feasible, formatPlan(plan)).toBe(true)
    expect(plan.swaps).toHaveLength(2)
    const deep = plan.swaps!.find((x) => x.venueId === 'b:deep')!
    const shallow = plan.swaps!.find((x) => x.venueId === 'b:shallow')!
    for (const swap of [deep, shallow]) {
      expect(swap).toMatchObject({ chainId: b.chainId, assetIn: 'WETH', assetOut: 'USDC', wave: 0 })
    }
    // Same price and fee, four times the depth: equal marginal rates at four times the amount
    // (R_deep (R_shallow B + a g) = R_shallow (R_deep B + b g) gives b = 4 a).
    const ratioGap = deep.amountIn - 4n * shallow.amountIn
    expect(ratioGap <= 8n && ratioGap >= -8n, `${deep.amountIn} vs ${shallow.amountIn}`).toBe(true)
    expect(plan.transfers.map((t) => [t.from.chainId, t.to.chainId, t.amount, t.wave])).toEqual([
      [b.chainId, a.chainId, 1500n * oneUsdc, 1],
      [a.chainId, c.chainId, 1000n * oneUsdc, 2],
    ])

    const clients = Object.fromEntries(d.chains.map((x) => [x.chainId, x.public]))
    const ofts = { USDC: Object.fromEntries(d.chains.map((x) => [x.chainId, usdc.tokens[x.chainId]!.oft])) }
    const steps = await prepareSteps({ plan, clients, ofts, endpointIds })
    expect(steps.map((s) => [s.kind, s.wave, s.chainId, s.from])).toEqual([
      ['swap', 0, b.chainId, treasury],
      ['swap', 0, b.chainId, treasury],
      ['transfer', 1, b.chainId, treasury],
      ['transfer', 2, a.chainId, treasury],
    ])
    // Each router needs its approval; B's OFT burns (none); A's adapter pulls the ERC-20 (one).
    expect(steps.map((s) => s.approval !== undefined)).toEqual([true, true, false, true])
    // The relay out of A spends what the first leg delivers there.
    expect(steps[3]!.waitsFor).toEqual([plan.transfers[0]])

    const sentBy = new Map<PlannedTransfer, Hash>()
    const send = async (request: TransactionRequest) => {
      expect(request.from).toBe(treasury)
      const chain = chainOf(request.chainId)
      const hash = await chain.wallet.sendTransaction({
        account: treasury,
        chain: chain.chain,
        to: request.to,
        data: request.data,
        value: request.value,
      })
      const receipt = await chain.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
      expect(receipt.status).toBe('success')
      return receipt
    }
    const swapOutputs = new Map<string, bigint>()
    for (const step of steps) {
      // Deliveries first: relay until every transfer the step waits for has landed.
      await relayUntil(
        d,
        step.waitsFor.map((t) => sentBy.get(t)!),
      )
      if (step.approval !== undefined) await send(step.approval)
      if (step.kind === 'swap') {
        const usdcBefore = await balanceOf('USDC', b)
        await send(step.transaction)
        swapOutputs.set(step.swap.venueId, (await balanceOf('USDC', b)) - usdcBefore)
        continue
      }
      const receipt = await send(step.transaction)
      expect(step.transaction.value).toBe(step.prepared.fee!.nativeFee)
      const [sent] = parseEventLogs({ abi: oftAbi, logs: receipt.logs, eventName: 'OFTSent' })
      expect(sent!.args.amountReceivedLD).toBe(step.prepared.transfer.amount)
      sentBy.set(step.prepared.transfer, receipt.transactionHash)
    }
    await relayUntil(d, [...sentBy.values()])
    expect(d.relayer.errors).toEqual([])
    expect(d.relayer.pending()).toEqual([])

    // Each router paid the constant-product output at the reserves the plan read, at or above the
    // bound the plan counted.
    let extraUsdc = 0n
    for (const swap of [deep, shallow]) {
      expect(swapOutputs.get(swap.venueId)).toBe(swap.expectedAmountOut)
      expect(swap.expectedAmountOut >= swap.minimumAmountOut).toBe(true)
      extraUsdc += swap.expectedAmountOut - swap.minimumAmountOut
    }
    const after = await books()
    for (const node of plan.nodes) {
      const now = after.get(`${node.chainId}|${node.asset}`)!
      // The plan counts the swaps' outputs at their minimum; the chain holds what the routers paid.
      const extra = node.chainId === b.chainId && node.asset === 'USDC' ? extraUsdc : 0n
      expect(now, `${node.chainName} ${node.asset}`).toBe(node.after + extra)
      expect(now >= node.target).toBe(true)
    }
    // The composition limit, re-read: WETH at most 40% of the treasury's value at 3,000 and 1 USD.
    let wethUsd = 0n
    let usdcUsd = 0n
    for (const [key, amount] of after) {
      if (key.endsWith('|WETH')) wethUsd += amount * 3000n
      else usdcUsd += amount * 10n ** 12n
    }
    expect(wethUsd * 10_000n <= 4000n * (wethUsd + usdcUsd)).toBe(true)
    expect(plan.composition).toEqual([expect.objectContaining({ targetId: 'treasury', met: true })])
  })
})

/** Relays, mining a block per round, until a packet sent by each of `sources` is delivered. */
async function relayUntil(d: Devnet, sources: readonly Hash[]): Promise<void> {
  const delivered = () => sources.every((h) => d.relayer.delivered.some((x) => x.srcTxHash === h))
  for (let round = 0; round < 50 && !delivered(); round++) {
    await d.relayer.poll()
    for (const chain of d.chains) await chain.test.mine({ blocks: 1 })
  }
  expect(d.relayer.errors).toEqual([])
  expect(delivered()).toBe(true)
}
