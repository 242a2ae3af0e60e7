import { ReserveMathError } from '../math/ReserveMathError.js'
import { logGamma } from './logGamma.js'

/**
 * Cumulative distribution function of the binomial distribution: `P(X <= k)` for `X ~ B(n, p)`.
 *
 * Formula: `sum_(i=0..k) C(n, i) p^i (1 - p)^(n - i)`, each term in log space
 * (`ln C(n, i) = lnGamma(n + 1) - lnGamma(i + 1) - lnGamma(n - i + 1)`, `ln(1 - p)` by `log1p`) so
 * long samples neither underflow nor lose precision; `0^0 = 1` at the ends.
 *
 * @param k - Number of successes (any integer; below 0 gives 0, at or above n gives 1).
 * @param n - Trials, a non-negative integer.
 * @param p - Success probability in [0, 1].
 * @returns `P(X <= k)`.
 * @example
 * ```ts
 * binomialCdf(4, 250, 0.01) // 0.8921... (the top of the Basel green zone)
 * ```
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isInteger(k) || !(p >= 0 && p <= 1)) {
    throw new ReserveMathError('Invalid binomial arguments.', {
      details: `k = ${String(k)}, n = ${String(n)}, p = ${String(p)}; expected integers k and n >= 0, 0 <= p <= 1.`,
      metaMessages: ['n is the number of observations, p the expected exception rate (1 - confidence).'],
    })
  }
  if (k < 0) return 0
  if (k >= n) return 1
  if (p === 0) return 1
  if (p === 1) return 0
  const lnP = Math.log(p)
  const lnQ = Math.log1p(-p)
  const lnN = logGamma(n + 1)
  let sum = 0
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(lnN - logGamma(i + 1) - logGamma(n - i + 1) + i * lnP + (n - i) * lnQ)
  }
  return Math.min(1, sum)
}
