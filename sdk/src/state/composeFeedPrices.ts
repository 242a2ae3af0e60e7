import type { PriceFact } from './PoolFacts.js'
import type { PricePoint } from './PoolState.js'

/**
 * The price of a composed feed `a x b` (e.g. stETH/ETH x ETH/USD): `a.answer * b.answer /
 * 10^b.decimals` with `a`'s decimals (rounded down), its time the older of the two and its
 * heartbeat the shorter, so the composition is stale as soon as either feed is. The history holds
 * the product at the times both histories have. The custom indexer and the subgraph reader both
 * compose through here, so they give the same number.
 *
 * @param a - The first feed's price (its decimals are the result's).
 * @param b - The feed multiplied in.
 * @returns The composed price.
 * @example
 * ```ts
 * composeFeedPrices(
 *   { answer: 99_900_000n, decimals: 8, updatedAt: 10 },
 *   { answer: 3_000n * 10n ** 8n, decimals: 8, updatedAt: 20 },
 * ) // { answer: 299_700_000_000n, decimals: 8, updatedAt: 10 }
 * ```
 */
export function composeFeedPrices(a: PriceFact, b: PriceFact): PriceFact {
  const scale = 10n ** BigInt(b.decimals)
  const maxAge =
    a.maxAge === undefined ? b.maxAge : b.maxAge === undefined ? a.maxAge : Math.min(a.maxAge, b.maxAge)
  const history =
    a.history === undefined || b.history === undefined
      ? undefined
      : composeHistory(a.history, b.history, scale)
  return {
    answer: (a.answer * b.answer) / scale,
    decimals: a.decimals,
    updatedAt: Math.min(a.updatedAt, b.updatedAt),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(history === undefined ? {} : { history }),
  }
}

/** Samples of `a x b` at the times both have. */
function composeHistory(a: readonly PricePoint[], b: readonly PricePoint[], scale: bigint): PricePoint[] {
  const byTime = new Map(b.map((p) => [p.updatedAt, p.answer]))
  return a.flatMap((p) => {
    const other = byTime.get(p.updatedAt)
    return other === undefined ? [] : [{ answer: (p.answer * other) / scale, updatedAt: p.updatedAt }]
  })
}
