import { ReserveMathError } from './ReserveMathError.js'

/** RiskMetrics' decay factor for daily data (J.P. Morgan/Reuters, RiskMetrics Technical Document, 1996). */
export const RISKMETRICS_LAMBDA = 0.94

/**
 * EWMA volatility of log-returns (RiskMetrics), per observation interval.
 *
 * Formula: `r_t = ln(P_t / P_(t-1))`, zero mean; with the newest return weighted 1 and older ones by
 * powers of `lambda`, `sigma^2 = sum_i lambda^i r_(t-i)^2 / sum_i lambda^i` (the finite-sample
 * normalised form of `sigma^2_t = lambda sigma^2_(t-1) + (1 - lambda) r_t^2`).
 * Source: RiskMetrics Technical Document, 4th ed. (1996), section 5.2.1.
 *
 * @param prices - Positive prices, oldest first, at a regular interval (at least 2).
 * @param lambda - Decay factor in (0, 1); default 0.94.
 * @returns Volatility per interval (a fraction, e.g. 0.03 for 3% daily).
 * @example
 * ```ts
 * ewmaVolatility([100, 110, 99]) // 0.10061622...
 * ```
 */
export function ewmaVolatility(prices: readonly number[], lambda: number = RISKMETRICS_LAMBDA): number {
  const returns = logReturns(prices, 'prices')
  return Math.sqrt(ewmaVariance(returns, lambda))
}

/**
 * EWMA covariance matrix of the log-returns of several price series (RiskMetrics).
 *
 * Formula: `cov_ij = sum_k lambda^k r_i,(t-k) r_j,(t-k) / sum_k lambda^k` over the last `n` returns,
 * `n` the shortest series' count (series are aligned at their newest point).
 * Source: RiskMetrics Technical Document (1996), section 5.3.
 *
 * @param series - One price series per asset, oldest first, same interval.
 * @param lambda - Decay factor in (0, 1); default 0.94.
 * @returns Symmetric covariance matrix per interval.
 * @example
 * ```ts
 * ewmaCovariance([[100, 110, 99], [50, 55, 49.5]]) // [[0.01012.., 0.01012..], [0.01012.., 0.01012..]]
 * ```
 */
export function ewmaCovariance(
  series: readonly (readonly number[])[],
  lambda: number = RISKMETRICS_LAMBDA,
): number[][] {
  const returns = series.map((s, i) => logReturns(s, `series[${i}]`))
  const n = Math.min(...returns.map((r) => r.length))
  const aligned = returns.map((r) => r.slice(r.length - n))
  return aligned
    .map((ri, i) => aligned.map((rj, j) => (j < i ? 0 : ewmaMeanSquare(ri, rj, lambda))))
    .map((row, i, m) => row.map((v, j) => (j < i ? m[j]![i]! : v)))
}

function logReturns(prices: readonly number[], name: string): number[] {
  if (prices.length < 2) {
    throw new ReserveMathError('Too few prices for a volatility.', {
      details: `${name} has ${prices.length} prices; at least 2 are needed.`,
      metaMessages: ['Give a longer price history, or rely on the haircut floor.'],
    })
  }
  const out: number[] = []
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i]!
    if (!(Number.isFinite(p) && p > 0)) {
      throw new ReserveMathError('Invalid price in a series.', {
        details: `${name}[${i}] = ${String(p)}; prices must be finite and > 0.`,
        metaMessages: ['Remove missing or zero observations before estimating volatility.'],
      })
    }
    if (i > 0) out.push(Math.log(p / prices[i - 1]!))
  }
  return out
}

/**
 * EWMA variance of zero-mean returns (the core of {@link ewmaVolatility}, for callers that already
 * hold log-returns, such as backtests that re-estimate at every date).
 *
 * Formula: `sigma^2 = sum_k lambda^k r_(t-k)^2 / sum_k lambda^k`, the newest return weighted 1.
 * Source: RiskMetrics Technical Document, 4th ed. (1996), section 5.2.1.
 *
 * @param returns - Log-returns, oldest first (at least 1).
 * @param lambda - Decay factor in (0, 1); default 0.94.
 * @returns The variance per interval.
 * @example
 * ```ts
 * ewmaVariance([Math.log(1.1), Math.log(0.9)]) // 0.010123...
 * ```
 */
export function ewmaVariance(returns: ArrayLike<number>, lambda: number = RISKMETRICS_LAMBDA): number {
  return ewmaMeanSquare(returns, returns, lambda)
}

function ewmaMeanSquare(a: ArrayLike<number>, b: ArrayLike<number>, lambda: number): number {
  if (!(lambda > 0 && lambda < 1)) {
    throw new ReserveMathError('Invalid EWMA decay.', {
      details: `lambda = ${String(lambda)}; expected 0 < lambda < 1.`,
      metaMessages: ['RiskMetrics uses 0.94 for daily data and 0.97 for monthly data.'],
    })
  }
  let weight = 1
  let sum = 0
  let weights = 0
  for (let k = a.length - 1; k >= 0; k--) {
    sum += weight * a[k]! * b[k]!
    weights += weight
    weight *= lambda
  }
  return sum / weights
}
