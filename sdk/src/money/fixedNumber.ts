import { assertDecimals } from './assertDecimals.js'
import { divRound } from './divRound.js'
import { formatDecimal } from './formatDecimal.js'
import { MoneyError } from './MoneyError.js'
import { pow10 } from './pow10.js'
import type { RoundingMode } from './RoundingMode.js'

/**
 * Converts a fixed-point bigint to a float, for statistics only (volatility, VaR); never for money.
 * Goes through the exact decimal string, so the result is the float nearest to the exact value.
 *
 * @param value - Fixed-point amount.
 * @param decimals - Its decimals.
 * @returns The nearest double.
 * @example
 * ```ts
 * fixedToNumber(1_500_000n, 6) // 1.5
 * ```
 */
export function fixedToNumber(value: bigint, decimals: number): number {
  return Number(formatDecimal(value, decimals))
}

/**
 * Converts a finite float (a statistic such as a volatility-based haircut) to a fixed-point bigint,
 * exactly: the double `m * 2^e` is expanded with bigints and rounded once with `rounding`.
 *
 * @param value - A finite number; NaN and infinities are rejected.
 * @param decimals - Decimals of the result.
 * @param rounding - How to round the exact binary value (e.g. `ceil` for a haircut: never understate it).
 * @returns `round(value * 10^decimals)`.
 * @example
 * ```ts
 * numberToFixed(0.25, 18, 'exact') // 250_000_000_000_000_000n
 * ```
 */
export function numberToFixed(value: number, decimals: number, rounding: RoundingMode): bigint {
  assertDecimals(decimals)
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MoneyError('Not a finite number.', {
      details: `value = ${String(value)}`,
      metaMessages: [
        'Statistics fed into fixed point must be finite; check for empty or constant price series.',
      ],
    })
  }
  if (value === 0) return 0n
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, value)
  const bits = view.getBigUint64(0)
  const negative = bits >> 63n === 1n
  const exponent = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n)
  const e = exponent === 0 ? -1074 : exponent - 1075
  const numerator = mantissa * pow10(decimals) * (e > 0 ? 1n << BigInt(e) : 1n)
  const denominator = e < 0 ? 1n << BigInt(-e) : 1n
  return divRound(negative ? -numerator : numerator, denominator, rounding)
}
