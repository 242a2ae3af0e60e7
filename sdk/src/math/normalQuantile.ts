import { ReserveMathError } from './ReserveMathError.js'

// Coefficients of Acklam's rational approximation of the inverse normal CDF.
const a = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628274631,
]
const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
const c = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
]
const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]

/**
 * Quantile of the standard normal distribution: the `z` with `P(Z <= z) = p`.
 *
 * Formula: Peter J. Acklam's rational approximation (relative error < 1.15e-9), refined with one
 * Halley step on `erfc` (W. J. Cody's rational `erfc`, via `normalCdf`) to about 1e-15.
 * Source: P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function" (2003).
 *
 * @param p - Probability in (0, 1).
 * @returns z, e.g. 2.3263478740408408 for 0.99.
 * @example
 * ```ts
 * normalQuantile(0.99) // 2.3263478740408408
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new ReserveMathError('Probability out of range.', {
      details: `p = ${String(p)}; expected 0 < p < 1.`,
      metaMessages: ['Confidence levels are fractions such as 0.99.'],
    })
  }
  const low = 0.02425
  let x: number
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  } else if (p <= 1 - low) {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  // One Halley refinement step.
  const e = normalCdf(x) - p
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2)
  return x - u / (1 + (x * u) / 2)
}

/**
 * Cumulative distribution function of the standard normal, `Phi(x) = erfc(-x / sqrt 2) / 2`, with
 * `erfc` from W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969), accurate to ~1e-16.
 *
 * @param x - Any finite number.
 * @returns `P(Z <= x)`.
 * @example
 * ```ts
 * normalCdf(0) // 0.5
 * ```
 */
export function normalCdf(x: number): number {
  return erfc(-x / Math.SQRT2) / 2
}

function erfc(x: number): number {
  const ax = Math.abs(x)
  let result: number
  if (ax < 0.5) {
    const t = x * x
    const top =
      (((0.18577770618460315 * t + 3.1611237438705655) * t + 113.86415415105016) * t + 377.485237685302) * t +
      3209.3775891384694
    const bot =
      (((t + 23.601290952344122) * t + 244.02463793444417) * t + 1282.6165260773723) * t + 2844.236833439171
    return 1 - (x * top) / bot
  }
  if (ax < 4) {
    const top =
      (((((((2.1531153547440383e-8 * ax + 0.5641884969886701) * ax + 8.883149794388377) * ax +
        66.11919063714163) *
        ax +
        298.6351381974001) *
        ax +
        881.952221241769) *
        ax +
        1712.0476126340707) *
        ax +
        2051.0783778260716) *
        ax +
      1230.3393547979972
    const bot =
      (((((((ax + 15.744926110709835) * ax + 117.6939508913125) * ax + 537.1811018620099) * ax +
        1621.3895745666903) *
        ax +
        3290.7992357334597) *
        ax +
        4362.619090143247) *
        ax +
        3439.3676741437216) *
        ax +
      1230.3393548037495
    result = (Math.exp(-ax * ax) * top) / bot
  } else {
    const z = 1 / (ax * ax)
    const top =
      ((((0.016315387137302097 * z + 0.30532663496123236) * z + 0.36034489994980445) * z +
        0.12578172611122926) *
        z +
        0.016083785148742275) *
        z +
      0.0006587491615298378
    const bot =
      ((((z + 2.568520192289822) * z + 1.8729528499234673) * z + 0.5279051029514285) * z +
        0.06051834131244132) *
        z +
      0.0023352049762686918
    result = (Math.exp(-ax * ax) / ax) * (1 / Math.sqrt(Math.PI) - (z * top) / bot)
  }
  return x < 0 ? 2 - result : result
}
