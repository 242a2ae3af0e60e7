import { RISKMETRICS_LAMBDA } from '../math/ewmaVolatility.js'
import { normalQuantile } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { numberToFixed } from '../money/fixedNumber.js'
import { type ExceptionTests, exceptionTests } from './exceptionTests.js'

/** Options of the redemption forecasts. */
export type RedemptionForecastOptions = {
  /** Horizon in periods of the series (default 30: the LCR's 30 days for daily data). */
  horizonPeriods?: number
  /** Quantile of the forecast (default 0.99). */
  confidence?: number
  /** EWMA decay (default 0.94). */
  lambda?: number
  /** Stress multiplier applied to the forecast outflow (default 1; e.g. 2 for a run twice as bad as history). */
  stress?: number
}

/** A forecast of net redemptions over a horizon. USD amounts have 18 decimals. */
export type RedemptionForecast = {
  horizonPeriods: number
  confidence: number
  stress: number
  /** Observed periods used. */
  observations: number
  ewma: {
    /** EWMA mean of net redemptions per period (negative: net issuance). */
    meanUsd: bigint
    /** EWMA standard deviation per period. */
    volatilityUsd: bigint
    /** `H mean + z_q sqrt(H) sd`: the `q`-quantile of the horizon's net redemptions. */
    forecastUsd: bigint
  }
  historical: {
    /** Overlapping `H`-period windows of the history. */
    windows: number
    /** Empirical `q`-quantile of the windows' sums; null with no full window. */
    forecastUsd: bigint | null
  }
  /** `stress * max(0, ewma, historical)`: the outflow to hold liquidity for. */
  stressedOutflowUsd: bigint
}

/**
 * Forecasts net redemptions over a horizon from their history, two ways:
 *
 * - EWMA: `mu = sum_k lambda^k x_(t-k) / sum_k lambda^k`,
 *   `sigma^2 = sum_k lambda^k (x_(t-k) - mu)^2 / sum_k lambda^k`, and the `q`-quantile of the
 *   horizon's sum under independent normal periods, `H mu + z_q sqrt(H) sigma`;
 * - historical simulation: the empirical `q`-quantile of every overlapping `H`-period sum.
 *
 * The outflow to cover is `stress * max(0, both)`. Sources: RiskMetrics (1996) for the EWMA;
 * BCBS 238 (2013) for the LCR's 30-day stressed outflow; Jorion (2007), 10.2 (historical
 * simulation).
 *
 * @param amountsUsd - Net redemptions per period (USD, 18 decimals), oldest first; negative = net issuance.
 * @param options - Horizon, confidence, decay, stress.
 * @returns The forecast.
 * @example
 * ```ts
 * forecastRedemptions(dailyNetRedemptions, { horizonPeriods: 30, stress: 1.5 }).stressedOutflowUsd
 * ```
 */
export function forecastRedemptions(
  amountsUsd: readonly bigint[],
  options: RedemptionForecastOptions = {},
): RedemptionForecast {
  const o = resolve(options)
  if (amountsUsd.length === 0) {
    throw new ReserveMathError('No redemption history.', {
      details: 'amountsUsd is empty.',
      metaMessages: ['Give at least one period of net redemptions (the fall of liabilities per period).'],
    })
  }
  const xs = Float64Array.from(amountsUsd, (x) => Number(x) / 1e18)
  const f = forecastOf(xs, o)
  const candidates = [0, f.ewma, ...(f.historical === null ? [] : [f.historical])]
  return {
    horizonPeriods: o.horizonPeriods,
    confidence: o.confidence,
    stress: o.stress,
    observations: xs.length,
    ewma: {
      meanUsd: numberToFixed(f.mean, 18, 'ceil'),
      volatilityUsd: numberToFixed(f.sd, 18, 'ceil'),
      forecastUsd: numberToFixed(f.ewma, 18, 'ceil'),
    },
    historical: {
      windows: f.windows,
      forecastUsd: f.historical === null ? null : numberToFixed(f.historical, 18, 'ceil'),
    },
    stressedOutflowUsd: numberToFixed(o.stress * Math.max(...candidates), 18, 'ceil'),
  }
}

/** Options of {@link backtestRedemptionForecast}. */
export type RedemptionBacktestOptions = RedemptionForecastOptions & {
  /** `ewma` (default) or `historical`. */
  method?: 'ewma' | 'historical'
  /** Periods each forecast sees before its test date (default 90). */
  estimationWindow?: number
  /** Significance of the verdicts (default 0.05). */
  significance?: number
}

/** Coverage backtest of a redemption forecast. */
export type RedemptionBacktest = ExceptionTests & {
  method: 'ewma' | 'historical'
  horizonPeriods: number
  confidence: number
  estimationWindow: number
  /** Start index of each window whose realized redemptions exceeded the forecast. */
  exceptionStarts: number[]
}

/**
 * Backtests a redemption forecast's coverage: at test dates `s` stepping back by `H` from the
 * newest period (non-overlapping windows), forecast the `q`-quantile of `x_s + ... + x_(s+H-1)`
 * from the `W` periods before `s` only, and count the windows whose realized sum exceeded it
 * (stress 1: the model itself is tested). Then Kupiec, Christoffersen and the traffic light.
 *
 * @param amountsUsd - Net redemptions per period, oldest first.
 * @param options - Method, horizon, confidence, decay, estimation window.
 * @returns The coverage tests.
 * @example
 * ```ts
 * backtestRedemptionForecast(history, { horizonPeriods: 1, method: 'historical' }).kupiec.rejected
 * ```
 */
export function backtestRedemptionForecast(
  amountsUsd: readonly bigint[],
  options: RedemptionBacktestOptions = {},
): RedemptionBacktest {
  const o = resolve({ ...options, stress: 1 })
  const method = options.method ?? 'ewma'
  const estimationWindow = options.estimationWindow ?? 90
  if (!Number.isSafeInteger(estimationWindow) || estimationWindow < 2) {
    throw new ReserveMathError('Invalid estimationWindow.', {
      details: `estimationWindow = ${String(estimationWindow)}; expected an integer >= 2.`,
      metaMessages: ['E.g. 90 daily periods.'],
    })
  }
  const xs = Float64Array.from(amountsUsd, (x) => Number(x) / 1e18)
  const h = o.horizonPeriods
  const starts: number[] = []
  for (let s = xs.length - h; s >= estimationWindow; s -= h) starts.unshift(s)
  if (starts.length === 0) {
    throw new ReserveMathError('Redemption history too short to backtest.', {
      details: `${xs.length} periods; the estimation window takes ${estimationWindow} and each test ${h} more.`,
      metaMessages: [`Give at least ${estimationWindow + h} periods, or shorten estimationWindow.`],
    })
  }
  const exceptionStarts: number[] = []
  const flags = starts.map((s) => {
    const f = forecastOf(xs.subarray(s - estimationWindow, s), o)
    const forecast = method === 'ewma' ? f.ewma : (f.historical ?? Number.POSITIVE_INFINITY)
    let realized = 0
    for (let i = s; i < s + h; i++) realized += xs[i]!
    const exception = realized > forecast
    if (exception) exceptionStarts.push(s)
    return exception
  })
  return {
    method,
    horizonPeriods: h,
    confidence: o.confidence,
    estimationWindow,
    exceptionStarts,
    ...exceptionTests(flags, 1 - o.confidence, options.significance ?? 0.05),
  }
}

type Resolved = Required<RedemptionForecastOptions>

function resolve(options: RedemptionForecastOptions): Resolved {
  const o = {
    horizonPeriods: options.horizonPeriods ?? 30,
    confidence: options.confidence ?? 0.99,
    lambda: options.lambda ?? RISKMETRICS_LAMBDA,
    stress: options.stress ?? 1,
  }
  if (!Number.isSafeInteger(o.horizonPeriods) || o.horizonPeriods < 1) {
    throw new ReserveMathError('Invalid horizonPeriods.', {
      details: `horizonPeriods = ${String(o.horizonPeriods)}; expected a positive integer.`,
      metaMessages: ['30 periods of daily data is the LCR horizon.'],
    })
  }
  normalQuantile(o.confidence)
  if (!(o.lambda > 0 && o.lambda < 1)) {
    throw new ReserveMathError('Invalid EWMA decay.', {
      details: `lambda = ${String(o.lambda)}; expected 0 < lambda < 1.`,
      metaMessages: ['RiskMetrics uses 0.94 for daily data.'],
    })
  }
  if (!(Number.isFinite(o.stress) && o.stress >= 1)) {
    throw new ReserveMathError('Invalid stress multiplier.', {
      details: `stress = ${String(o.stress)}; expected a number >= 1.`,
      metaMessages: ['1 uses history as it is; 2 assumes a run twice as bad.'],
    })
  }
  return o
}

function forecastOf(
  xs: Float64Array,
  o: Resolved,
): { mean: number; sd: number; ewma: number; historical: number | null; windows: number } {
  let weight = 1
  let weights = 0
  let sum = 0
  for (let k = xs.length - 1; k >= 0; k--) {
    sum += weight * xs[k]!
    weights += weight
    weight *= o.lambda
  }
  const mean = sum / weights
  weight = 1
  let sq = 0
  for (let k = xs.length - 1; k >= 0; k--) {
    const d = xs[k]! - mean
    sq += weight * d * d
    weight *= o.lambda
  }
  const sd = Math.sqrt(sq / weights)
  const h = o.horizonPeriods
  const ewma = h * mean + normalQuantile(o.confidence) * Math.sqrt(h) * sd
  const windows = Math.max(0, xs.length - h + 1)
  if (windows === 0) return { mean, sd, ewma, historical: null, windows }
  const sums = new Float64Array(windows)
  let run = 0
  for (let i = 0; i < h; i++) run += xs[i]!
  sums[0] = run
  for (let j = 1; j < windows; j++) {
    run += xs[j + h - 1]! - xs[j - 1]!
    sums[j] = run
  }
  sums.sort()
  const historical = sums[Math.min(windows - 1, Math.max(0, Math.ceil(o.confidence * windows) - 1))]!
  return { mean, sd, ewma, historical, windows }
}

/** Forecasts per chain and for the pool (all chains' redemptions summed per period). */
export type PoolRedemptionForecast = {
  chains: { chainId: number; forecast: RedemptionForecast }[]
  pool: RedemptionForecast
}

/**
 * {@link forecastRedemptions} per chain and for the pool: the pool's series is the sum over chains
 * per period, the series aligned at their newest period (a shorter series counts 0 before its
 * start). The pool's forecast is not the sum of the chains' (their quantiles do not add).
 *
 * @param redemptions - Per chain, net redemptions per period, oldest first (e.g. from the API's `observedRedemptions`).
 * @param options - Horizon, confidence, decay, stress.
 * @returns Per-chain and pooled forecasts.
 * @example
 * ```ts
 * forecastPoolRedemptions([{ chainId: 1, amountsUsd }, { chainId: 2, amountsUsd: other }]).pool.stressedOutflowUsd
 * ```
 */
export function forecastPoolRedemptions(
  redemptions: readonly { chainId: number; amountsUsd: readonly bigint[] }[],
  options: RedemptionForecastOptions = {},
): PoolRedemptionForecast {
  const length = Math.max(0, ...redemptions.map((r) => r.amountsUsd.length))
  const pooled = Array.from({ length }, () => 0n)
  for (const r of redemptions) {
    const offset = length - r.amountsUsd.length
    r.amountsUsd.forEach((x, i) => {
      pooled[offset + i]! += x
    })
  }
  return {
    chains: redemptions.map((r) => ({
      chainId: r.chainId,
      forecast: forecastRedemptions(r.amountsUsd, options),
    })),
    pool: forecastRedemptions(pooled, options),
  }
}
