import { regularizedGammaP, regularizedGammaQ } from './regularizedGamma.js'

/**
 * Cumulative distribution function of the chi-square distribution with `k` degrees of freedom.
 *
 * Formula: `F(x; k) = P(k / 2, x / 2)`, the regularized lower incomplete gamma function.
 * Source: Abramowitz & Stegun, "Handbook of Mathematical Functions" (1964), 26.4.19.
 *
 * @param x - Statistic, >= 0.
 * @param k - Degrees of freedom, > 0.
 * @returns `P(X <= x)`.
 * @example
 * ```ts
 * chiSquareCdf(3.841458820694124, 1) // 0.95
 * ```
 */
export function chiSquareCdf(x: number, k: number): number {
  return regularizedGammaP(k / 2, x / 2)
}

/**
 * Survival function (p-value) of the chi-square distribution: `P(X > x) = Q(k / 2, x / 2)`,
 * computed in the upper tail so p-values far below 1e-16 stay exact in relative terms.
 *
 * @param x - Statistic, >= 0.
 * @param k - Degrees of freedom, > 0.
 * @returns The p-value.
 * @example
 * ```ts
 * chiSquarePValue(5.991464547107979, 2) // 0.05
 * ```
 */
export function chiSquarePValue(x: number, k: number): number {
  return regularizedGammaQ(k / 2, x / 2)
}
