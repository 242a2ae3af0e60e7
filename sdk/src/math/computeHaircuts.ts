import { numberToFixed } from '../money/fixedNumber.js'
import { pow10 } from '../money/pow10.js'
import { WAD } from '../money/wad.js'
import type { PoolState } from '../state/PoolState.js'
import { priceAgeOf } from '../state/priceAge.js'
import { ewmaVolatility, RISKMETRICS_LAMBDA } from './ewmaVolatility.js'
import { normalQuantile } from './normalQuantile.js'
import { ReserveMathError } from './ReserveMathError.js'

/** What to do with a price older than `maxPriceAge`. */
export type StalePricePolicy = 'raise-haircut' | 'fail'

/** Options of the haircut model (shared by `evaluatePool` and everything built on it). */
export type HaircutOptions = {
  /** Confidence of the volatility haircut; `z = normalQuantile(confidence)`. Default 0.99 (z = 2.326). */
  confidence?: number
  /** EWMA decay of the volatility estimate. Default 0.94 (RiskMetrics, daily data). */
  lambda?: number
  /** A feed price older than this many seconds (at `state.timestamp`) is stale. Default 86,400 (24 h, the longest usual heartbeat). */
  maxPriceAge?: number
  /** `raise-haircut` (default): a stale price gets a bigger haircut; `fail`: throw `ReserveMathError`. */
  stalePricePolicy?: StalePricePolicy
  /** Haircut added to a stale asset (WAD), on top of the horizon grown by the price's age. Default 10%. */
  stalePriceAddOn?: bigint
  /** Fixed haircuts (WAD) by asset symbol, replacing the model (e.g. what governance published). */
  haircutOverrides?: Readonly<Record<string, bigint>>
}

/** The haircut of one reserve asset and how it was found. */
export type AssetHaircut = {
  asset: string
  /** The haircut applied, WAD in [0, 1e18]. */
  haircut: bigint
  /** Governance floor, WAD. */
  floor: bigint
  /** `z * sigma * sqrt(T)` as WAD (capped at 1e18), or null without a price history. */
  volatilityHaircut: bigint | null
  /** Daily EWMA volatility of the asset's price (log-returns), or null without a history. */
  dailyVolatility: number | null
  /** Seconds since the oldest feed update the asset's price depends on. */
  priceAge: number
  /** Whether that age is above `maxPriceAge`. */
  stale: boolean
  /** Which term set the haircut. */
  source: 'floor' | 'volatility' | 'override'
}

/** Defaults of `HaircutOptions`, exported so callers can show them. */
export const defaultHaircutOptions = {
  confidence: 0.99,
  lambda: RISKMETRICS_LAMBDA,
  maxPriceAge: 86_400,
  stalePricePolicy: 'raise-haircut' as StalePricePolicy,
  stalePriceAddOn: WAD / 10n,
}

const DAY = 86_400

/**
 * Volatility-adjusted haircut of one asset.
 *
 * Formula: `h = min(1, max(h_floor, z_q * sigma_daily * sqrt(T_days)))`, plus a stale add-on.
 * Source: Basel Committee, "Minimum capital requirements for market risk" (2019), MAR33 haircut
 * approach; RiskMetrics (1996) for `sigma`; Basel III HQLA haircuts (0%, 15%, 25-50%) as anchors.
 *
 * @param floor - Governance floor, WAD.
 * @param dailyVolatility - Daily volatility (fraction), or null for floor only.
 * @param horizonSeconds - Liquidation horizon in seconds (`T`).
 * @param z - Normal quantile (2.326 for 99%).
 * @returns `{ haircut, volatilityHaircut }`, both WAD, rounded up.
 * @example
 * ```ts
 * volatilityHaircut(WAD / 10n, 0.05, 86_400, 2.326).haircut // 116_300_000_000_000_001n (z*sigma = 11.63% > 10%)
 * ```
 */
export function volatilityHaircut(
  floor: bigint,
  dailyVolatility: number | null,
  horizonSeconds: number,
  z: number,
): { haircut: bigint; volatilityHaircut: bigint | null } {
  if (dailyVolatility === null) return { haircut: floor, volatilityHaircut: null }
  const raw = z * dailyVolatility * Math.sqrt(horizonSeconds / DAY)
  const vol = raw >= 1 ? WAD : numberToFixed(Math.max(0, raw), 18, 'ceil')
  return { haircut: vol > floor ? vol : floor, volatilityHaircut: vol }
}

/**
 * Haircuts of every reserve asset (every asset with risk parameters) of a state.
 *
 * - `sigma` from the EWMA of the asset's feed history, scaled to a day by `sqrt(86400 / interval)`
 *   (`interval` the mean spacing of the history); an ERC-4626 share uses its underlying's sigma; a
 *   constant-product LP uses `(sigma0 + sigma1) / 2`, the volatility of `sqrt(p0 p1)` under perfect
 *   correlation (an upper bound).
 * - A stale price (older than `maxPriceAge`) either throws (`fail`) or gets the horizon extended by
 *   its age and `stalePriceAddOn` added (`raise-haircut`), capped at 100%.
 *
 * @param state - A validated pool state.
 * @param options - Haircut model options.
 * @returns Haircuts by asset symbol.
 * @example
 * ```ts
 * computeHaircuts(examplePoolState()).get('WETH')?.haircut // 150_000_000_000_000_000n (the 15% floor)
 * ```
 */
export function computeHaircuts(
  state: PoolState,
  options: HaircutOptions & {
    /** Assets whose stale price should throw under `fail` (default all); others are only flagged. */
    failOnlyFor?: ReadonlySet<string>
  } = {},
): Map<string, AssetHaircut> {
  const o = resolveHaircutOptions(options)
  const z = normalQuantile(o.confidence)
  const bySymbol = new Map(state.assets.map((a) => [a.symbol, a]))
  const sigmaCache = new Map<string, number | null>()
  const sigmaOf = (symbol: string): number | null => {
    if (sigmaCache.has(symbol)) return sigmaCache.get(symbol)!
    const asset = bySymbol.get(symbol)!
    let sigma: number | null = null
    if (asset.kind === 'erc20')
      sigma = dailySigma(asset.symbol, asset.priceHistory, asset.price.decimals, o.lambda)
    else if (asset.kind === 'erc4626') sigma = sigmaOf(asset.underlying)
    else {
      const s0 = sigmaOf(asset.token0)
      const s1 = sigmaOf(asset.token1)
      sigma = s0 === null && s1 === null ? null : ((s0 ?? 0) + (s1 ?? 0)) / 2
    }
    sigmaCache.set(symbol, sigma)
    return sigma
  }
  const out = new Map<string, AssetHaircut>()
  for (const params of state.riskParameters) {
    const symbol = params.asset
    // The feed's own heartbeat where the state gives one (the strictest of a derived asset's feeds).
    const { age: priceAge, maxAge, stale } = priceAgeOf(bySymbol, symbol, state.timestamp, o.maxPriceAge)
    if (stale && o.stalePricePolicy === 'fail' && (options.failOnlyFor?.has(symbol) ?? true)) {
      throw stalePriceError(symbol, priceAge, maxAge)
    }
    const override = options.haircutOverrides?.[symbol]
    if (override !== undefined) {
      if (override < 0n || override > WAD) {
        throw new ReserveMathError('Haircut override out of range.', {
          details: `haircutOverrides.${symbol} = ${override}; expected 0 to 1e18 (WAD).`,
          metaMessages: ['Haircuts are WAD fractions: 15% is 150000000000000000n.'],
        })
      }
      out.set(symbol, {
        asset: symbol,
        haircut: override,
        floor: params.haircutFloor,
        volatilityHaircut: null,
        dailyVolatility: sigmaOf(symbol),
        priceAge,
        stale,
        source: 'override',
      })
      continue
    }
    const sigma = sigmaOf(symbol)
    const horizon = params.liquidationHorizon + (stale ? priceAge : 0)
    const { haircut, volatilityHaircut: vol } = volatilityHaircut(params.haircutFloor, sigma, horizon, z)
    let h = haircut
    if (stale) h += o.stalePriceAddOn
    if (h > WAD) h = WAD
    out.set(symbol, {
      asset: symbol,
      haircut: h,
      floor: params.haircutFloor,
      volatilityHaircut: vol,
      dailyVolatility: sigma,
      priceAge,
      stale,
      source: vol !== null && vol > params.haircutFloor ? 'volatility' : 'floor',
    })
  }
  return out
}

/** Fills defaults and checks ranges of haircut options. */
export function resolveHaircutOptions(options: HaircutOptions): typeof defaultHaircutOptions {
  const o = {
    confidence: options.confidence ?? defaultHaircutOptions.confidence,
    lambda: options.lambda ?? defaultHaircutOptions.lambda,
    maxPriceAge: options.maxPriceAge ?? defaultHaircutOptions.maxPriceAge,
    stalePricePolicy: options.stalePricePolicy ?? defaultHaircutOptions.stalePricePolicy,
    stalePriceAddOn: options.stalePriceAddOn ?? defaultHaircutOptions.stalePriceAddOn,
  }
  if (!(o.confidence > 0 && o.confidence < 1)) {
    throw new ReserveMathError('Invalid confidence.', {
      details: `confidence = ${String(o.confidence)}; expected 0 < confidence < 1.`,
      metaMessages: ['Use 0.99 for a 99% quantile.'],
    })
  }
  if (!(o.maxPriceAge >= 0) || !Number.isFinite(o.maxPriceAge)) {
    throw new ReserveMathError('Invalid maxPriceAge.', {
      details: `maxPriceAge = ${String(o.maxPriceAge)}; expected seconds >= 0.`,
      metaMessages: ['E.g. 3600 for feeds with a one-hour heartbeat.'],
    })
  }
  if (o.stalePricePolicy !== 'raise-haircut' && o.stalePricePolicy !== 'fail') {
    throw new ReserveMathError('Invalid stalePricePolicy.', {
      details: `stalePricePolicy = ${JSON.stringify(o.stalePricePolicy)}.`,
      metaMessages: ['Use "raise-haircut" or "fail".'],
    })
  }
  if (o.stalePriceAddOn < 0n || o.stalePriceAddOn > WAD) {
    throw new ReserveMathError('Invalid stalePriceAddOn.', {
      details: `stalePriceAddOn = ${o.stalePriceAddOn}; expected 0 to 1e18 (WAD).`,
      metaMessages: ['10% is 100000000000000000n.'],
    })
  }
  return o
}

/** The error a stale price raises under the `fail` policy. */
export function stalePriceError(symbol: string, age: number, maxAge: number): ReserveMathError {
  return new ReserveMathError('Price is stale.', {
    details: `${symbol} price is ${age} s old; maxPriceAge is ${maxAge} s.`,
    metaMessages: ['Refresh the feed, raise maxPriceAge, or use stalePricePolicy "raise-haircut".'],
  })
}

function dailySigma(
  symbol: string,
  history: readonly { answer: bigint; updatedAt: number }[] | undefined,
  decimals: number,
  lambda: number,
): number | null {
  if (history === undefined || history.length < 3) return null
  const first = history[0]!.updatedAt
  const last = history[history.length - 1]!.updatedAt
  const interval = (last - first) / (history.length - 1)
  if (!(interval > 0)) {
    throw new ReserveMathError('Price history has no time span.', {
      details: `${symbol} history: ${history.length} points, all at ${first}.`,
      metaMessages: ['Give observations at a regular interval (e.g. daily closes).'],
    })
  }
  const scale = Number(pow10(decimals))
  const prices = history.map((p) => Number(p.answer) / scale)
  return ewmaVolatility(prices, lambda) * Math.sqrt(DAY / interval)
}
