import { pow10 } from '../money/pow10.js'
import type { PoolState } from '../state/PoolState.js'
import { ewmaCovariance, RISKMETRICS_LAMBDA } from './ewmaVolatility.js'
import { normalQuantile } from './normalQuantile.js'
import { ReserveMathError } from './ReserveMathError.js'

/**
 * Joint distribution of daily price moves of the priced (erc20) assets: the covariance of daily
 * log-returns. Statistics, so floats.
 */
export type RiskModel = {
  /** erc20 symbols, in the order of the matrix rows. */
  assets: readonly string[]
  /** Daily covariance of log-returns (symmetric, positive semi-definite). */
  covariance: readonly (readonly number[])[]
}

const DAY = 86_400

/** Options of {@link estimateRiskModel}. */
export type EstimateRiskModelOptions = {
  /** EWMA decay (default 0.94). */
  lambda?: number
  /** Confidence the haircut floors are read at, for implied volatilities (default 0.99). */
  confidence?: number
  /** Correlation between assets whose volatility is implied from their floor (default 0.5). */
  impliedCorrelation?: number
}

/**
 * Estimates a `RiskModel` from a state.
 *
 * - Assets with a price history (at least 3 points): EWMA covariance of log-returns (RiskMetrics),
 *   histories aligned at their newest point over the shortest one, each entry scaled to a day by
 *   `86400 / sqrt(dt_i * dt_j)`.
 * - Other assets with risk parameters: a volatility implied by their haircut floor, read as a
 *   `q`-quantile move over the liquidation horizon: `sigma = h_floor / (z_q * sqrt(T_days))` (the
 *   haircut formula solved for sigma), correlated `impliedCorrelation` with each other and 0 with
 *   the history-based block (the matrix stays positive semi-definite).
 * - Assets with neither (e.g. the liability token) do not move.
 * Source: RiskMetrics Technical Document (1996), 5.3.
 *
 * @param state - The pool state.
 * @param options - EWMA decay, confidence and the implied assets' correlation.
 * @returns The risk model over every erc20 asset of the state.
 * @example
 * ```ts
 * const model = estimateRiskModel(state) // model.covariance[i][i] = daily variance of asset i
 * ```
 */
export function estimateRiskModel(state: PoolState, options: EstimateRiskModelOptions = {}): RiskModel {
  const rho = options.impliedCorrelation ?? 0.5
  if (!(rho >= 0 && rho <= 1)) {
    throw new ReserveMathError('Invalid impliedCorrelation.', {
      details: `impliedCorrelation = ${String(rho)}; expected 0 to 1.`,
      metaMessages: ['0.5 is a moderate co-movement of crypto assets in a stress.'],
    })
  }
  const z = normalQuantile(options.confidence ?? 0.99)
  const risk = new Map(state.riskParameters.map((r) => [r.asset, r]))
  const erc20 = state.assets.flatMap((a) => (a.kind === 'erc20' ? [a] : []))
  const assets = erc20.map((a) => a.symbol)
  const covariance = assets.map(() => assets.map(() => 0))
  const withHistory = erc20.flatMap((a, index) => {
    const h = a.priceHistory
    if (h === undefined || h.length < 3) return []
    const interval = (h[h.length - 1]!.updatedAt - h[0]!.updatedAt) / (h.length - 1)
    if (!(interval > 0)) {
      throw new ReserveMathError('Price history has no time span.', {
        details: `${a.symbol} history: ${h.length} points, all at ${h[0]!.updatedAt}.`,
        metaMessages: ['Give observations at a regular interval (e.g. daily closes).'],
      })
    }
    const scale = Number(pow10(a.price.decimals))
    return [{ index, interval, prices: h.map((p) => Number(p.answer) / scale) }]
  })
  if (withHistory.length > 0) {
    const cov = ewmaCovariance(
      withHistory.map((x) => x.prices),
      options.lambda ?? RISKMETRICS_LAMBDA,
    )
    withHistory.forEach((x, i) => {
      withHistory.forEach((y, j) => {
        covariance[x.index]![y.index] = (cov[i]![j]! * DAY) / Math.sqrt(x.interval * y.interval)
      })
    })
  }
  const historyIndex = new Set(withHistory.map((x) => x.index))
  const implied = erc20.flatMap((a, index) => {
    const r = risk.get(a.symbol)
    if (historyIndex.has(index) || r === undefined) return []
    const sigma = Number(r.haircutFloor) / 1e18 / (z * Math.sqrt(r.liquidationHorizon / DAY))
    return sigma > 0 ? [{ index, sigma }] : []
  })
  for (const x of implied) {
    for (const y of implied) covariance[x.index]![y.index] = x.sigma * y.sigma * (x === y ? 1 : rho)
  }
  return { assets, covariance }
}

/**
 * Builds a `RiskModel` from daily volatilities and a correlation matrix:
 * `cov_ij = sigma_i * sigma_j * rho_ij`.
 *
 * @param assets - erc20 symbols.
 * @param dailyVolatilities - Daily volatility per asset (fractions, >= 0).
 * @param correlation - Correlation matrix (1 on the diagonal); default identity.
 * @returns The risk model.
 * @example
 * ```ts
 * riskModelFromVolatilities(['WETH', 'WBTC'], [0.04, 0.035], [[1, 0.8], [0.8, 1]])
 * ```
 */
export function riskModelFromVolatilities(
  assets: readonly string[],
  dailyVolatilities: readonly number[],
  correlation?: readonly (readonly number[])[],
): RiskModel {
  if (
    dailyVolatilities.length !== assets.length ||
    (correlation !== undefined && correlation.length !== assets.length)
  ) {
    throw new ReserveMathError('Risk model dimensions differ.', {
      details: `${assets.length} assets, ${dailyVolatilities.length} volatilities, ${correlation?.length ?? 'no'} correlation rows.`,
      metaMessages: ['Give one volatility and one correlation row per asset.'],
    })
  }
  dailyVolatilities.forEach((s, i) => {
    if (!(Number.isFinite(s) && s >= 0)) {
      throw new ReserveMathError('Invalid volatility.', {
        details: `dailyVolatilities[${i}] (${assets[i]}) = ${String(s)}; expected a finite number >= 0.`,
        metaMessages: ['Volatilities are fractions: 0.04 is 4% a day.'],
      })
    }
  })
  return {
    assets,
    covariance: assets.map((_, i) =>
      assets.map(
        (_, j) =>
          dailyVolatilities[i]! * dailyVolatilities[j]! * (correlation?.[i]?.[j] ?? (i === j ? 1 : 0)),
      ),
    ),
  }
}
