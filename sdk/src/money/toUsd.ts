import { divRound } from './divRound.js'
import { pow10 } from './pow10.js'
import type { RoundingMode } from './RoundingMode.js'
import { USD_DECIMALS } from './wad.js'

/**
 * Values a token amount in USD with 18 decimals, from a feed price with its own decimals.
 *
 * Formula: `usd = round(amount * price * 10^18 / 10^(tokenDecimals + priceDecimals))`.
 *
 * @param amount - Token amount in its smallest unit.
 * @param tokenDecimals - Decimals of the token (e.g. 6 for USDC).
 * @param price - Feed answer (USD per whole token) in its smallest unit.
 * @param priceDecimals - Decimals of the feed (8 for Chainlink USD feeds).
 * @param rounding - Default `floor` (reserves are never overstated).
 * @returns USD value with 18 decimals.
 * @example
 * ```ts
 * // 2.5 WETH at 3000.00000000 USD (8-decimal feed) = 7500 USD
 * toUsd(2_500_000_000_000_000_000n, 18, 300_000_000_000n, 8) // 7_500n * 10n ** 18n
 * ```
 */
export function toUsd(
  amount: bigint,
  tokenDecimals: number,
  price: bigint,
  priceDecimals: number,
  rounding: RoundingMode = 'floor',
): bigint {
  return divRound(amount * price * pow10(USD_DECIMALS), pow10(tokenDecimals + priceDecimals), rounding)
}
