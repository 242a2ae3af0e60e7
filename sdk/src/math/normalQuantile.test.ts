import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile } from './normalQuantile.js'
import { ReserveMathError } from './ReserveMathError.js'

describe('normalQuantile', () => {
  it('matches published quantiles of the standard normal', () => {
    // Reference values from standard normal tables (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.1).
    expect(normalQuantile(0.5)).toBe(0)
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12)
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 12)
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 11)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 12)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 8)
  })

  it('inverts normalCdf', () => {
    for (const p of [0.001, 0.02, 0.3, 0.7, 0.98, 0.9999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14)
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14)
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 20)
  })

  it('rejects probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => normalQuantile(p)).toThrow(ReserveMathError)
    expect(() => normalQuantile(1)).toThrow('p = 1; expected 0 < p < 1.')
  })
})
