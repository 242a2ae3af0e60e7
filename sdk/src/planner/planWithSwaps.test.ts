import fc from 'fast-check'
import { decodeFunctionData, erc20Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { uniswapV2RouterSwapAbi } from './encodeSwapExactTokensForTokens.js'
import { formatPlan } from './formatPlan.js'
import type { PlannerInput } from './PlannerInput.js'
import { planRebalance } from './planRebalance.js'
import { randomPlannerInput } from './randomPlannerInput.js'
import type { SwapSettings } from './SwapSettings.js'
import { sizeDeRiskingSwap } from './sizeDeRiskingSwap.js'

const USD = 10n ** 18n
const ETH = 10n ** 18n
const usdc = (whole: bigint) => whole * 10n ** 6n
const WETH_TOKEN = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2' as const
const USDC_TOKEN = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' as const
const ROUTER = '0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D' as const
const TREASURY = '0x000000000000000000000000000000000000bEEF' as const

/** Uniswap V2's getAmountOut at 30 bps (`a 997 R_out / (R_in 1000 + a 997)`), written apart. */
const v2Out = (a: bigint, rIn: bigint, rOut: bigint) => (a * 997n * rOut) / (rIn * 1000n + a * 997n)

/**
 * Whether WETH is at most `maxBps` of the value, from USD amounts valued apart (18-decimal USD,
 * WETH at 3,000, USDC at 1; both exact here).
 */
const wethShareOk = (weth: bigint, usdcAmount: bigint, maxBps: bigint) => {
  const wethUsd = weth * 3000n
  const usdcUsd = usdcAmount * 10n ** 12n
  return wethUsd * 10_000n <= maxBps * (wethUsd + usdcUsd)
}

function venue(chainId: number, weth: bigint, usdcReserve: bigint): SwapSettings['venues'][number] {
  return {
    chainId,
    assets: ['WETH', 'USDC'],
    tokens: [WETH_TOKEN, USDC_TOKEN],
    reserves: [weth, usdcReserve],
    feeBps: 30n,
    router: ROUTER,
  }
}

/** Ethereum holds 1 WETH and 1,000 USDC; arbitrum needs 1,500 USDC, which only a swap provides. */
function swapThenBridge(): PlannerInput {
  return {
    chains: [
      { chainId: 1, name: 'ethereum' },
      { chainId: 42161, name: 'arbitrum' },
    ],
    assets: [
      { symbol: 'USDC', decimals: 6, priceUsd: USD },
      { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
    ],
    nodes: [
      { chainId: 1, asset: 'WETH', balance: ETH, target: 0n, address: TREASURY },
      { chainId: 1, asset: 'USDC', balance: usdc(1000n), target: 0n, address: TREASURY },
      { chainId: 42161, asset: 'USDC', balance: 0n, target: usdc(1500n) },
    ],
    routes: [{ asset: 'USDC', from: { chainId: 1 }, to: { chainId: 42161 }, feeBps: 5n, latencySeconds: 60 }],
    swaps: {
      venues: [venue(1, 1000n * ETH, usdc(3_000_000n))],
      targets: [{ id: 'pool', volatileAssets: ['WETH'], maxVolatileShareBps: 4000n }],
      slippageBps: 50n,
      deadline: 1_700_000_600n,
    },
  }
}

describe('planRebalance with swaps', () => {
  it('swaps WETH for USDC on ethereum, then bridges the output; the pooled target holds at the minimum output', () => {
    const plan = planRebalance(swapThenBridge())
    expect(plan.swaps).toHaveLength(1)
    const swap = plan.swaps![0]!
    expect(swap).toMatchObject({
      chainId: 1,
      assetIn: 'WETH',
      assetOut: 'USDC',
      phase: 'before-bridges',
      wave: 0,
    })
    // Independent figures: V2's formula, the slippage bound, and the least amount meeting 40%.
    const out = v2Out(swap.amountIn, 1000n * ETH, usdc(3_000_000n))
    expect(swap.expectedAmountOut).toBe(out)
    expect(swap.minimumAmountOut).toBe((out * 9950n) / 10_000n)
    expect(wethShareOk(ETH - swap.amountIn, usdc(1000n) + swap.minimumAmountOut, 4000n)).toBe(true)
    const less = v2Out(swap.amountIn - 1n, 1000n * ETH, usdc(3_000_000n))
    expect(wethShareOk(ETH - swap.amountIn + 1n, usdc(1000n) + (less * 9950n) / 10_000n, 4000n)).toBe(false)
    // The scope holds exactly two books, so sizeDeRiskingSwap must agree.
    const alone = sizeDeRiskingSwap({
      volatile: { symbol: 'WETH', decimals: 18, amount: ETH, priceUsd: 3000n * USD },
      stable: { symbol: 'USDC', decimals: 6, amount: usdc(1000n), priceUsd: USD },
      pool: { reserveIn: 1000n * ETH, reserveOut: usdc(3_000_000n), feeBps: 30n },
      maxVolatileShareBps: 4000n,
      slippageBps: 50n,
    })
    expect(swap.amountIn).toBe(alone.amountIn)
    expect(swap.priceImpactPpm).toBe(alone.priceImpactPpm)
    // The bridge spends the swap's output, so it runs in the next wave.
    expect(plan.transfers).toHaveLength(1)
    expect(plan.transfers[0]).toMatchObject({ asset: 'USDC', amount: usdc(1500n), wave: 1 })
    expect(plan.feasible).toBe(true)
    expect(plan.composition).toEqual([
      expect.objectContaining({ targetId: 'pool', volatileShareBeforeBps: 7500n, met: true }),
    ])
    expect(plan.composition![0]!.volatileShareAfterBps).toBeLessThanOrEqual(4000n)
    const eth = plan.nodes.find((n) => n.chainId === 1 && n.asset === 'USDC')!
    expect(eth.before).toBe(usdc(1000n))
    expect(eth.after).toBe(usdc(1000n) + swap.minimumAmountOut - usdc(1500n))
    // Cost: value sold minus value bought at 3,000 and 1 USD, fee and impact (~0.35%).
    expect(plan.swapCostUsd).toBe(swap.costUsd)
    expect(swap.costUsd).toBe(swap.amountIn * 3000n - swap.expectedAmountOut * 10n ** 12n)
  })

  it('builds Router02 calldata that decodes to the step', () => {
    const swap = planRebalance(swapThenBridge()).swaps![0]!
    expect(swap.call?.to).toBe(ROUTER)
    const decoded = decodeFunctionData({ abi: uniswapV2RouterSwapAbi, data: swap.call!.data })
    expect(decoded.functionName).toBe('swapExactTokensForTokens')
    expect(decoded.args).toEqual([
      swap.amountIn,
      swap.minimumAmountOut,
      [WETH_TOKEN, USDC_TOKEN],
      TREASURY,
      1_700_000_600n,
    ])
    // The approval the router needs first: the sold token, the router, exactly amountIn.
    expect(swap.approveCall?.to).toBe(WETH_TOKEN)
    const approval = decodeFunctionData({ abi: erc20Abi, data: swap.approveCall!.data })
    expect(approval).toEqual({ functionName: 'approve', args: [ROUTER, swap.amountIn] })
    expect(formatPlan(planRebalance(swapThenBridge()))).toMatch(
      /Swaps \(cost \$[\d.,]+\):\n {2}1\. \[wave 0\] 0\.\d+ WETH -> [\d.]+ USDC \(min [\d.]+ USDC\) on 1:WETH\/USDC/,
    )
  })

  it("swaps after the bridge when the flow takes a chain's stable away, and meets the per-chain target", () => {
    const input: PlannerInput = {
      chains: [
        { chainId: 1, name: 'ethereum' },
        { chainId: 42161, name: 'arbitrum' },
      ],
      assets: [
        { symbol: 'USDC', decimals: 6, priceUsd: USD },
        { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
      ],
      nodes: [
        { chainId: 1, asset: 'USDC', balance: 0n, target: usdc(2500n) },
        { chainId: 42161, asset: 'USDC', balance: usdc(3000n), target: 0n },
        { chainId: 42161, asset: 'WETH', balance: ETH, target: 0n },
      ],
      routes: [
        { asset: 'USDC', from: { chainId: 42161 }, to: { chainId: 1 }, feeBps: 5n, latencySeconds: 90 },
      ],
      swaps: {
        venues: [venue(42161, 500n * ETH, usdc(1_500_000n))],
        targets: [{ chainId: 42161, volatileAssets: ['WETH'], maxVolatileShareBps: 4000n }],
        slippageBps: 100n,
        deadline: 1n,
      },
    }
    const plan = planRebalance(input)
    expect(plan.swaps!.map((s) => s.phase)).toEqual(['before-bridges', 'after-bridges'])
    const [before, after] = plan.swaps!
    const transfer = plan.transfers[0]!
    expect(transfer).toMatchObject({ amount: usdc(2500n), wave: 1 })
    expect(after!.wave).toBe(2)
    expect(after!.executedAfterSeconds).toBe(90)
    expect(plan.totalTimeSeconds).toBe(90)
    // The second swap meets the reserves the first one left (expected output, V2 formula).
    const r1In = 500n * ETH + before!.amountIn
    const r1Out = usdc(1_500_000n) - before!.expectedAmountOut
    expect(after!.expectedAmountOut).toBe(v2Out(after!.amountIn, r1In, r1Out))
    const weth = ETH - before!.amountIn - after!.amountIn
    const stable = usdc(3000n) + before!.minimumAmountOut - usdc(2500n) + after!.minimumAmountOut
    expect(wethShareOk(weth, stable, 4000n)).toBe(true)
    expect(plan.composition![0]).toMatchObject({ targetId: '42161', met: true })
    expect(plan.nodes.find((n) => n.asset === 'WETH')!.after).toBe(weth)
    expect(plan.chains.find((c) => c.chainId === 42161 && c.asset === 'USDC')!.after).toBe(stable)
    expect(plan.feasible).toBe(true)
    // No recipient address on these books: no calldata.
    expect(after!.call).toBeUndefined()
  })

  it("splits a member's sale across the venues in its scope at equal marginal rates and leaves other members' books alone", () => {
    const books = (chainId: number, member: string, weth: bigint, stable: bigint) => [
      { chainId, member, asset: 'WETH', balance: weth, target: 0n },
      { chainId, member, asset: 'USDC', balance: stable, target: 0n },
    ]
    const input: PlannerInput = {
      chains: [{ chainId: 1 }, { chainId: 10 }],
      assets: [
        { symbol: 'USDC', decimals: 6, priceUsd: USD },
        { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
      ],
      nodes: [
        ...books(1, 'a', 5n * ETH, usdc(1000n)),
        ...books(10, 'a', 5n * ETH, 0n),
        ...books(1, 'b', 9n * ETH, 0n),
      ],
      routes: [],
      swaps: {
        // Both pools at 3,000 USD per WETH; optimism's is ten times deeper (less impact).
        venues: [venue(1, 100n * ETH, usdc(300_000n)), venue(10, 1000n * ETH, usdc(3_000_000n))],
        targets: [{ member: 'a', volatileAssets: ['WETH'], maxVolatileShareBps: 5000n }],
        slippageBps: 30n,
        deadline: 0n,
      },
    }
    const plan = planRebalance(input)
    expect(plan.swaps).toHaveLength(2)
    const [onEthereum, onOptimism] = [1, 10].map((c) => plan.swaps!.find((x) => x.chainId === c)!)
    for (const swap of [onEthereum!, onOptimism!])
      expect(swap).toMatchObject({ member: 'a', targetId: 'pooled/a' })
    // By hand: both pools price WETH at R_out / R_in = p, so the marginal rate g B p R_in^2 / (R_in B + a g)^2
    // is equal on both when R_eth (R_op B + b g) = R_op (R_eth B + a g), i.e. b = (R_op / R_eth) a = 10 a.
    const a = onEthereum!.amountIn
    const b = onOptimism!.amountIn
    expect(b - 10n * a <= 20n && 10n * a - b <= 20n, `${a} on ethereum, ${b} on optimism`).toBe(true)
    const minOut = (x: bigint, rIn: bigint, rOut: bigint) => (v2Out(x, rIn, rOut) * 9970n) / 10_000n
    const got = minOut(a, 100n * ETH, usdc(300_000n)) + minOut(b, 1000n * ETH, usdc(3_000_000n))
    expect(wethShareOk(10n * ETH - a - b, usdc(1000n) + got, 5000n)).toBe(true)
    // The least sale of that split: 10^14 wei less on ethereum and 10^15 on optimism miss the target.
    const less =
      minOut(a - 10n ** 14n, 100n * ETH, usdc(300_000n)) +
      minOut(b - 10n ** 15n, 1000n * ETH, usdc(3_000_000n))
    expect(wethShareOk(10n * ETH - a - b + 11n * 10n ** 14n, usdc(1000n) + less, 5000n)).toBe(false)
    // Optimism's deeper pool alone would lose more value than the split.
    const loss = (x: bigint, out: bigint) => x * 3000n - out * 10n ** 12n
    let alone = b
    while (
      !wethShareOk(10n * ETH - alone, usdc(1000n) + minOut(alone, 1000n * ETH, usdc(3_000_000n)), 5000n)
    ) {
      alone += 10n ** 14n
    }
    expect(loss(alone, v2Out(alone, 1000n * ETH, usdc(3_000_000n)))).toBeGreaterThan(
      onEthereum!.costUsd + onOptimism!.costUsd,
    )
    // Member b's 9 WETH on ethereum are out of scope: untouched.
    const other = plan.nodes.find((n) => n.member === 'b' && n.asset === 'WETH')!
    expect(other.after).toBe(9n * ETH)
    expect(plan.composition![0]!.met).toBe(true)
  })

  it('splits around a volatile asset priced at zero (nothing to gain selling it) without failing', () => {
    const input: PlannerInput = {
      chains: [{ chainId: 1 }],
      assets: [
        { symbol: 'USDC', decimals: 6, priceUsd: USD },
        { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
        { symbol: 'JUNK', decimals: 18, priceUsd: 0n },
      ],
      nodes: [
        { chainId: 1, asset: 'WETH', balance: 10n * ETH, target: 0n },
        { chainId: 1, asset: 'JUNK', balance: 10n * ETH, target: 0n },
        { chainId: 1, asset: 'USDC', balance: 0n, target: 0n },
      ],
      routes: [],
      swaps: {
        venues: [
          { ...venue(1, 100n * ETH, usdc(300_000n)), id: 'shallow' },
          { ...venue(1, 400n * ETH, usdc(1_200_000n)), id: 'deep' },
          { ...venue(1, 100n * ETH, usdc(1000n)), id: 'junk', assets: ['JUNK', 'USDC'] },
        ],
        targets: [{ volatileAssets: ['WETH', 'JUNK'], maxVolatileShareBps: 5000n }],
        slippageBps: 0n,
        deadline: 0n,
      },
    }
    const plan = planRebalance(input)
    expect(plan.swaps!.map((x) => x.venueId).sort()).toEqual(['deep', 'shallow'])
    const [shallow, deep] = ['shallow', 'deep'].map(
      (id) => plan.swaps!.find((x) => x.venueId === id)!.amountIn,
    )
    // Depths 1:4 at one price and fee: b = 4 a (equal marginal rates).
    expect(deep! - 4n * shallow! <= 8n && 4n * shallow! - deep! <= 8n, `${shallow} / ${deep}`).toBe(true)
    expect(plan.composition![0]!.met).toBe(true)
  })

  it('never sells what a node target needs, and says when the target cannot be met', () => {
    const input = swapThenBridge()
    const plan = planRebalance({
      ...input,
      nodes: input.nodes.map((n) => (n.asset === 'WETH' ? { ...n, target: 9n * 10n ** 17n } : n)),
    })
    // Only 0.1 WETH may be sold: not enough for 40%, and the bridge stays short.
    expect(plan.swaps![0]!.amountIn).toBe(10n ** 17n)
    expect(plan.composition![0]!.met).toBe(false)
    expect(plan.nodes.find((n) => n.asset === 'WETH')!.after).toBe(9n * 10n ** 17n)
  })

  it('meets a pooled target at the minimum output whenever selling the whole spare balance can (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 100n * ETH }),
        fc.bigInt({ min: 0n, max: usdc(1_000_000n) }),
        fc.bigInt({ min: 1n, max: 10_000n * ETH }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.bigInt({ min: 0n, max: 500n }),
        (weth, stable, reserveWeth, maxBps, slippageBps) => {
          const reserveUsdc = (reserveWeth * 3000n) / 10n ** 12n + 1n
          const plan = planRebalance({
            chains: [{ chainId: 1 }],
            assets: [
              { symbol: 'USDC', decimals: 6, priceUsd: USD },
              { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
            ],
            nodes: [
              { chainId: 1, asset: 'WETH', balance: weth, target: 0n },
              { chainId: 1, asset: 'USDC', balance: stable, target: 0n },
            ],
            routes: [],
            swaps: {
              venues: [venue(1, reserveWeth, reserveUsdc)],
              targets: [{ volatileAssets: ['WETH'], maxVolatileShareBps: maxBps }],
              slippageBps,
              deadline: 0n,
            },
          })
          const min = (a: bigint) => (v2Out(a, reserveWeth, reserveUsdc) * (10_000n - slippageBps)) / 10_000n
          const sold = plan.swaps!.reduce((s, x) => s + x.amountIn, 0n)
          const feasible = wethShareOk(weth, stable, maxBps) || wethShareOk(0n, stable + min(weth), maxBps)
          expect(plan.composition![0]!.met).toBe(feasible)
          if (!feasible) expect(sold).toBe(weth)
          if (sold > 0n && feasible) {
            expect(wethShareOk(weth - sold, stable + min(sold), maxBps)).toBe(true)
            expect(wethShareOk(weth - sold + 1n, stable + min(sold - 1n), maxBps)).toBe(false)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('leaves a plan without venues or targets as it is without swaps', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      for (const fixedFees of [false, true]) {
        const input = randomPlannerInput({ seed, fixedFees })
        const plain = planRebalance(input)
        const withSwaps = planRebalance({
          ...input,
          swaps: { venues: [], targets: [], slippageBps: 50n, deadline: 0n },
        })
        const { swaps, swapCostUsd, composition, ...rest } = withSwaps
        expect(swaps).toEqual([])
        expect(swapCostUsd).toBe(0n)
        expect(composition).toEqual([])
        expect(rest).toEqual(plain)
      }
    }
  })

  it('rejects bad venues and targets with a clear error', () => {
    const input = swapThenBridge()
    expect(() =>
      planRebalance({ ...input, swaps: { ...input.swaps!, venues: [venue(10, ETH, usdc(1n))] } }),
    ).toThrow(/Unknown chain/)
    expect(() =>
      planRebalance({
        ...input,
        swaps: { ...input.swaps!, targets: [{ volatileAssets: ['WBTC'], maxVolatileShareBps: 1n }] },
      }),
    ).toThrow(/Unknown asset/)
    expect(() => planRebalance({ ...input, swaps: { ...input.swaps!, slippageBps: 10_001n } })).toThrow(
      /Slippage bound out of range/,
    )
  })
})
