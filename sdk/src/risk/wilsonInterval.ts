import { normalQuantile } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'

/** A probability estimated from `count` of `trials`, with a confidence interval. */
export type ProbabilityEstimate = {
  count: number
  trials: number
  /** `count / trials`. */
  estimate: number
  lower: number
  upper: number
  /** Confidence level of `[lower, upper]` (e.g. 0.95). */
  level: number
}

/**
 * Wilson score interval of a binomial proportion: unlike the normal (Wald) interval it stays
 * inside [0, 1] and keeps its coverage at counts near 0, where insolvency probabilities live.
 *
 * Formula: with `p = k / n` and `z = Phi^-1((1 + level) / 2)`,
 * `(p + z^2 / 2n -+ z sqrt(p (1 - p) / n + z^2 / 4n^2)) / (1 + z^2 / n)`.
 * Source: E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
 * JASA 22 (1927); Brown, Cai & DasGupta, "Interval estimation for a binomial proportion",
 * Statistical Science 16 (2001).
 *
 * @param count - Successes `k`, 0 <= k <= n.
 * @param trials - Trials `n` > 0.
 * @param level - Confidence level (default 0.95).
 * @returns The estimate and interval.
 * @example
 * ```ts
 * wilsonInterval(10, 1000) // { estimate: 0.01, lower: 0.00544, upper: 0.01831, ... }
 * ```
 */
export function wilsonInterval(count: number, trials: number, level = 0.95): ProbabilityEstimate {
  if (
    !Number.isSafeInteger(trials) ||
    trials <= 0 ||
    !Number.isSafeInteger(count) ||
    count < 0 ||
    count > trials
  ) {
    throw new ReserveMathError('Invalid proportion.', {
      details: `count = ${String(count)}, trials = ${String(trials)}; expected integers 0 <= count <= trials, trials > 0.`,
      metaMessages: ['Count the paths with the event among all simulated paths.'],
    })
  }
  const z = normalQuantile((1 + level) / 2)
  const p = count / trials
  const z2n = (z * z) / trials
  const center = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n)
  return {
    count,
    trials,
    estimate: p,
    // Exact ends at k = 0 and k = n (the formula gives them up to rounding).
    lower: count === 0 ? 0 : Math.max(0, center - half),
    upper: count === trials ? 1 : Math.min(1, center + half),
    level,
  }
}
