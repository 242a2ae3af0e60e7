import { MoneyError, PrecisionLossError } from './MoneyError.js'
import type { RoundingMode } from './RoundingMode.js'

/**
 * Divides two bigints and rounds the quotient with an explicit rounding mode.
 *
 * Formula: `q = trunc(n / d)`, `r = n - q*d`; if `r != 0` the result moves one step away from zero
 * (`q + sign(n/d)`) when the mode says so: always for `expand`, toward the sign for `ceil`/`floor`,
 * and for the `half*` modes when `2|r| > |d|` or on a tie (`2|r| = |d|`) by the mode's tie rule.
 *
 * @param n - Numerator.
 * @param d - Denominator, non-zero.
 * @param rounding - Rounding mode; `exact` throws `PrecisionLossError` when `d` does not divide `n`.
 * @returns The rounded quotient.
 * @example
 * ```ts
 * divRound(7n, 2n, 'halfEven') // 4n
 * divRound(-7n, 2n, 'floor') // -4n
 * ```
 */
export function divRound(n: bigint, d: bigint, rounding: RoundingMode): bigint {
  if (d === 0n) {
    throw new MoneyError('Division by zero.', {
      details: `divRound(${n}, 0, ${rounding})`,
      metaMessages: ['Check the denominator (a zero supply, price or decimals scale) before dividing.'],
    })
  }
  const q = n / d
  const r = n - q * d
  if (r === 0n) return q
  const sign = n < 0n !== d < 0n ? -1n : 1n
  const away = q + sign
  switch (rounding) {
    case 'trunc':
      return q
    case 'expand':
      return away
    case 'floor':
      return sign < 0n ? away : q
    case 'ceil':
      return sign > 0n ? away : q
    case 'exact':
      throw new PrecisionLossError('Result is not exact.', {
        details: `${n} / ${d} leaves remainder ${r}.`,
        metaMessages: ['Pass an explicit rounding mode (for example "halfEven" or "floor").'],
      })
    default: {
      const twiceR = (r < 0n ? -r : r) * 2n
      const absD = d < 0n ? -d : d
      if (twiceR > absD) return away
      if (twiceR < absD) return q
      switch (rounding) {
        case 'halfExpand':
          return away
        case 'halfTrunc':
          return q
        case 'halfCeil':
          return sign > 0n ? away : q
        case 'halfFloor':
          return sign < 0n ? away : q
        case 'halfEven':
          return q % 2n === 0n ? q : away
        default:
          throw new MoneyError('Unknown rounding mode.', {
            details: `rounding = ${JSON.stringify(rounding)}`,
            metaMessages: [
              'Use one of ceil, floor, expand, trunc, halfCeil, halfFloor, halfExpand, halfTrunc, halfEven, exact.',
            ],
          })
      }
    }
  }
}
