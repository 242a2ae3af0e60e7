import { divRound } from '../money/divRound.js'
import { pow10 } from '../money/pow10.js'
import { sqrt } from '../money/sqrt.js'
import { USD_DECIMALS } from '../money/wad.js'
import type { Asset, ConstantProductLpAsset, PoolState } from '../state/PoolState.js'

/** The USD price of one whole token of an asset, as the reserve math uses it. */
export type AssetPrice = {
  asset: string
  kind: Asset['kind']
  /** USD per whole token, 18 decimals. */
  priceUsd: bigint
  /** Oldest feed update this price depends on (unix seconds). */
  updatedAt: number
}

/**
 * USD price (18 decimals) of one whole token of every asset of a state.
 *
 * Formulas:
 * - erc20: `P = answer * 10^18 / 10^feedDecimals`.
 * - erc4626: `P = assetsPerShare / 10^underlyingDecimals * P_underlying` (ERC-4626 `convertToAssets`).
 * - constant-product LP: fair value of the pool `V = 2 * sqrt(V0 * V1)` with `Vi = reserve_i * P_i`,
 *   i.e. `V = 2 * sqrt(k * p0 * p1)`, then `P = V / (totalSupply / 10^decimals)`. It equals the
 *   spot value when the pool price matches the feeds and is never above it (AM-GM), so a pool price
 *   pushed away from the feeds cannot inflate reserves. Source: Alpha Finance Lab, "Fair Uniswap's
 *   LP token pricing" (2020); Uniswap V2 whitepaper (constant product).
 * All rounded down (reserves are never overstated).
 *
 * @param state - A validated pool state.
 * @param overrides - Optional USD prices (18 decimals) replacing erc20 feed prices (stress tests).
 * @returns Prices by asset symbol.
 * @example
 * ```ts
 * resolveAssetPrices(examplePoolState()).get('svUSDC')?.priceUsd // 1_050_000_000_000_000_000n
 * ```
 */
export function resolveAssetPrices(
  state: PoolState,
  overrides?: ReadonlyMap<string, bigint>,
): Map<string, AssetPrice> {
  const prices = new Map<string, AssetPrice>()
  const bySymbol = new Map(state.assets.map((a) => [a.symbol, a]))
  for (const asset of state.assets) {
    if (asset.kind !== 'erc20') continue
    const priceUsd =
      overrides?.get(asset.symbol) ??
      divRound(asset.price.answer * pow10(USD_DECIMALS), pow10(asset.price.decimals), 'floor')
    prices.set(asset.symbol, {
      asset: asset.symbol,
      kind: 'erc20',
      priceUsd,
      updatedAt: asset.price.updatedAt,
    })
  }
  for (const asset of state.assets) {
    if (asset.kind === 'erc4626') {
      const under = prices.get(asset.underlying)!
      const decimals = bySymbol.get(asset.underlying)!.decimals
      const priceUsd = divRound(asset.assetsPerShare * under.priceUsd, pow10(decimals), 'floor')
      prices.set(asset.symbol, { asset: asset.symbol, kind: 'erc4626', priceUsd, updatedAt: under.updatedAt })
    } else if (asset.kind === 'constantProductLp') {
      const p0 = prices.get(asset.token0)!
      const p1 = prices.get(asset.token1)!
      const poolValue = lpPoolValueUsd(asset, bySymbol, p0.priceUsd, p1.priceUsd)
      const priceUsd = divRound(poolValue * pow10(asset.decimals), asset.totalSupply, 'floor')
      prices.set(asset.symbol, {
        asset: asset.symbol,
        kind: 'constantProductLp',
        priceUsd,
        updatedAt: Math.min(p0.updatedAt, p1.updatedAt),
      })
    }
  }
  return prices
}

/**
 * Fair USD value (18 decimals) of a whole constant-product pool.
 *
 * Formula: `V = 2 * sqrt(V0 * V1)` with `Vi = reserve_i / 10^d_i * P_i`, i.e. `2 sqrt(k p0 p1)`
 * (Alpha Finance Lab, "Fair Uniswap's LP token pricing", 2020), rounded down.
 *
 * @param asset - The LP asset (reserves in each token's smallest unit).
 * @param bySymbol - The state's assets by symbol (for the tokens' decimals).
 * @param price0Usd - USD price of token0 (18 decimals).
 * @param price1Usd - USD price of token1 (18 decimals).
 * @returns The pool's fair value in USD (18 decimals).
 * @example
 * ```ts
 * // 1,000 WETH at 3,000 and 3,000,000 USDC at 1: 2 * sqrt(3e6 * 3e6) = 6,000,000 USD
 * lpPoolValueUsd(lp, bySymbol, 3_000n * 10n ** 18n, 10n ** 18n) // 6_000_000n * 10n ** 18n
 * ```
 */
export function lpPoolValueUsd(
  asset: ConstantProductLpAsset,
  bySymbol: ReadonlyMap<string, Asset>,
  price0Usd: bigint,
  price1Usd: bigint,
): bigint {
  const v0 = divRound(asset.reserve0 * price0Usd, pow10(bySymbol.get(asset.token0)!.decimals), 'floor')
  const v1 = divRound(asset.reserve1 * price1Usd, pow10(bySymbol.get(asset.token1)!.decimals), 'floor')
  return 2n * sqrt(v0 * v1)
}
