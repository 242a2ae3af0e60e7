import { divRound } from './divRound.js'
import type { RoundingMode } from './RoundingMode.js'

/**
 * Computes `a * b / c` exactly, rounding once at the end (bigints do not overflow, so the product is
 * exact; the name is the Solidity idiom, e.g. OpenZeppelin `Math.mulDiv`).
 *
 * @param a - First factor.
 * @param b - Second factor.
 * @param c - Divisor, non-zero.
 * @param rounding - How to round the quotient.
 * @returns `round(a * b / c)`.
 * @example
 * ```ts
 * mulDiv(10n, 10n, 3n, 'floor') // 33n
 * mulDiv(10n, 10n, 3n, 'ceil') // 34n
 * ```
 */
export function mulDiv(a: bigint, b: bigint, c: bigint, rounding: RoundingMode): bigint {
  return divRound(a * b, c, rounding)
}
