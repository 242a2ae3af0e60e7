import { describe, expect, it } from 'vitest'
import { createRandom } from '../math/createRandom.js'
import { liquidityCoverage } from '../math/liquidityCoverage.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { examplePoolState } from '../state/examplePoolState.js'
import {
  backtestRedemptionForecast,
  forecastPoolRedemptions,
  forecastRedemptions,
} from './forecastRedemptions.js'

const usd = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n
const toUsd = (x: bigint) => Number(x) / 1e18

/** Daily net redemptions: mean `mu`, normal noise `sd` (USD). */
function series(seed: number, n: number, mu: number, sd: number): bigint[] {
  const rng = createRandom(seed)
  return Array.from({ length: n }, () => usd(mu + sd * rng.normal()))
}

describe('forecastRedemptions', () => {
  const xs = series(1, 200, 2_000, 10_000)

  it('EWMA quantile and historical quantile match independent computations', () => {
    const f = forecastRedemptions(xs, { horizonPeriods: 10, confidence: 0.95 })
    const v = xs.map(toUsd)
    // Explicit weights 0.94^k, newest first.
    let w = 0
    let m = 0
    v.forEach((x, i) => {
      const k = v.length - 1 - i
      m += 0.94 ** k * x
      w += 0.94 ** k
    })
    m /= w
    let s2 = 0
    v.forEach((x, i) => {
      s2 += 0.94 ** (v.length - 1 - i) * (x - m) ** 2
    })
    const sd = Math.sqrt(s2 / w)
    expect(toUsd(f.ewma.meanUsd)).toBeCloseTo(m, 4)
    expect(toUsd(f.ewma.volatilityUsd)).toBeCloseTo(sd, 4)
    expect(toUsd(f.ewma.forecastUsd)).toBeCloseTo(10 * m + 1.6448536269514722 * Math.sqrt(10) * sd, 3)
    // Every overlapping 10-day sum, sorted; the 95% quantile is the ceil(0.95 * 191)-th.
    const sums = Array.from({ length: 191 }, (_, j) => v.slice(j, j + 10).reduce((a, b) => a + b, 0)).sort(
      (a, b) => a - b,
    )
    expect(f.historical.windows).toBe(191)
    expect(toUsd(f.historical.forecastUsd!)).toBeCloseTo(sums[Math.ceil(0.95 * 191) - 1]!, 3)
    const larger = [f.ewma.forecastUsd, f.historical.forecastUsd!].sort((a, b) => (a < b ? 1 : -1))[0]
    expect(f.stressedOutflowUsd).toBe(larger)
  })

  it('stress scales the outflow; net issuance forecasts none', () => {
    const base = forecastRedemptions(xs)
    const stressed = forecastRedemptions(xs, { stress: 2 })
    expect(toUsd(stressed.stressedOutflowUsd)).toBeCloseTo(2 * toUsd(base.stressedOutflowUsd), 6)
    const issuance = forecastRedemptions(series(2, 100, -50_000, 1_000))
    expect(issuance.stressedOutflowUsd).toBe(0n)
    expect(issuance.ewma.meanUsd < 0n).toBe(true)
    expect(() => forecastRedemptions([], {})).toThrow('No redemption history.')
    expect(() => forecastRedemptions(xs, { stress: 0.5 })).toThrow(ReserveMathError)
  })

  it('pool forecast sums chains per period, aligned at the newest period', () => {
    const a = series(3, 50, 1_000, 500)
    const b = series(4, 30, 3_000, 800)
    const f = forecastPoolRedemptions(
      [
        { chainId: 1, amountsUsd: a },
        { chainId: 2, amountsUsd: b },
      ],
      { horizonPeriods: 5 },
    )
    const pooled = a.map((x, i) => x + (i >= 20 ? b[i - 20]! : 0n))
    expect(f.pool).toEqual(forecastRedemptions(pooled, { horizonPeriods: 5 }))
    expect(f.chains.map((c) => c.chainId)).toEqual([1, 2])
    expect(f.chains[1]!.forecast.observations).toBe(30)
  })

  it('the liquidity coverage ratio uses the forecast', () => {
    const f = forecastRedemptions(series(5, 120, 20_000, 5_000), { horizonPeriods: 30, stress: 1.5 })
    const [c1] = liquidityCoverage(examplePoolState(), {
      forecastOutflowsUsd: [{ chainId: 1, amountUsd: f.stressedOutflowUsd }],
    })
    // 30 days at ~20,000 a day, 1.5x: far above the 10% run-off (50,000) of chain 1.
    expect(c1!.forecastOutflowUsd).toBe(f.stressedOutflowUsd)
    expect(c1!.outflowUsd).toBe(f.stressedOutflowUsd)
    expect(c1!.coverageRatio).toBe((c1!.liquidAdjustedReservesUsd * 10n ** 18n) / f.stressedOutflowUsd)
    expect(() =>
      liquidityCoverage(examplePoolState(), { forecastOutflowsUsd: [{ chainId: 999, amountUsd: 1n }] }),
    ).toThrow('Invalid forecast outflow.')
  })
})

describe('backtestRedemptionForecast', () => {
  it('covers iid redemptions at its confidence and misses a run', () => {
    const calm = series(6, 3_000, 1_000, 10_000)
    const options = { horizonPeriods: 1, confidence: 0.95, estimationWindow: 250 }
    // Historical simulation over 250 days, and EWMA with a long memory (lambda 0.99), cover.
    for (const o of [{ method: 'historical' as const }, { method: 'ewma' as const, lambda: 0.99 }]) {
      const b = backtestRedemptionForecast(calm, { ...options, ...o })
      expect(b.observations).toBe(2_750)
      expect(b.kupiec.rejected, `${o.method}: ${b.exceptions} of ${b.observations}`).toBe(false)
      expect(b.independence.rejected, o.method).toBe(false)
    }
    // At lambda 0.94 the EWMA mean and deviation rest on ~30 effective days: their estimation
    // error makes the 95% forecast too tight for iid flows (about 6% exceptions), which the
    // backtest shows.
    const fast = backtestRedemptionForecast(calm, options)
    expect(fast.exceptions / fast.observations).toBeGreaterThan(0.055)
    expect(fast.exceptions / fast.observations).toBeLessThan(0.075)
    expect(fast.kupiec.rejected).toBe(true)
    // A bank run: 20 days of redemptions 10 times the usual; the historical quantile lags and
    // misses day after day, and the independence test sees it.
    const run = calm.map((x, i) => (i >= 2_000 && i < 2_020 ? x + usd(100_000) : x))
    const b = backtestRedemptionForecast(run, { ...options, method: 'historical' })
    expect(b.transitions.n11).toBeGreaterThan(10)
    expect(b.independence.rejected).toBe(true)
    // Horizon windows do not overlap and end at the newest period.
    const h = backtestRedemptionForecast(calm, { horizonPeriods: 30, estimationWindow: 90 })
    expect(h.observations).toBe(Math.floor((3_000 - 90) / 30))
    expect(() => backtestRedemptionForecast(calm.slice(0, 50))).toThrow('too short to backtest')
  })
})
