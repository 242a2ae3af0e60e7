import { divRound } from './divRound.js'
import { pow10 } from './pow10.js'
import type { RoundingMode } from './RoundingMode.js'

/**
 * Re-expresses a fixed-point amount with another number of decimals.
 *
 * Formula: `amount * 10^(to - from)` when `to >= from`, else `round(amount / 10^(from - to))`.
 *
 * @param amount - Amount with `from` decimals.
 * @param from - Decimals of `amount`.
 * @param to - Decimals wanted.
 * @param rounding - Used only when decimals are dropped; default `exact` (throws if digits would be lost).
 * @returns The amount with `to` decimals.
 * @example
 * ```ts
 * scaleDecimals(1_500_000n, 6, 18) // 1_500_000_000_000_000_000n
 * scaleDecimals(1_234_567_890_000_000_000n, 18, 6, 'floor') // 1_234_567n
 * ```
 */
export function scaleDecimals(
  amount: bigint,
  from: number,
  to: number,
  rounding: RoundingMode = 'exact',
): bigint {
  if (to >= from) return amount * pow10(to - from)
  return divRound(amount, pow10(from - to), rounding)
}
