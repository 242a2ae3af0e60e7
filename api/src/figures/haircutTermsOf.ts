import { formatDecimal, type PoolState, RATIO_DECIMALS } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'

/** The GraphQL `HaircutTerms` of an asset. */
export type HaircutTermsView = {
  haircut: string
  floor: string
  volatility: string | null
  dailyVolatility: number | null
  priceSamples: number
  source: 'FLOOR' | 'VOLATILITY' | 'OVERRIDE'
  stale: boolean
}

/**
 * How the sdk found an asset's haircut in an evaluation (`computeHaircuts`: the floor, the
 * volatility term `z * sigma * sqrt(T)`, which applied), as exact decimals, with the number of
 * price samples the volatility was estimated from (an ERC-4626 share's are its underlying's, an
 * LP's the fewer of its two tokens'). Null for an asset the evaluation has no haircut for.
 *
 * @param e - the pool evaluation.
 * @param state - the state it was computed from.
 * @param asset - the asset symbol.
 * @returns the terms, or null.
 * @example
 * ```ts
 * haircutTermsOf(evaluation, state, 'WETH')?.source // 'VOLATILITY'
 * ```
 */
export function haircutTermsOf(e: PoolEvaluation, state: PoolState, asset: string): HaircutTermsView | null {
  const h = e.haircuts.find((x) => x.asset === asset)
  if (h === undefined) return null
  const wad = (v: bigint) => formatDecimal(v, RATIO_DECIMALS)
  return {
    haircut: wad(h.haircut),
    floor: wad(h.floor),
    volatility: h.volatilityHaircut === null ? null : wad(h.volatilityHaircut),
    dailyVolatility: h.dailyVolatility,
    priceSamples: priceSamplesOf(state, asset, new Set()),
    source: h.source === 'volatility' ? 'VOLATILITY' : h.source === 'override' ? 'OVERRIDE' : 'FLOOR',
    stale: h.stale,
  }
}

function priceSamplesOf(state: PoolState, symbol: string, seen: Set<string>): number {
  const asset = state.assets.find((a) => a.symbol === symbol)
  if (asset === undefined || seen.has(symbol)) return 0
  seen.add(symbol)
  if (asset.kind === 'erc20') return asset.priceHistory?.length ?? 0
  if (asset.kind === 'erc4626') return priceSamplesOf(state, asset.underlying, seen)
  return Math.min(priceSamplesOf(state, asset.token0, seen), priceSamplesOf(state, asset.token1, seen))
}
