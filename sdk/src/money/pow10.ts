import { assertDecimals } from './assertDecimals.js'

const cache: bigint[] = []

/**
 * `10n ** BigInt(decimals)`, cached (it is on every hot path of the reserve math).
 *
 * @param decimals - Integer from 0 to 77.
 * @returns `10^decimals` as a bigint.
 * @example
 * ```ts
 * pow10(6) // 1_000_000n
 * ```
 */
export function pow10(decimals: number): bigint {
  const hit = cache[decimals]
  if (hit !== undefined) return hit
  assertDecimals(decimals)
  const value = 10n ** BigInt(decimals)
  cache[decimals] = value
  return value
}
