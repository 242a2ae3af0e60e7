import { formatDecimal, RATIO_DECIMALS, USD_DECIMALS } from '@ballast/sdk'

/**
 * Formats a USD bigint (18 decimals) as an exact decimal string.
 *
 * @param value - USD with 18 decimals.
 * @returns e.g. `"1234.5"`.
 * @example
 * ```ts
 * usd(1_500_000_000_000_000_000n) // "1.5"
 * ```
 */
export function usd(value: bigint): string {
  return formatDecimal(value, USD_DECIMALS)
}

/**
 * Formats a WAD ratio as an exact decimal string, or null when there is none.
 *
 * @param value - WAD ratio or undefined.
 * @returns e.g. `"1.25"` or null.
 * @example
 * ```ts
 * ratio(1_250_000_000_000_000_000n) // "1.25"
 * ```
 */
export function ratio(value: bigint | null | undefined): string | null {
  return value === undefined || value === null ? null : formatDecimal(value, RATIO_DECIMALS)
}
