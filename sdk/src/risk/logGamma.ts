// Lanczos coefficients for g = 7, n = 9 (Godfrey's set, as in Numerical Recipes 3rd ed. 6.1).
const g = 7
const coefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/**
 * Natural logarithm of the gamma function for `x > 0`.
 *
 * Formula: Lanczos' approximation `Gamma(x + 1) = sqrt(2 pi) (x + g + 1/2)^(x + 1/2) e^-(x + g + 1/2) A_g(x)`
 * with g = 7 and 9 terms (relative error about 1e-15); `x < 1/2` through the reflection
 * `Gamma(x) Gamma(1 - x) = pi / sin(pi x)`.
 * Source: C. Lanczos, "A precision approximation of the gamma function", SIAM J. Numer. Anal. B 1
 * (1964); coefficients from P. Godfrey (2001).
 *
 * @param x - A positive number.
 * @returns `ln Gamma(x)`.
 * @example
 * ```ts
 * logGamma(5) // ln 24 = 3.1780538303479458
 * ```
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const y = x - 1
  let a = coefficients[0]!
  const t = y + g + 0.5
  for (let i = 1; i < coefficients.length; i++) a += coefficients[i]! / (y + i)
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a)
}
