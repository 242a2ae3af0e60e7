import { describe, expect, it } from 'vitest'
import { riskModelFromVolatilities } from '../math/estimateRiskModel.js'
import { normalCdf } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { examplePoolState } from '../state/examplePoolState.js'
import { priceTranches, type Tranche } from './priceTranches.js'

const state = examplePoolState()
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
const usd = (x: number) => BigInt(x) * 10n ** 18n
const layer = (a: number, d: number): Tranche => ({ attachmentUsd: usd(a), detachmentUsd: usd(d) })
const toUsd = (x: bigint) => Number(x) / 1e18

// With simple returns the example book is linear, so the shortfall X = L - AR_H is exactly normal:
// mean L - AR = 1,110,000 - 1,282,500 and variance T e' Sigma e over the adjusted exposures
// (787,500 USD on USDC, directly and through svUSDC; 255,000 on WETH; 240,000 on WBTC; README).
const T = 30
const mu = 1_110_000 - 1_282_500
const sd = Math.sqrt(
  T *
    (787_500 ** 2 * 0.001 ** 2 +
      255_000 ** 2 * 0.04 ** 2 +
      240_000 ** 2 * 0.035 ** 2 +
      2 * 0.8 * 255_000 * 240_000 * 0.04 * 0.035),
)
const phi = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)
/** E[(X - a)^+] for X ~ N(mu, sd^2): (mu - a) Phi((mu - a) / sd) + sd phi((mu - a) / sd). */
const stopLoss = (a: number) => (mu - a) * normalCdf((mu - a) / sd) + sd * phi((mu - a) / sd)

const ladder = [layer(0, 50_000), layer(50_000, 100_000), layer(100_000, 200_000), layer(200_000, 5_000_000)]
const analysis = priceTranches(state, {
  riskModel,
  returns: 'simple',
  horizonDays: T,
  paths: 200_000,
  seed: 5,
  tranches: ladder,
  costOfCapital: 0.12,
})

describe('priceTranches', () => {
  it('expected losses of adjacent tranches add up to the whole expected shortfall', () => {
    const sum = analysis.tranches.reduce((s, t) => s + t.expectedLossUsd, 0n)
    // Each figure is rounded up once; the float sums agree to about 1e-12 relative.
    expect(Math.abs(toUsd(sum) - toUsd(analysis.expectedShortfallUsd))).toBeLessThan(1e-6)
    expect(analysis.tranches[0]!.lossProbability.count).toBe(analysis.probabilityOfInsolvency.count)
  })

  it('matches the closed form on normal losses within sampling error', () => {
    expect(stopLoss(0)).toBeGreaterThan(100) // a material tail, not a vacuous check
    analysis.tranches.forEach((t, i) => {
      const a = toUsd(ladder[i]!.attachmentUsd)
      const d = toUsd(ladder[i]!.detachmentUsd)
      const exact = stopLoss(a) - stopLoss(d)
      const se = toUsd(t.expectedLossStandardErrorUsd)
      expect(Math.abs(toUsd(t.expectedLossUsd) - exact), `tranche ${i}`).toBeLessThan(4 * se + 1e-9)
      const pExact = 1 - normalCdf((a - mu) / sd)
      expect(pExact).toBeGreaterThanOrEqual(t.lossProbability.lower)
      expect(pExact).toBeLessThanOrEqual(t.lossProbability.upper)
    })
    expect(1 - normalCdf(-mu / sd)).toBeGreaterThanOrEqual(analysis.probabilityOfInsolvency.lower)
    expect(1 - normalCdf(-mu / sd)).toBeLessThanOrEqual(analysis.probabilityOfInsolvency.upper)
  })

  it('prices at expected loss plus the cost of capital on the capital at risk', () => {
    for (const t of analysis.tranches) {
      const el = toUsd(t.expectedLossUsd)
      const premium = el + 0.12 * (T / 365) * (toUsd(t.limitUsd) - el)
      expect(toUsd(t.premiumUsd)).toBeCloseTo(premium, 2)
      expect(t.rateOnLine).toBeCloseTo(toUsd(t.premiumUsd) / toUsd(t.limitUsd), 9)
    }
  })

  it('P(insolvency) and the ratio distribution after buying a tranche', () => {
    const [first, second, , top] = analysis.tranches
    // Cover from 0 to 50k: only shortfalls above 50k remain.
    expect(first!.probabilityOfInsolvencyAfter.count).toBe(first!.exhaustionProbability.count)
    expect(first!.probabilityOfInsolvencyAfter.estimate).toBeLessThan(
      analysis.probabilityOfInsolvency.estimate,
    )
    // A layer attaching at 50k cures nothing: every path short by any amount stays short.
    expect(second!.probabilityOfInsolvencyAfter.count).toBe(analysis.probabilityOfInsolvency.count)
    // The ratio's lower quantiles rise with the cover, the median does not move.
    expect(first!.ratioQuantilesAfter.p01!).toBeGreaterThan(analysis.ratioQuantiles.p01!)
    expect(first!.ratioQuantilesAfter.p50).toBe(analysis.ratioQuantiles.p50)
    expect(top!.exhaustionProbability.count).toBe(0)
  })

  it('finds the cheapest set of candidates that meets a target, checked against every set', () => {
    const candidates = [layer(0, 60_000), layer(0, 150_000), layer(60_000, 150_000), layer(0, 400_000)]
    const target = 0.005
    const options = { riskModel, returns: 'simple' as const, horizonDays: T, paths: 50_000, seed: 8 }
    const r = priceTranches(state, { ...options, tranches: candidates, target })
    expect(r.cheapest!.feasible).toBe(true)
    expect(r.cheapest!.probabilityOfInsolvency.estimate).toBeLessThanOrEqual(target)
    // Brute force in the test: a set's cover reaches from 0 up to D (layers joined end to end), and
    // it leaves insolvent exactly the paths short by more than D: the exhaustion count of the
    // candidate attaching at 0 and detaching at D (or, with no cover from 0, the uncovered count).
    const residual = (set: number[]) => {
      let reach = 0n
      for (let grew = true; grew; ) {
        grew = false
        for (const i of set) {
          const c = candidates[i]!
          if (c.attachmentUsd <= reach && c.detachmentUsd > reach) {
            reach = c.detachmentUsd
            grew = true
          }
        }
      }
      if (reach === 0n) return r.probabilityOfInsolvency.estimate
      const from0 = candidates.findIndex((c) => c.attachmentUsd === 0n && c.detachmentUsd === reach)
      return r.tranches[from0]!.exhaustionProbability.estimate
    }
    let best: bigint | undefined
    for (let mask = 0; mask < 16; mask++) {
      const set = [0, 1, 2, 3].filter((i) => (mask >> i) & 1)
      const cost = set.reduce((s, i) => s + r.tranches[i]!.premiumUsd, 0n)
      if (residual(set) <= target && (best === undefined || cost < best)) best = cost
    }
    expect(r.cheapest!.premiumUsd).toBe(best)
    expect(residual(r.cheapest!.tranches)).toBe(r.cheapest!.probabilityOfInsolvency.estimate)
    const none = priceTranches(state, { ...options, tranches: [layer(60_000, 150_000)], target })
    expect(none.cheapest!.feasible).toBe(false)
    expect(none.cheapest!.reason).toContain('attachment 0')
  })

  it('is reproducible by seed and refuses bad tranches', () => {
    const o = { riskModel, horizonDays: 10, paths: 5_000, seed: 3, tranches: [layer(0, 100_000)] }
    expect(priceTranches(state, o)).toEqual(priceTranches(state, o))
    expect(() => priceTranches(state, { ...o, tranches: [layer(10, 10)] })).toThrow('Invalid tranche.')
    expect(() => priceTranches(state, { ...o, tranches: [] })).toThrow(ReserveMathError)
    expect(() => priceTranches(state, { ...o, costOfCapital: -1 })).toThrow('Invalid cost of capital.')
  })
})
