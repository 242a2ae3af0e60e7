import { MoneyError } from './MoneyError.js'

/** Largest decimals count accepted anywhere (uint256 has 78 digits; no real token goes near it). */
export const MAX_DECIMALS = 77

/**
 * Throws unless `decimals` is an integer in `0..77` (token decimals, feed decimals, output digits).
 *
 * @param decimals - The value to check.
 * @param name - What it is, for the error message (e.g. `USDC decimals`).
 * @example
 * ```ts
 * assertDecimals(6, 'USDC decimals') // ok
 * ```
 */
export function assertDecimals(decimals: number, name = 'decimals'): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new MoneyError(`Invalid ${name}.`, {
      details: `${name} = ${String(decimals)}; expected an integer from 0 to ${MAX_DECIMALS}.`,
      metaMessages: ['Token and feed decimals are small non-negative integers (6, 8, 18).'],
    })
  }
}
