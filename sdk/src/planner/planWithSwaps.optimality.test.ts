import * as highsModule from 'highs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRandom } from '../math/createRandom.js'
import type { PlannerInput } from './PlannerInput.js'
import { planRebalance } from './planRebalance.js'
import type { SwapVenue } from './SwapSettings.js'

// The swap sizing against an independent solver. The planner sizes swaps exactly on the
// constant-product curve (no approximation: integer binary search, see sizeCompositionSwap);
// HiGHS solves linear programs, so the reference brackets the curve with two piecewise-linear
// bounds per venue and solves "least value lost, composition met at the minimum outputs, sales
// split freely across venues" twice:
//   tangents (above the concave curve): the LP's cost is a lower bound on any plan's cost;
//   chords between breakpoints (below it): an LP solution is a real plan, an upper bound.
// A single venue: the planner's least sale must cost within the bracket. Several venues: the
// planner splits the sale at equal marginal rates (splitSale), so it must cost within the bracket
// too (never below the tangents' bound, at most the chords' plus a stated tolerance).

// highs ships one CommonJS-typed .d.ts for both its CJS and ESM builds (see
// planRebalance.optimality.test.ts).
const highsLoader = highsModule.default as unknown as typeof highsModule.default.default
type Highs = Awaited<ReturnType<typeof highsLoader>>
let highs: Highs

beforeAll(async () => {
  highs = await highsLoader()
})

const HIGHS_CASE_TIMEOUT = 180_000
const USD = 10n ** 18n
const ETH = 10n ** 18n
const ETH_USD = 3000
const BREAKPOINTS = 64
const TOKEN = '0x0000000000000000000000000000000000000001' as const

/**
 * 1-3 chains, each with a WETH and a USDC book of the treasury (WETH partly reserved by a node
 * target), WETH/USDC venues priced at or below the 3,000 USD oracle (so value lost grows with the
 * amount sold), a pooled limit under the current share.
 */
function randomSwapInput(seed: number, venueCount: number): PlannerInput {
  const rand = createRandom(seed).uniform
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const chainIds = [1, 10, 42161].slice(0, int(1, 3))
  const nodes = chainIds.flatMap((chainId) => {
    const weth = BigInt(int(0, 20_000)) * 10n ** 15n
    return [
      {
        chainId,
        asset: 'WETH',
        balance: weth,
        target: rand() < 0.3 ? (weth * BigInt(int(0, 50))) / 100n : 0n,
      },
      { chainId, asset: 'USDC', balance: BigInt(int(0, 30_000)) * 10n ** 6n, target: 0n },
    ]
  })
  const venues: SwapVenue[] = Array.from({ length: venueCount }, (_, i) => {
    const reserveWeth = BigInt(int(20, 2000)) * ETH
    // Pool price 97%..100% of the oracle's, in 0.01% steps.
    const priceBps = BigInt(int(9700, 10_000))
    return {
      id: `v${i}`,
      chainId: chainIds[int(0, chainIds.length - 1)]!,
      assets: ['WETH', 'USDC'],
      tokens: [TOKEN, TOKEN],
      reserves: [reserveWeth, (reserveWeth * 3000n * priceBps) / 10_000n / 10n ** 12n],
      feeBps: BigInt([5, 30, 100][int(0, 2)]!),
      router: TOKEN,
    }
  })
  return {
    chains: chainIds.map((chainId) => ({ chainId })),
    assets: [
      { symbol: 'USDC', decimals: 6, priceUsd: USD },
      { symbol: 'WETH', decimals: 18, priceUsd: BigInt(ETH_USD) * USD },
    ],
    nodes,
    routes: [],
    swaps: {
      venues,
      targets: [{ volatileAssets: ['WETH'], maxVolatileShareBps: BigInt(int(500, 7000)) }],
      slippageBps: BigInt(int(0, 100)),
      deadline: 0n,
    },
  }
}

const num = (x: number) => (x >= 0 ? `+ ${x}` : `- ${-x}`)

type Bracketed = { feasible: boolean; costUsd: number; soldEth: number }

/**
 * The reference LP: sold a_v (ETH) and minimum output o_v (USDC) per venue; per chain the sales
 * stay within the seller's balance above its target; `o_v <= s * line(a_v)` for every line of the
 * bound; `(V - 3000 A) B <= t (T - 3000 A + O)`; minimise `3000 A - O / s` (value sold minus the
 * expected output, at 1 USD per USDC).
 */
function reference(input: PlannerInput, bound: 'tangents' | 'chords'): Bracketed {
  const settings = input.swaps!
  const t = Number(settings.targets[0]!.maxVolatileShareBps)
  const s = (10_000 - Number(settings.slippageBps)) / 10_000
  const wethOf = (n: { balance: bigint }) => Number(n.balance) / 1e18
  const usdcOf = (n: { balance: bigint }) => Number(n.balance) / 1e6
  const volatile = input.nodes.filter((n) => n.asset === 'WETH').reduce((v, n) => v + wethOf(n) * ETH_USD, 0)
  const total = volatile + input.nodes.filter((n) => n.asset === 'USDC').reduce((v, n) => v + usdcOf(n), 0)
  const capOf = (chainId: number) => {
    const n = input.nodes.find((x) => x.chainId === chainId && x.asset === 'WETH')!
    return Number(n.balance - n.target) / 1e18
  }
  const rows: string[] = []
  const bounds: string[] = []
  settings.venues.forEach((v, i) => {
    const rIn = Number(v.reserves[0]) / 1e18
    const rOut = Number(v.reserves[1]) / 1e6
    const g = (10_000 - Number(v.feeBps)) / 10_000
    const out = (a: number) => (g * a * rOut) / (rIn + g * a)
    const cap = capOf(v.chainId)
    bounds.push(`0 <= a${i} <= ${cap}`, `o${i} >= 0`)
    const xs = Array.from({ length: BREAKPOINTS + 1 }, (_, k) => (cap * k) / BREAKPOINTS)
    const lines =
      bound === 'tangents'
        ? xs.map((x) => {
            const slope = (g * rOut * rIn) / (rIn + g * x) ** 2
            return { slope, intercept: out(x) - slope * x }
          })
        : xs.slice(1).map((x, k) => {
            const x0 = xs[k]!
            const slope = (out(x) - out(x0)) / (x - x0)
            return { slope, intercept: out(x0) - slope * x0 }
          })
    lines.forEach((l, k) => {
      if (!Number.isFinite(l.slope)) return
      rows.push(` l${i}_${k}: o${i} ${num(-s * l.slope)} a${i} <= ${s * l.intercept}`)
    })
  })
  for (const chainId of new Set(settings.venues.map((v) => v.chainId))) {
    const sold = settings.venues.flatMap((v, i) => (v.chainId === chainId ? [`+ a${i}`] : []))
    rows.push(` cap${chainId}: ${sold.join(' ')} <= ${capOf(chainId)}`)
  }
  const a = settings.venues.map((_v, i) => `a${i}`)
  const o = settings.venues.map((_v, i) => `o${i}`)
  const composition = [
    ...a.map((x) => `${num((t - 10_000) * ETH_USD)} ${x}`),
    ...o.map((x) => `${num(-t)} ${x}`),
  ].join(' ')
  rows.push(` share: ${composition} <= ${t * total - 10_000 * volatile}`)
  const objective = [...a.map((x) => `+ ${ETH_USD} ${x}`), ...o.map((x) => `- ${1 / s} ${x}`)].join(' ')
  const lp = ['Minimize', ` obj: ${objective}`, 'Subject To', ...rows, 'Bounds', ...bounds, 'End'].join('\n')
  const result = highs.solve(lp, { output_flag: false })
  if (result.Status === 'Infeasible') return { feasible: false, costUsd: Infinity, soldEth: 0 }
  expect(result.Status).toBe('Optimal')
  const columns = (result as unknown as { Columns: Record<string, { Primal: number }> }).Columns
  return {
    feasible: true,
    costUsd: result.ObjectiveValue,
    soldEth: a.reduce((sum, x) => sum + (columns[x]?.Primal ?? 0), 0),
  }
}

function planned(input: PlannerInput) {
  const plan = planRebalance(input)
  const swaps = plan.swaps ?? []
  return {
    met: plan.composition![0]!.met,
    costUsd: Number(swaps.reduce((sum, x) => sum + x.costUsd, 0n)) / 1e18,
    soldEth: Number(swaps.reduce((sum, x) => sum + x.amountIn, 0n)) / 1e18,
    swaps: swaps.length,
  }
}

/** Absolute slack for comparing the planner's integer figures with HiGHS's doubles. */
const slack = (x: number) => 1e-6 * Math.abs(x) + 1e-6

/** Relative tolerance of the split sale's cost over the chords' upper bound. */
const SPLIT_TOLERANCE = 1e-6

describe('planRebalance swaps against HiGHS (piecewise-linear brackets of the curve)', () => {
  it(
    'one venue: 120 seeded instances, the least sale costs within the bracket and meets the target when it can',
    () => {
      let sized = 0
      let unreachable = 0
      let widest = 0
      for (let seed = 5001; seed <= 5120; seed++) {
        const input = randomSwapInput(seed, 1)
        const ours = planned(input)
        const lower = reference(input, 'tangents')
        const upper = reference(input, 'chords')
        const at = `seed ${seed}`
        if (upper.feasible) expect(ours.met, at).toBe(true)
        if (!lower.feasible) {
          expect(ours.met, at).toBe(false)
          unreachable++
          continue
        }
        if (!ours.met) continue
        if (ours.swaps > 0) sized++
        expect(ours.costUsd, at).toBeGreaterThanOrEqual(lower.costUsd - slack(lower.costUsd))
        expect(ours.soldEth, at).toBeGreaterThanOrEqual(lower.soldEth - slack(lower.soldEth))
        if (upper.feasible) {
          expect(ours.costUsd, at).toBeLessThanOrEqual(upper.costUsd + slack(upper.costUsd))
          expect(ours.soldEth, at).toBeLessThanOrEqual(upper.soldEth + slack(upper.soldEth))
          if (upper.soldEth > 0) widest = Math.max(widest, (upper.soldEth - lower.soldEth) / upper.soldEth)
        }
      }
      // A bracket this narrow pins the least sale down (the check would pass a loose one).
      expect(widest).toBeLessThan(1e-3)
      console.log(
        `swaps, one venue: the bracket of the least sale is at most ${(widest * 100).toFixed(5)}% wide`,
      )
      // The generator must exercise both sized sales and targets no sale can meet.
      expect(sized).toBeGreaterThan(50)
      expect(unreachable).toBeGreaterThan(3)
    },
    HIGHS_CASE_TIMEOUT,
  )

  it(
    'two or three venues: 120 seeded instances, the split sale costs within the bracket (never below the lower bound, at most the upper one plus 1e-6)',
    () => {
      let compared = 0
      let split = 0
      let largestGap = -Infinity
      let sumGap = 0
      for (let seed = 6001; seed <= 6120; seed++) {
        const input = randomSwapInput(seed, 2 + (seed % 2))
        const ours = planned(input)
        const lower = reference(input, 'tangents')
        const upper = reference(input, 'chords')
        const at = `seed ${seed}`
        // Sales at their caps reach whatever the venues together can.
        if (upper.feasible) expect(ours.met, at).toBe(true)
        if (!lower.feasible) expect(ours.met, at).toBe(false)
        if (!ours.met || !lower.feasible) continue
        if (ours.swaps > 1) split++
        expect(ours.costUsd, at).toBeGreaterThanOrEqual(lower.costUsd - slack(lower.costUsd))
        if (!upper.feasible) continue
        // The chords' LP is a real split plan, so the least-cost split costs at most its cost;
        // the slack covers the integer roundings (a base unit per venue) against HiGHS's doubles.
        expect(ours.costUsd, at).toBeLessThanOrEqual(
          upper.costUsd + SPLIT_TOLERANCE * Math.abs(upper.costUsd) + 1e-6,
        )
        if (upper.costUsd > 1e-3) {
          const gap = (ours.costUsd - upper.costUsd) / upper.costUsd
          largestGap = Math.max(largestGap, gap)
          sumGap += gap
          compared++
        }
      }
      // The generator must exercise sales that pay to split.
      expect(compared).toBeGreaterThan(50)
      expect(split).toBeGreaterThan(20)
      console.log(
        `swaps, several venues: the planner's sale costs at most ${(largestGap * 100).toFixed(5)}% more than ` +
          `the chords' split (mean ${((sumGap / Math.max(1, compared)) * 100).toFixed(5)}%, ${compared} instances, ${split} split)`,
      )
    },
    HIGHS_CASE_TIMEOUT,
  )
})
