import { describe, expect, it } from 'vitest'
import { createRandom } from '../math/createRandom.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { backtestVaR } from './backtestVaR.js'

/** Geometric random walk with iid normal log-returns (the model's own assumption). */
function normalSeries(seed: number, steps: number, sigma: number): number[] {
  const rng = createRandom(seed)
  const out = [100]
  for (let i = 0; i < steps; i++) out.push(out[i]! * Math.exp(sigma * rng.normal()))
  return out
}

/** GARCH(1,1) log-returns: `v_t = omega + alpha r_(t-1)^2 + beta v_(t-1)`, volatility clusters. */
function garchSeries(seed: number, steps: number): number[] {
  const rng = createRandom(seed)
  const [omega, alpha, beta] = [1e-5, 0.5, 0.45]
  let v = omega / (1 - alpha - beta)
  const out = [100]
  for (let i = 0; i < steps; i++) {
    const r = Math.sqrt(v) * rng.normal()
    out.push(out[i]! * Math.exp(r))
    v = omega + alpha * r * r + beta * v
  }
  return out
}

/**
 * Independent reference: explicit weights lambda^k over the window, the threshold and the exception
 * test written out per date, non-overlapping windows counted back from the newest point.
 */
function referenceExceptions(
  xs: number[],
  o: { z: number; lambda: number; window: number; horizon: number; floor: number },
): { flags: boolean[]; ends: number[] } {
  const ends: number[] = []
  for (let s = xs.length - 1 - o.horizon; s >= o.window; s -= o.horizon) ends.unshift(s)
  const flags = ends.map((s) => {
    let num = 0
    let den = 0
    for (let k = 0; k < o.window; k++) {
      const r = Math.log(xs[s - k]! / xs[s - k - 1]!)
      num += o.lambda ** k * r * r
      den += o.lambda ** k
    }
    const h = Math.max(o.floor, Math.min(1, o.z * Math.sqrt(num / den) * Math.sqrt(o.horizon)))
    return xs[s + o.horizon]! / xs[s]! < 1 - h
  })
  return { flags, ends: ends.map((s) => s + o.horizon) }
}

describe('backtestVaR', () => {
  it('matches the independent implementation on random series, one-step and horizon', () => {
    const rng = createRandom(5)
    for (let i = 0; i < 12; i++) {
      const xs = i % 2 === 0 ? normalSeries(100 + i, 600, 0.03) : garchSeries(100 + i, 600)
      const horizon = 1 + (i % 3) * 4
      const window = 30 + Math.floor(rng.uniform() * 100)
      const floor = i % 4 === 3 ? 0.05 : 0
      const b = backtestVaR(xs, { estimationWindow: window, horizon, floor, confidence: 0.975 })
      const ref = referenceExceptions(xs, { z: 1.959963984540054, lambda: 0.94, window, horizon, floor })
      expect(b.observations).toBe(ref.flags.length)
      expect(b.exceptions).toBe(ref.flags.filter(Boolean).length)
      expect(b.exceptionIndices).toEqual(ref.ends.filter((_, k) => ref.flags[k]))
      expect(b.expectedExceptions).toBeCloseTo(ref.flags.length * 0.025, 12)
    }
  })

  it('passes on series drawn from the model and detects volatility clustering (GARCH)', () => {
    // Over 20 seeds of 2,500 days: a correct model is rarely rejected; EWMA at lambda 0.94 reacts
    // too slowly to a GARCH with alpha 0.5, so exceptions bunch and the independence test rejects.
    let normalRejected = 0
    let garchRejected = 0
    for (let seed = 1; seed <= 20; seed++) {
      const n = backtestVaR(normalSeries(seed, 2500, 0.02))
      const g = backtestVaR(garchSeries(seed, 2500))
      if (n.independence.rejected) normalRejected++
      if (g.independence.rejected) garchRejected++
    }
    expect(normalRejected).toBeLessThanOrEqual(2)
    expect(garchRejected).toBeGreaterThanOrEqual(12)
    const g = backtestVaR(garchSeries(3, 2500))
    expect(g.independence.rejected).toBe(true)
    expect(g.independence.pValue).toBeLessThan(0.001)
    expect(g.transitions.n11).toBeGreaterThan(0)
  })

  it('backtests the last window only, the Basel year', () => {
    const xs = normalSeries(9, 1000, 0.02)
    const all = backtestVaR(xs)
    const year = backtestVaR(xs, { window: 250 })
    expect(year.observations).toBe(250)
    expect(year.exceptionIndices).toEqual(all.exceptionIndices.filter((i) => i > xs.length - 1 - 250))
    expect(year.trafficLight.greenMax).toBe(4)
  })

  it('a floor above every move leaves no exception (the haircut floor binds)', () => {
    const b = backtestVaR(normalSeries(2, 400, 0.01), { floor: 0.5 })
    expect(b.exceptions).toBe(0)
    expect(b.meanThreshold).toBe(0.5)
    expect(b.trafficLight.zone).toBe('green')
  })

  it('refuses short series and bad options with the reason', () => {
    expect(() => backtestVaR([1, 2, 3])).toThrow('Series too short to backtest.')
    expect(() => backtestVaR([1, 2, 0, 3])).toThrow('series[2] = 0')
    expect(() => backtestVaR(normalSeries(1, 300, 0.01), { horizon: 0 })).toThrow(ReserveMathError)
    expect(() => backtestVaR(normalSeries(1, 300, 0.01), { window: 0 })).toThrow('Invalid window.')
    expect(() => backtestVaR(normalSeries(1, 300, 0.01), { confidence: 1 })).toThrow(
      'Probability out of range.',
    )
  })
})
