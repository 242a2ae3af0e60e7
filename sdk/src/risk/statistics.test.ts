import { describe, expect, it } from 'vitest'
import { createRandom } from '../math/createRandom.js'
import { normalCdf } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { baselTrafficLight } from './baselTrafficLight.js'
import { binomialCdf } from './binomialCdf.js'
import { chiSquareCdf, chiSquarePValue } from './chiSquare.js'
import {
  bernoulliLogLikelihood,
  christoffersenConditionalCoverageTest,
  christoffersenIndependenceTest,
  exceptionTransitions,
  kupiecTest,
} from './likelihoodRatioTests.js'
import { logGamma } from './logGamma.js'
import { regularizedGammaP, regularizedGammaQ } from './regularizedGamma.js'

// Independent references written for these tests: closed forms of the incomplete gamma at integer
// shapes (the Poisson sum), the chi-square(1) tail through the normal CDF, plain products for the
// likelihoods (Math.pow(0, 0) is 1, the limit) and an exact binomial sum by recurrence.
const factorial = (n: number) => {
  let f = 1
  for (let i = 2; i <= n; i++) f *= i
  return f
}
/** Q(n, x) = e^-x sum_(k < n) x^k / k! for integer n. */
const poissonQ = (n: number, x: number) => {
  let s = 0
  for (let k = 0; k < n; k++) s += x ** k / factorial(k)
  return Math.exp(-x) * s
}
const likelihood = (n0: number, n1: number, p: number) => (1 - p) ** n0 * p ** n1
const kupiecReference = (n: number, x: number, p: number) =>
  -2 * Math.log(likelihood(n - x, x, p) / likelihood(n - x, x, x / n))
const binomialReference = (k: number, n: number, p: number) => {
  let term = (1 - p) ** n
  let sum = term
  for (let i = 0; i < k; i++) {
    term *= ((n - i) / (i + 1)) * (p / (1 - p))
    sum += term
  }
  return sum
}

describe('logGamma and the regularized incomplete gamma', () => {
  it('logGamma matches factorials and Gamma(1/2) = sqrt(pi)', () => {
    for (let n = 1; n <= 20; n++) expect(logGamma(n + 1)).toBeCloseTo(Math.log(factorial(n)), 11)
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
    expect(logGamma(0.25)).toBeCloseTo(1.2880225246980774, 12) // ln Gamma(1/4) = ln 3.6256099082219083
  })

  it('P and Q match the Poisson closed form at integer shapes, across both branches', () => {
    for (const a of [1, 2, 3, 5, 10, 30]) {
      for (const x of [0.01, 0.5, 1, 2.5, 5, 9.9, 10.1, 20, 45]) {
        const q = poissonQ(a, x)
        expect(regularizedGammaQ(a, x)).toBeCloseTo(q, 12)
        expect(regularizedGammaP(a, x)).toBeCloseTo(1 - q, 12)
        expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 14)
      }
    }
  })

  it('keeps relative precision deep in the upper tail', () => {
    // Q(1, 60) = e^-60: a 1 - P computation would return 0.
    expect(regularizedGammaQ(1, 60) / Math.exp(-60)).toBeCloseTo(1, 12)
    expect(regularizedGammaQ(3, 80) / poissonQ(3, 80)).toBeCloseTo(1, 10)
  })

  it('has the edge values and refuses bad arguments', () => {
    expect(regularizedGammaP(2, 0)).toBe(0)
    expect(regularizedGammaQ(2, 0)).toBe(1)
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0)
    expect(() => regularizedGammaP(0, 1)).toThrow(ReserveMathError)
    expect(() => regularizedGammaQ(1, -1)).toThrow('a = 1, x = -1')
    expect(() => regularizedGammaQ(1, Number.NaN)).toThrow('Invalid incomplete gamma arguments.')
  })
})

describe('chi-square distribution', () => {
  it('gives 5% at the published critical values', () => {
    // Critical values of chi2 at 5% for 1, 2, 3 and 10 degrees of freedom, and at 1% for 1 (NIST tables).
    expect(chiSquarePValue(3.841458820694124, 1)).toBeCloseTo(0.05, 12)
    expect(chiSquarePValue(5.991464547107979, 2)).toBeCloseTo(0.05, 12)
    expect(chiSquarePValue(7.814727903251178, 3)).toBeCloseTo(0.05, 12)
    expect(chiSquarePValue(18.307038053275146, 10)).toBeCloseTo(0.05, 12)
    expect(chiSquarePValue(6.6348966010212145, 1)).toBeCloseTo(0.01, 12)
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 12)
  })

  it('matches closed forms on random statistics: chi2(1) via the normal CDF, chi2(2) = e^(-x/2)', () => {
    const rng = createRandom(20)
    for (let i = 0; i < 200; i++) {
      const x = rng.uniform() * 30
      expect(chiSquarePValue(x, 1)).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(x))), 12)
      expect(chiSquarePValue(x, 2)).toBeCloseTo(Math.exp(-x / 2), 13)
      expect(chiSquarePValue(x, 4)).toBeCloseTo(Math.exp(-x / 2) * (1 + x / 2), 13)
    }
  })
})

describe('binomialCdf', () => {
  it('matches the recurrence on random arguments and the Basel table at 250 days', () => {
    const rng = createRandom(3)
    for (let i = 0; i < 100; i++) {
      const n = 1 + Math.floor(rng.uniform() * 600)
      const p = rng.uniform() * 0.2
      const k = Math.floor(rng.uniform() * n * 0.3)
      expect(binomialCdf(k, n, p)).toBeCloseTo(binomialReference(k, n, p), 11)
    }
    // Basel (1996) table 1: cumulative probabilities for 250 days at 99%.
    expect(binomialCdf(4, 250, 0.01)).toBeCloseTo(0.8922, 4)
    expect(binomialCdf(5, 250, 0.01)).toBeCloseTo(0.9588, 4)
    expect(binomialCdf(9, 250, 0.01)).toBeCloseTo(0.9997, 4)
  })

  it('does not underflow on long samples', () => {
    // 0.99^100000 underflows to 0 in a product; the log-space sum stays exact.
    let logTerm = 100_000 * Math.log1p(-0.01)
    let sum = Math.exp(logTerm)
    for (let i = 0; i < 1000; i++) {
      logTerm += Math.log((100_000 - i) / (i + 1)) + Math.log(0.01 / 0.99)
      sum += Math.exp(logTerm)
    }
    expect(binomialCdf(1000, 100_000, 0.01)).toBeCloseTo(sum, 9)
    expect(sum).toBeGreaterThan(0.5)
    expect(binomialCdf(-1, 10, 0.5)).toBe(0)
    expect(binomialCdf(10, 10, 0.5)).toBe(1)
    expect(() => binomialCdf(1, 10, 1.5)).toThrow('Invalid binomial arguments.')
  })
})

describe('Kupiec proportion of failures', () => {
  it('gives the known LR values at 250 observations and 99%', () => {
    for (const x of [0, 5, 7]) {
      expect(kupiecTest(250, x, 0.01).statistic).toBeCloseTo(kupiecReference(250, x, 0.01), 10)
    }
    // Published to three decimals (e.g. Jorion, Value at Risk, 6.2): 5.025, 1.957, 5.497.
    expect(kupiecTest(250, 0, 0.01).statistic).toBeCloseTo(5.025, 3)
    expect(kupiecTest(250, 5, 0.01).statistic).toBeCloseTo(1.957, 3)
    expect(kupiecTest(250, 7, 0.01).statistic).toBeCloseTo(5.497, 3)
    expect(kupiecTest(250, 0, 0.01).rejected).toBe(true) // 5.025 > 3.841
    expect(kupiecTest(250, 5, 0.01).rejected).toBe(false)
    expect(kupiecTest(250, 7, 0.01).rejected).toBe(true)
  })

  it('matches the independent implementation on random counts, with no 0 log 0 trap', () => {
    const rng = createRandom(7)
    for (let i = 0; i < 300; i++) {
      const n = 20 + Math.floor(rng.uniform() * 900)
      const x = Math.floor(rng.uniform() * Math.min(n, 40))
      const p = 0.001 + rng.uniform() * 0.1
      const t = kupiecTest(n, x, p)
      expect(t.statistic).toBeCloseTo(kupiecReference(n, x, p), 8)
      expect(t.pValue).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(t.statistic))), 10)
    }
    // All exceptions: x = n has (1 - x/n)^0 = 1.
    expect(kupiecTest(10, 10, 0.5).statistic).toBeCloseTo(-20 * Math.log(0.5), 12)
    expect(Number.isFinite(kupiecTest(10, 0, 0.01).statistic)).toBe(true)
    expect(bernoulliLogLikelihood(0, 5, 1)).toBe(0)
    expect(() => kupiecTest(10, 11, 0.01)).toThrow('Invalid exception count.')
    expect(() => kupiecTest(0, 0, 0.01)).toThrow('Invalid backtest sample.')
  })
})

describe('Christoffersen tests', () => {
  const reference = (flags: boolean[], p: number) => {
    let n00 = 0
    let n01 = 0
    let n10 = 0
    let n11 = 0
    for (let i = 1; i < flags.length; i++) {
      if (flags[i - 1]) flags[i] ? n11++ : n10++
      else flags[i] ? n01++ : n00++
    }
    const pi0 = n01 / (n00 + n01 || 1)
    const pi1 = n11 / (n10 + n11 || 1)
    const pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    const markov = likelihood(n00, n01, pi0) * likelihood(n10, n11, pi1)
    return {
      ind: -2 * Math.log(likelihood(n00 + n10, n01 + n11, pi) / markov),
      cc: -2 * Math.log(likelihood(n00 + n10, n01 + n11, p) / markov),
      pof: kupiecReference(n00 + n01 + n10 + n11, n01 + n11, p),
    }
  }

  it('counts transitions', () => {
    expect(exceptionTransitions([false, true, true, false, false])).toEqual({
      n00: 1,
      n01: 1,
      n10: 1,
      n11: 1,
    })
  })

  it('match the independent implementation on random sequences; LR_cc = LR_pof + LR_ind', () => {
    const rng = createRandom(11)
    for (let i = 0; i < 200; i++) {
      const n = 50 + Math.floor(rng.uniform() * 400)
      const rate = rng.uniform() * 0.1
      const sticky = rng.uniform() < 0.5
      const flags: boolean[] = []
      for (let t = 0; t < n; t++) flags.push(rng.uniform() < (sticky && flags[t - 1] ? 0.5 : rate))
      const tr = exceptionTransitions(flags)
      const ref = reference(flags, 0.01)
      const ind = christoffersenIndependenceTest(tr)
      const cc = christoffersenConditionalCoverageTest(tr, 0.01)
      expect(ind.statistic).toBeCloseTo(ref.ind, 8)
      expect(cc.statistic).toBeCloseTo(ref.cc, 8)
      expect(cc.statistic).toBeCloseTo(ref.pof + ref.ind, 8)
      expect(cc.pValue).toBeCloseTo(Math.exp(-cc.statistic / 2), 12)
    }
  })

  it('handles no exceptions and exceptions only in a row', () => {
    const none = christoffersenIndependenceTest({ n00: 249, n01: 0, n10: 0, n11: 0 })
    expect(none.statistic).toBe(0)
    expect(none.pValue).toBe(1)
    // Two adjacent exceptions in 250 days: clustered, LR_ind is large.
    const clustered = christoffersenIndependenceTest({ n00: 247, n01: 1, n10: 0, n11: 1 })
    expect(clustered.statistic).toBeCloseTo(reference([...Array(248).fill(false), true, true], 0.01).ind, 10)
    expect(clustered.rejected).toBe(true)
    expect(() => christoffersenIndependenceTest({ n00: 0, n01: 0, n10: 0, n11: 0 })).toThrow(
      'Invalid exception transitions.',
    )
  })
})

describe('baselTrafficLight', () => {
  it('gives green 0-4, yellow 5-9, red 10+ at 250 days and 99%', () => {
    const zones = Array.from({ length: 13 }, (_, x) => baselTrafficLight(250, x, 0.01).zone)
    expect(zones).toEqual([...Array(5).fill('green'), ...Array(5).fill('yellow'), ...Array(3).fill('red')])
    expect(baselTrafficLight(250, 0, 0.01)).toMatchObject({ greenMax: 4, yellowMax: 9 })
  })

  it('scales with the sample: limits from the binomial CDF at 95% and 99.99%', () => {
    const t = baselTrafficLight(1000, 0, 0.01)
    expect(binomialReference(t.greenMax, 1000, 0.01)).toBeLessThan(0.95)
    expect(binomialReference(t.greenMax + 1, 1000, 0.01)).toBeGreaterThanOrEqual(0.95)
    expect(binomialReference(t.yellowMax, 1000, 0.01)).toBeLessThan(0.9999)
    expect(binomialReference(t.yellowMax + 1, 1000, 0.01)).toBeGreaterThanOrEqual(0.9999)
    // A sample too short for a 95% bound: no exception is still green.
    expect(baselTrafficLight(3, 0, 0.05).zone).toBe('green')
  })
})
