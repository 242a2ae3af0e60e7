import { pow10 } from '../money/pow10.js'
import type { PoolState } from '../state/PoolState.js'
import { ewmaCovariance, RISKMETRICS_LAMBDA } from './ewmaVolatility.js'
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

/**
 * Estimates a `RiskModel` from the price histories in a state (EWMA covariance, RiskMetrics).
 * Assets without a history (fewer than 3 points) get zero variance: they do not move in Monte
 * Carlo and add nothing to parametric buffers. Histories are aligned at their newest point over
 * the shortest one; each covariance is scaled to a day by `86400 / sqrt(dt_i * dt_j)`.
 * Source: RiskMetrics Technical Document (1996), 5.3.
 *
 * @param state - The pool state.
 * @param options - `lambda`, the EWMA decay (default 0.94).
 * @returns The risk model over every erc20 asset of the state.
 * @example
 * ```ts
 * const model = estimateRiskModel(state) // model.covariance[i][i] = daily variance of asset i
 * ```
 */
export function estimateRiskModel(state: PoolState, options: { lambda?: number } = {}): RiskModel {
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
