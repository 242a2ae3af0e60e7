import { describe, expect, it } from 'vitest'
import { cholesky } from './cholesky.js'
import { createRandom } from './createRandom.js'
import { ewmaCovariance, ewmaVolatility } from './ewmaVolatility.js'
import { ReserveMathError } from './ReserveMathError.js'

describe('ewmaVolatility', () => {
  it('matches a hand computation', () => {
    // r1 = ln(1.1) = 0.0953101798, r2 = ln(0.9) = -0.1053605157
    // sigma^2 = (r2^2 + 0.94 r1^2) / 1.94 = (0.0111008383 + 0.94 * 0.0090840304) / 1.94 = 0.0101236... -> 0.1006162
    expect(ewmaVolatility([100, 110, 99])).toBeCloseTo(0.1006162, 6)
    // one return: sigma = |r|
    expect(ewmaVolatility([100, 105])).toBeCloseTo(Math.log(1.05), 12)
    // constant prices: zero volatility
    expect(ewmaVolatility([3, 3, 3, 3])).toBe(0)
  })

  it('weights recent returns more', () => {
    const calmThenWild = ewmaVolatility([100, 100.1, 100.2, 100.3, 110, 99])
    const wildThenCalm = ewmaVolatility([110, 99, 100, 100.1, 100.2, 100.3])
    expect(calmThenWild).toBeGreaterThan(wildThenCalm)
  })

  it('rejects bad input', () => {
    expect(() => ewmaVolatility([100])).toThrow('Too few prices for a volatility.')
    expect(() => ewmaVolatility([100, 0])).toThrow('prices[1] = 0')
    expect(() => ewmaVolatility([100, Number.NaN])).toThrow(ReserveMathError)
    expect(() => ewmaVolatility([100, 101], 1)).toThrow('lambda = 1')
  })

  it('covariance of perfectly correlated series equals the variance', () => {
    const m = ewmaCovariance([
      [100, 110, 99],
      [50, 55, 49.5],
    ])
    expect(m[0]![0]).toBeCloseTo(0.1006162 ** 2, 7)
    expect(m[0]![1]).toBeCloseTo(m[0]![0]!, 14)
    expect(m[1]![0]).toBe(m[0]![1])
  })
})

describe('cholesky', () => {
  it('factors a hand example', () => {
    expect(
      cholesky([
        [4, 2],
        [2, 2],
      ]),
    ).toEqual([
      [2, 0],
      [1, 1],
    ])
  })

  it('accepts semi-definite matrices with a zero column', () => {
    expect(
      cholesky([
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ]),
    ).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ])
  })

  it('rejects indefinite, asymmetric and ragged matrices', () => {
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow('not positive semi-definite')
    expect(() =>
      cholesky([
        [1, 0.5],
        [0.4, 1],
      ]),
    ).toThrow('not a finite symmetric matrix')
    expect(() => cholesky([[1, 0], [0]])).toThrow('not square')
  })
})

describe('createRandom', () => {
  it('is reproducible by seed and differs across seeds', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    const c = createRandom(8)
    const xs = Array.from({ length: 5 }, () => a.normal())
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.normal())).not.toEqual(xs)
  })

  it('has about the right moments', () => {
    const rng = createRandom(1)
    let s = 0
    let s2 = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const x = rng.normal()
      s += x
      s2 += x * x
    }
    // standard errors: mean 1/sqrt(n) = 0.007, variance sqrt(2/n) = 0.01; tolerances are 4-5 of them
    expect(Math.abs(s / n)).toBeLessThan(0.03)
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05)
    const u = rng.uniform()
    expect(u >= 0 && u < 1).toBe(true)
  })
})
