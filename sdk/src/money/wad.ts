import { divRound } from './divRound.js'
import { MoneyError } from './MoneyError.js'
import type { RoundingMode } from './RoundingMode.js'

/**
 * One in WAD fixed point (18 decimals). Every ratio, haircut and fraction in the SDK is a WAD
 * bigint: `1.25` is `1_250_000_000_000_000_000n`, a 15% haircut is `150_000_000_000_000_000n`.
 */
export const WAD = 10n ** 18n

/** Decimals of every USD value the SDK returns (USD values are bigints with 18 decimals). */
export const USD_DECIMALS = 18

/** Decimals of ratios and haircuts (WAD). */
export const RATIO_DECIMALS = 18

/**
 * Multiplies two WAD numbers: `round(a * b / 1e18)`.
 *
 * @param a - WAD (or any fixed point) value.
 * @param b - WAD value.
 * @param rounding - Default `floor`.
 * @returns The product with `a`'s decimals.
 * @example
 * ```ts
 * wadMul(2n * WAD, WAD / 4n) // WAD / 2n
 * ```
 */
export function wadMul(a: bigint, b: bigint, rounding: RoundingMode = 'floor'): bigint {
  return divRound(a * b, WAD, rounding)
}

/**
 * Divides two values into a WAD ratio: `round(a * 1e18 / b)`.
 *
 * @param a - Numerator (any fixed point).
 * @param b - Denominator with the same decimals as `a`; non-zero.
 * @param rounding - Default `floor`.
 * @returns `a / b` in WAD.
 * @example
 * ```ts
 * wadDiv(3n, 2n) // 1_500_000_000_000_000_000n
 * ```
 */
export function wadDiv(a: bigint, b: bigint, rounding: RoundingMode = 'floor'): bigint {
  return divRound(a * WAD, b, rounding)
}

/**
 * Converts basis points (the registry contract's unit, 10_000 = 100%) to WAD: `bps * 1e14`.
 *
 * @param bps - Integer basis points, >= 0.
 * @returns The same fraction in WAD.
 * @example
 * ```ts
 * bpsToWad(1_500) // 150_000_000_000_000_000n (15%)
 * ```
 */
export function bpsToWad(bps: number | bigint): bigint {
  if (typeof bps === 'number' && !Number.isSafeInteger(bps)) {
    throw new MoneyError('Invalid basis points.', {
      details: `bps = ${String(bps)}; expected a non-negative integer.`,
      metaMessages: ['Basis points are integers: 10000 is 100%.'],
    })
  }
  const value = BigInt(bps)
  if (value < 0n) {
    throw new MoneyError('Invalid basis points.', {
      details: `bps = ${value}; expected a non-negative integer.`,
      metaMessages: ['Basis points are integers: 10000 is 100%.'],
    })
  }
  return value * 10n ** 14n
}
