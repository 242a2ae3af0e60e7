import { assertDecimals } from './assertDecimals.js'
import { divRound } from './divRound.js'
import { pow10 } from './pow10.js'
import type { RoundingMode } from './RoundingMode.js'

/** Options of {@link formatDecimal}. */
export type FormatDecimalOptions = {
  /**
   * Exactly this many fraction digits (rounded with `rounding`, padded with zeros). Without it, the
   * output is exact and trailing fraction zeros are dropped (`"1.5"`, `"2"`).
   */
  fractionDigits?: number
  /** How to round when `fractionDigits < decimals`; default `exact` (throws rather than losing digits). */
  rounding?: RoundingMode
}

/**
 * Formats a fixed-point bigint as an exact decimal string: the inverse of `parseDecimal`
 * (`parseDecimal(formatDecimal(x, d), d) === x` for every bigint `x`).
 *
 * @param amount - Amount in the smallest unit.
 * @param decimals - Decimals of `amount` (0..77).
 * @param options - Fixed fraction digits and their rounding.
 * @returns A string like `"-1234.5"`; never an exponent, never a float.
 * @example
 * ```ts
 * formatDecimal(1_500_000n, 6) // "1.5"
 * formatDecimal(1_234_567n, 6, { fractionDigits: 2, rounding: 'halfEven' }) // "1.23"
 * ```
 */
export function formatDecimal(amount: bigint, decimals: number, options: FormatDecimalOptions = {}): string {
  assertDecimals(decimals)
  const { fractionDigits } = options
  let value = amount
  let digits = decimals
  if (fractionDigits !== undefined) {
    assertDecimals(fractionDigits, 'fractionDigits')
    if (fractionDigits < decimals) {
      value = divRound(amount, pow10(decimals - fractionDigits), options.rounding ?? 'exact')
    } else {
      value = amount * pow10(fractionDigits - decimals)
    }
    digits = fractionDigits
  }
  const negative = value < 0n
  const abs = (negative ? -value : value).toString().padStart(digits + 1, '0')
  const intPart = abs.slice(0, abs.length - digits)
  let fracPart = abs.slice(abs.length - digits)
  if (fractionDigits === undefined) fracPart = fracPart.replace(/0+$/, '')
  const body = fracPart.length > 0 ? `${intPart}.${fracPart}` : intPart
  return negative ? `-${body}` : body
}
