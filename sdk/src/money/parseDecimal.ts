import { assertDecimals } from './assertDecimals.js'
import { divRound } from './divRound.js'
import { MoneyError } from './MoneyError.js'
import { pow10 } from './pow10.js'
import type { RoundingMode } from './RoundingMode.js'

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/

/**
 * Parses an exact decimal string (`"1234.5678"`, `"-0.1"`) into a fixed-point bigint with `decimals`
 * decimals. No floats are involved: digits are read as a bigint and rescaled.
 *
 * Formula: for `s = int.frac` with `f` fraction digits, `round(int.frac * 10^f / 10^(f - decimals))`
 * when `f > decimals`, otherwise `int.frac * 10^(decimals - f)`.
 *
 * @param value - Optional sign, digits, optionally `.` and more digits. No exponent, no separators.
 * @param decimals - Decimals of the result (0..77).
 * @param rounding - Used when `value` has more fraction digits than `decimals`; default `exact`,
 *   which throws `PrecisionLossError` rather than silently dropping digits.
 * @returns The amount in the smallest unit.
 * @example
 * ```ts
 * parseDecimal('1.5', 6) // 1_500_000n
 * parseDecimal('0.1234567', 6, 'halfEven') // 123_457n
 * ```
 */
export function parseDecimal(value: string, decimals: number, rounding: RoundingMode = 'exact'): bigint {
  assertDecimals(decimals)
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null
  if (!match) {
    throw new MoneyError('Invalid decimal string.', {
      details: `value = ${JSON.stringify(value)}; expected digits with an optional sign and fraction, e.g. "-12.345".`,
      metaMessages: [
        'No exponents, spaces, thousands separators or empty parts ("1." and ".5" are rejected).',
      ],
    })
  }
  const negative = match[1] === '-'
  const fraction = match[3] ?? ''
  const digits = BigInt(match[2]! + fraction)
  const signed = negative ? -digits : digits
  if (fraction.length <= decimals) return signed * pow10(decimals - fraction.length)
  return divRound(signed, pow10(fraction.length - decimals), rounding)
}
