import { ReserveMathError } from '../math/ReserveMathError.js'
import { chiSquarePValue } from './chiSquare.js'

/** A likelihood-ratio test: the statistic, its chi-square p-value and the verdict at a significance. */
export type LikelihoodRatioTest = {
  /** `LR`, >= 0. */
  statistic: number
  degreesOfFreedom: number
  /** `P(chi2(df) > LR)`. */
  pValue: number
  /** Significance the verdict is read at (default 0.05). */
  significance: number
  /** Whether the null hypothesis is rejected (`pValue < significance`). */
  rejected: boolean
}

/** Counts of consecutive pairs of exception indicators (`n_ij`: state i followed by state j). */
export type ExceptionTransitions = { n00: number; n01: number; n10: number; n11: number }

/**
 * Log-likelihood of Bernoulli counts: `n0 ln(1 - p) + n1 ln p`, with `0 ln 0 = 0` (the limit), so a
 * zero count contributes nothing whatever `p` is and no `NaN` arises at `p = 0` or `p = 1`.
 *
 * @param n0 - Count of non-events.
 * @param n1 - Count of events.
 * @param p - Event probability in [0, 1].
 * @returns The log-likelihood (`-Infinity` when a positive count has probability 0).
 * @example
 * ```ts
 * bernoulliLogLikelihood(245, 5, 0.02) // 245 ln 0.98 + 5 ln 0.02
 * ```
 */
export function bernoulliLogLikelihood(n0: number, n1: number, p: number): number {
  const a = n0 === 0 ? 0 : n0 * Math.log1p(-p)
  const b = n1 === 0 ? 0 : n1 * Math.log(p)
  return a + b
}

function lrTest(statistic: number, degreesOfFreedom: number, significance: number): LikelihoodRatioTest {
  // Rounding can leave a tiny negative where the two likelihoods coincide.
  const lr = Math.max(0, statistic)
  const pValue = chiSquarePValue(lr, degreesOfFreedom)
  return { statistic: lr, degreesOfFreedom, pValue, significance, rejected: pValue < significance }
}

function checkCounts(observations: number, exceptions: number, coverage: number, significance: number): void {
  if (!Number.isSafeInteger(observations) || observations <= 0) {
    throw new ReserveMathError('Invalid backtest sample.', {
      details: `observations = ${String(observations)}; expected a positive integer.`,
      metaMessages: ['Give a longer history or a shorter estimation window.'],
    })
  }
  if (!Number.isSafeInteger(exceptions) || exceptions < 0 || exceptions > observations) {
    throw new ReserveMathError('Invalid exception count.', {
      details: `exceptions = ${String(exceptions)} of ${observations} observations.`,
      metaMessages: ['Exceptions are counted among the observations: 0 to n.'],
    })
  }
  if (!(coverage > 0 && coverage < 1) || !(significance > 0 && significance < 1)) {
    throw new ReserveMathError('Invalid test level.', {
      details: `exception probability = ${String(coverage)}, significance = ${String(significance)}; both must be in (0, 1).`,
      metaMessages: ['A 99% VaR has exception probability 0.01; tests are usually read at 0.05.'],
    })
  }
}

/**
 * Kupiec's proportion-of-failures test of unconditional coverage: are `x` exceptions in `n`
 * observations consistent with an exception probability `p`?
 *
 * Formula: `LR_POF = -2 ln[(1 - p)^(n - x) p^x] + 2 ln[(1 - x/n)^(n - x) (x/n)^x] ~ chi2(1)`, with
 * `0 ln 0 = 0`. Source: P. Kupiec, "Techniques for verifying the accuracy of risk measurement
 * models", Journal of Derivatives 3 (1995).
 *
 * @param observations - `n`.
 * @param exceptions - `x`.
 * @param probability - `p`, the model's exception probability (1 - confidence).
 * @param significance - Level of the verdict (default 0.05: reject above 3.841).
 * @returns The test.
 * @example
 * ```ts
 * kupiecTest(250, 0, 0.01).statistic // 5.0252 (-500 ln 0.99)
 * ```
 */
export function kupiecTest(
  observations: number,
  exceptions: number,
  probability: number,
  significance = 0.05,
): LikelihoodRatioTest {
  checkCounts(observations, exceptions, probability, significance)
  const n0 = observations - exceptions
  const restricted = bernoulliLogLikelihood(n0, exceptions, probability)
  const unrestricted = bernoulliLogLikelihood(n0, exceptions, exceptions / observations)
  return lrTest(-2 * (restricted - unrestricted), 1, significance)
}

/**
 * Counts the transitions of a sequence of exception indicators.
 *
 * @param exceptions - Indicators in time order (true = exception).
 * @returns `n00, n01, n10, n11`.
 * @example
 * ```ts
 * exceptionTransitions([false, true, true, false]) // { n00: 0, n01: 1, n10: 1, n11: 1 }
 * ```
 */
export function exceptionTransitions(exceptions: ArrayLike<boolean>): ExceptionTransitions {
  const t = { n00: 0, n01: 0, n10: 0, n11: 0 }
  for (let i = 1; i < exceptions.length; i++) {
    const a = exceptions[i - 1]
    const b = exceptions[i]
    if (a) {
      if (b) t.n11++
      else t.n10++
    } else if (b) t.n01++
    else t.n00++
  }
  return t
}

/**
 * Christoffersen's independence test: is an exception today independent of one yesterday
 * (a first-order Markov chain against independence)?
 *
 * Formula: `pi_0 = n01 / (n00 + n01)`, `pi_1 = n11 / (n10 + n11)`, `pi = (n01 + n11) / (n - 1)`;
 * `LR_ind = -2 ln[(1 - pi)^(n00 + n10) pi^(n01 + n11)]
 *           + 2 ln[(1 - pi_0)^n00 pi_0^n01 (1 - pi_1)^n10 pi_1^n11] ~ chi2(1)`, with `0 ln 0 = 0`
 * (an empty row, e.g. no exception at all, contributes nothing).
 * Source: P. Christoffersen, "Evaluating interval forecasts", International Economic Review 39 (1998).
 *
 * @param transitions - The transition counts.
 * @param significance - Level of the verdict (default 0.05).
 * @returns The test.
 * @example
 * ```ts
 * christoffersenIndependenceTest({ n00: 240, n01: 4, n10: 4, n11: 1 }).pValue
 * ```
 */
export function christoffersenIndependenceTest(
  transitions: ExceptionTransitions,
  significance = 0.05,
): LikelihoodRatioTest {
  const { n00, n01, n10, n11 } = checkTransitions(transitions, significance)
  const total = n00 + n01 + n10 + n11
  const pi = (n01 + n11) / total
  const pi0 = n00 + n01 === 0 ? 0 : n01 / (n00 + n01)
  const pi1 = n10 + n11 === 0 ? 0 : n11 / (n10 + n11)
  const restricted = bernoulliLogLikelihood(n00 + n10, n01 + n11, pi)
  const unrestricted = bernoulliLogLikelihood(n00, n01, pi0) + bernoulliLogLikelihood(n10, n11, pi1)
  return lrTest(-2 * (restricted - unrestricted), 1, significance)
}

/**
 * Christoffersen's conditional coverage test: correct exception rate and independence jointly.
 *
 * Formula: `LR_cc = -2 ln[(1 - p)^(n00 + n10) p^(n01 + n11)]
 *           + 2 ln[(1 - pi_0)^n00 pi_0^n01 (1 - pi_1)^n10 pi_1^n11] ~ chi2(2)`, which equals
 * `LR_POF + LR_ind` when both are computed on the `n - 1` transitions.
 * Source: Christoffersen (1998), as above.
 *
 * @param transitions - The transition counts.
 * @param probability - The model's exception probability `p`.
 * @param significance - Level of the verdict (default 0.05: reject above 5.991).
 * @returns The test.
 * @example
 * ```ts
 * christoffersenConditionalCoverageTest({ n00: 240, n01: 4, n10: 4, n11: 1 }, 0.01).statistic
 * ```
 */
export function christoffersenConditionalCoverageTest(
  transitions: ExceptionTransitions,
  probability: number,
  significance = 0.05,
): LikelihoodRatioTest {
  const { n00, n01, n10, n11 } = checkTransitions(transitions, significance)
  checkCounts(n00 + n01 + n10 + n11, n01 + n11, probability, significance)
  const pi0 = n00 + n01 === 0 ? 0 : n01 / (n00 + n01)
  const pi1 = n10 + n11 === 0 ? 0 : n11 / (n10 + n11)
  const restricted = bernoulliLogLikelihood(n00 + n10, n01 + n11, probability)
  const unrestricted = bernoulliLogLikelihood(n00, n01, pi0) + bernoulliLogLikelihood(n10, n11, pi1)
  return lrTest(-2 * (restricted - unrestricted), 2, significance)
}

function checkTransitions(t: ExceptionTransitions, significance: number): ExceptionTransitions {
  const counts = [t.n00, t.n01, t.n10, t.n11]
  if (counts.some((c) => !Number.isSafeInteger(c) || c < 0) || counts.every((c) => c === 0)) {
    throw new ReserveMathError('Invalid exception transitions.', {
      details: `n00 = ${t.n00}, n01 = ${t.n01}, n10 = ${t.n10}, n11 = ${t.n11}; expected non-negative integers, not all 0.`,
      metaMessages: ['The independence test needs at least two observations.'],
    })
  }
  if (!(significance > 0 && significance < 1)) {
    throw new ReserveMathError('Invalid test level.', {
      details: `significance = ${String(significance)}; expected a value in (0, 1).`,
      metaMessages: ['Tests are usually read at 0.05.'],
    })
  }
  return t
}
