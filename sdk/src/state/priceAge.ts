import type { Asset, Price } from './PoolState.js'

/** One feed price an asset's value rests on, and the erc20 asset it belongs to. */
export type FeedDependency = { symbol: string; price: Price }

/**
 * The feed prices an asset's value rests on: an erc20's own, a vault share's underlying's, an LP
 * token's two tokens'. Staleness is a property of these feeds, so every rule about it (the
 * haircut's stale add-on, the liability's, the `stale-price` reason) walks the same list.
 *
 * @param bySymbol - The state's assets by symbol.
 * @param symbol - The asset.
 * @returns The feeds, each once (an LP of two tokens lists two).
 * @example
 * ```ts
 * feedDependencies(bySymbol, 'svUSDC') // [{ symbol: 'USDC', price: { ... } }]
 * ```
 */
export function feedDependencies(bySymbol: ReadonlyMap<string, Asset>, symbol: string): FeedDependency[] {
  const asset = bySymbol.get(symbol)
  if (asset === undefined) return []
  if (asset.kind === 'erc20') return [{ symbol, price: asset.price }]
  // A validated state's vault and LP parts are erc20 assets, so this never recurses further.
  const parts = asset.kind === 'erc4626' ? [asset.underlying] : [asset.token0, asset.token1]
  const out: FeedDependency[] = []
  for (const part of parts) {
    for (const d of feedDependencies(bySymbol, part)) if (!out.some((o) => o.symbol === d.symbol)) out.push(d)
  }
  return out
}

/**
 * How old an asset's price is and how old it may be: the age of its oldest feed and the shortest
 * heartbeat among its feeds (a feed without one is allowed `defaultMaxAge`).
 *
 * @param bySymbol - The state's assets by symbol.
 * @param symbol - The asset.
 * @param timestamp - The state's time.
 * @param defaultMaxAge - The heartbeat of a feed that gives none (the evaluation's `maxPriceAge`).
 * @returns `{ age, maxAge, stale }` in seconds.
 * @example
 * ```ts
 * priceAgeOf(bySymbol, 'bUSD', state.timestamp, 86_400).stale // false for a fresh feed
 * ```
 */
export function priceAgeOf(
  bySymbol: ReadonlyMap<string, Asset>,
  symbol: string,
  timestamp: number,
  defaultMaxAge: number,
): { age: number; maxAge: number; stale: boolean } {
  const feeds = feedDependencies(bySymbol, symbol)
  const updatedAt = Math.min(...feeds.map((f) => f.price.updatedAt))
  const age = feeds.length === 0 ? 0 : Math.max(0, timestamp - updatedAt)
  const maxAge =
    feeds.length === 0 ? defaultMaxAge : Math.min(...feeds.map((f) => f.price.maxAge ?? defaultMaxAge))
  return { age, maxAge, stale: age > maxAge }
}
