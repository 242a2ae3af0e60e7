import { describe, expect, it } from 'vitest'
import { riskModelFromVolatilities } from '../math/estimateRiskModel.js'
import { evaluatePool } from '../math/evaluatePool.js'
import { monteCarloStress } from '../math/monteCarlo.js'
import { normalCdf, normalQuantile } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { examplePoolState } from '../state/examplePoolState.js'
import type { PoolState } from '../state/PoolState.js'
import { recommendParameters } from './recommendParameters.js'
import { wilsonInterval } from './wilsonInterval.js'

const state = examplePoolState()
// USDC 0.1%, WETH 4%, WBTC 3.5% a day (WETH-WBTC correlation 0.8); the liability token bUSD is fixed.
const riskModel = riskModelFromVolatilities(
  ['USDC', 'WETH', 'WBTC', 'bUSD'],
  [0.001, 0.04, 0.035, 0],
  [
    [1, 0, 0, 0],
    [0, 1, 0.8, 0],
    [0, 0.8, 1, 0],
    [0, 0, 0, 1],
  ],
)
const target = 0.01

/** The state with every holding scaled so the pooled adjusted ratio is `ratio` (WAD). */
function atRatio(s: PoolState, ratio: bigint): PoolState {
  const e = evaluatePool(s)
  const num = ratio * e.liabilitiesUsd
  const den = e.adjustedReservesUsd * 10n ** 18n
  return {
    ...s,
    members: s.members.map((m) => ({
      ...m,
      holdings: m.holdings.map((h) => ({ ...h, amount: (h.amount * num) / den })),
    })),
  }
}

describe('wilsonInterval', () => {
  it('matches the published example and stays in [0, 1]', () => {
    // Brown, Cai & DasGupta (2001): k = 0 of n = 20 gives [0, 0.1611] at 95%.
    const zero = wilsonInterval(0, 20)
    expect(zero.lower).toBe(0)
    expect(zero.upper).toBeCloseTo(0.1611, 4)
    // The other common form: (k + z^2/2) / (n + z^2) -+ z sqrt(n) / (n + z^2) sqrt(p q + z^2 / 4n).
    const z = 1.959963984540054
    for (const [k, n] of [
      [10, 1000],
      [1, 50],
      [37, 400],
    ] as const) {
      const p = k / n
      const c = (k + (z * z) / 2) / (n + z * z)
      const half = ((z * Math.sqrt(n)) / (n + z * z)) * Math.sqrt(p * (1 - p) + (z * z) / (4 * n))
      const w = wilsonInterval(k, n)
      expect(w.lower).toBeCloseTo(c - half, 12)
      expect(w.upper).toBeCloseTo(c + half, 12)
    }
    expect(() => wilsonInterval(3, 2)).toThrow('Invalid proportion.')
  })
})

describe('recommendParameters', () => {
  const rec = recommendParameters(state, { target, riskModel, paths: 20_000, seed: 11 })

  it('is reproducible by seed', () => {
    expect(recommendParameters(state, { target, riskModel, paths: 20_000, seed: 11 })).toEqual(rec)
    const other = recommendParameters(state, { target, riskModel, paths: 20_000, seed: 12 })
    expect(other.minimumRatio!.recommended).not.toBe(rec.minimumRatio!.recommended)
  })

  it('haircut floors: P(fall > floor within the horizon) at the target, matching the closed form', () => {
    const weth = rec.haircutFloors.find((r) => r.subject === 'WETH')!
    const h = Number(weth.recommended) / 1e18
    // Log-normal model: P(M < 1 - h) = Phi(ln(1 - h) / (sigma sqrt T)).
    const exact = normalCdf(Math.log(1 - h) / 0.04)
    expect(exact).toBeGreaterThanOrEqual(weth.probabilityAfter.lower)
    expect(exact).toBeLessThanOrEqual(weth.probabilityAfter.upper)
    expect(target).toBeGreaterThanOrEqual(weth.probabilityAfter.lower)
    expect(target).toBeLessThanOrEqual(weth.probabilityAfter.upper)
    expect(weth.probabilityAfter.count).toBeLessThanOrEqual(Math.floor(target * 20_000))
    // The true floor 1 - e^(sigma z_0.01) is inside the stated interval of the recommendation.
    const trueFloor = 1 - Math.exp(0.04 * normalQuantile(target))
    expect(trueFloor).toBeGreaterThanOrEqual(Number(weth.interval.lower) / 1e18)
    expect(trueFloor).toBeLessThanOrEqual(Number(weth.interval.upper) / 1e18)
    // Today's 15% floor is far above a 1% move at 4%: the probability now is (near) zero.
    expect(weth.current).toBe(150_000_000_000_000_000n)
    expect(weth.probabilityNow.estimate).toBeLessThan(0.001)
    expect(weth.reasoning).toContain('WETH')
    expect(weth.inputs).toMatchObject({
      dailyVolatility: 0.04,
      liquidationHorizonDays: 1,
      paths: 20_000,
      seed: 11,
    })
    // svUSDC moves with USDC over its 3-day horizon.
    const sv = rec.haircutFloors.find((r) => r.subject === 'svUSDC')!
    expect(sv.horizonDays).toBe(3)
    const svExact = 1 - Math.exp(0.001 * Math.sqrt(3) * normalQuantile(target))
    expect(svExact).toBeGreaterThanOrEqual(Number(sv.interval.lower) / 1e18)
    expect(svExact).toBeLessThanOrEqual(Number(sv.interval.upper) / 1e18)
  })

  it('minimum ratio: a pool sitting at the recommendation has MC P(RR < 1) within the stated interval', () => {
    const m = rec.minimumRatio!
    expect(m.kind).toBe('minimum-ratio')
    expect(m.subject).toBe('main')
    expect(m.current).toBe(1_100_000_000_000_000_000n)
    expect(m.recommended > 10n ** 18n).toBe(true)
    expect(m.interval.lower <= m.recommended && m.recommended <= m.interval.upper).toBe(true)
    // Apply it: an independent run (another seed, four times the paths) of monteCarloStress.
    const applied = monteCarloStress(atRatio(state, m.recommended), {
      riskModel,
      horizonDays: 10,
      paths: 80_000,
      seed: 99,
    })
    expect(applied.probabilityBelowOne).toBeGreaterThanOrEqual(m.probabilityAfter.lower)
    expect(applied.probabilityBelowOne).toBeLessThanOrEqual(m.probabilityAfter.upper)
    expect(target).toBeGreaterThanOrEqual(m.probabilityAfter.lower)
    expect(target).toBeLessThanOrEqual(m.probabilityAfter.upper)
    // From today's ratio the figure is exactly monteCarloStress's on the same seed and paths.
    const today = monteCarloStress(state, { riskModel, horizonDays: 10, paths: 20_000, seed: 11 })
    expect(m.inputs.probabilityAtPooledRatio).toBe(today.probabilityBelowOne)
    // At the current minimum (1.1) the pool is riskier than at the recommendation, or equal.
    expect(m.probabilityNow.estimate >= m.probabilityAfter.estimate).toBe(m.current <= m.recommended)
    expect(m.reasoning).toMatch(/^Pool main: /)
  })

  it('an LP token moves with sqrt(M_0 M_1): half of each log-move', () => {
    const lp = {
      kind: 'constantProductLp' as const,
      symbol: 'LP',
      decimals: 18,
      token0: 'WETH',
      token1: 'USDC',
      reserve0: 1_000n * 10n ** 18n,
      reserve1: 3_000_000n * 10n ** 6n,
      totalSupply: 10n ** 21n,
    }
    const withLp: PoolState = {
      ...state,
      assets: [...state.assets, lp],
      riskParameters: [
        ...state.riskParameters,
        {
          asset: 'LP',
          haircutFloor: 10n ** 17n,
          liquidationThreshold: 8n * 10n ** 17n,
          liquidationHorizon: 86_400,
        },
      ],
    }
    const r = recommendParameters(withLp, { target, riskModel, paths: 20_000, seed: 11 })
    const floor = r.haircutFloors.find((h) => h.subject === 'LP')!
    // sigma of ln sqrt(P_WETH P_USDC): sqrt(0.25 * 0.04^2 + 0.25 * 0.001^2) (independent factors).
    const sigma = Math.sqrt(0.25 * 0.04 ** 2 + 0.25 * 0.001 ** 2)
    expect(floor.inputs.dailyVolatility).toBeCloseTo(sigma, 12)
    const exact = 1 - Math.exp(sigma * normalQuantile(target))
    expect(exact).toBeGreaterThanOrEqual(Number(floor.interval.lower) / 1e18)
    expect(exact).toBeLessThanOrEqual(Number(floor.interval.upper) / 1e18)
  })

  it('refuses a bad target', () => {
    expect(() => recommendParameters(state, { target: 0 })).toThrow(ReserveMathError)
    expect(() => recommendParameters(state, { target: 0.7 })).toThrow('target = 0.7')
  })
})
