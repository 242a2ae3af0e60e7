import { ewmaVariance, RISKMETRICS_LAMBDA } from '../math/ewmaVolatility.js'
import { normalQuantile } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { type ExceptionTests, exceptionTests } from './exceptionTests.js'

/** Options of {@link backtestVaR}. */
export type BacktestVaROptions = {
  /** VaR confidence `q` (default 0.99); the model's exception probability is `1 - q`. */
  confidence?: number
  /** EWMA decay (default 0.94, RiskMetrics daily). */
  lambda?: number
  /** Returns the EWMA sees before each test date (default 250; 0.94^250 is 2e-7, so this is all of its memory). */
  estimationWindow?: number
  /** Steps of the VaR horizon `T` (default 1). Tested on non-overlapping windows, so exceptions stay independent under a correct model. */
  horizon?: number
  /** Haircut floor (fraction, default 0): the tested threshold is `max(floor, min(1, z sigma sqrt(T)))`. */
  floor?: number
  /** Test only the newest this many windows (default: every window the history allows). */
  window?: number
  /** Significance of the tests' verdicts (default 0.05). */
  significance?: number
}

/** A backtest of the haircut (VaR) model on one series. */
export type VaRBacktest = ExceptionTests & {
  confidence: number
  lambda: number
  estimationWindow: number
  horizon: number
  floor: number
  /** Index in the series of each exception window's end point. */
  exceptionIndices: number[]
  /** Mean threshold over the tested windows (a fraction of the start value). */
  meanThreshold: number
}

/**
 * Backtests the haircut model (a VaR of the fall over `T` steps) on a positive series (a price
 * history, or a pooled ratio history): at each test date `s`, from the `W` log-returns before it
 * only, `sigma_s^2 = EWMA(r_(s-W+1..s))` ({@link ewmaVariance}, the estimator the haircuts use)
 * and the threshold `h_s = max(floor, min(1, z_q sigma_s sqrt(T)))`; an exception is a fall of
 * more than the threshold, `1 - X_(s+T) / X_s > h_s`. Test dates step by `T`, so windows do not
 * overlap and the newest ends at the last point. Then Kupiec's POF, Christoffersen's independence and conditional coverage tests and
 * the Basel traffic light on the exception sequence.
 * Sources: Jorion, "Value at Risk" (3rd ed., 2007), ch. 6; Kupiec (1995); Christoffersen (1998);
 * Basel Committee (1996) backtesting framework.
 *
 * @param series - Positive values at a regular interval, oldest first.
 * @param options - Confidence, decay, windows, horizon, floor.
 * @returns The backtest.
 * @example
 * ```ts
 * backtestVaR(prices, { confidence: 0.99 }).trafficLight.zone // 'green' for a well-specified model
 * ```
 */
export function backtestVaR(series: ArrayLike<number>, options: BacktestVaROptions = {}): VaRBacktest {
  const confidence = options.confidence ?? 0.99
  const lambda = options.lambda ?? RISKMETRICS_LAMBDA
  const estimationWindow = options.estimationWindow ?? 250
  const horizon = options.horizon ?? 1
  const floor = options.floor ?? 0
  const significance = options.significance ?? 0.05
  const z = normalQuantile(confidence)
  if (!Number.isSafeInteger(estimationWindow) || estimationWindow < 2) {
    throw invalid('estimationWindow', estimationWindow, 'an integer >= 2', 'E.g. 250 daily returns.')
  }
  if (!Number.isSafeInteger(horizon) || horizon < 1) {
    throw invalid('horizon', horizon, 'an integer >= 1', 'The liquidation horizon in steps of the series.')
  }
  if (!(floor >= 0 && floor <= 1)) {
    throw invalid('floor', floor, 'a fraction in [0, 1]', '15% is 0.15.')
  }
  const n = series.length
  const returns = new Float64Array(Math.max(0, n - 1))
  for (let i = 0; i < n; i++) {
    const v = series[i]!
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ReserveMathError('Invalid value in a backtest series.', {
        details: `series[${i}] = ${String(v)}; values must be finite and > 0.`,
        metaMessages: ['Remove missing or zero observations before backtesting.'],
      })
    }
    if (i > 0) returns[i - 1] = Math.log(v / series[i - 1]!)
  }
  if (options.window !== undefined && !(Number.isSafeInteger(options.window) && options.window > 0)) {
    throw invalid('window', options.window, 'a positive integer', 'E.g. 250 for the Basel backtest year.')
  }
  // Test dates s (series indices) with W returns before them and a full window after, stepping
  // back by T from the newest point so the last window ends at the last observation.
  const last = n - 1 - horizon
  const available = last >= estimationWindow ? Math.floor((last - estimationWindow) / horizon) + 1 : 0
  const windows = options.window === undefined ? available : Math.min(options.window, available)
  if (windows < 1) {
    throw new ReserveMathError('Series too short to backtest.', {
      details: `${n} points; the estimation window takes ${estimationWindow} returns and each test ${horizon} more.`,
      metaMessages: [`Give at least ${estimationWindow + horizon + 1} points, or shorten estimationWindow.`],
    })
  }
  const first = last - (windows - 1) * horizon
  const sqrtT = Math.sqrt(horizon)
  const flags = new Array<boolean>(windows)
  const exceptionIndices: number[] = []
  let thresholdSum = 0
  for (let w = 0; w < windows; w++) {
    const s = first + w * horizon
    const sigma = Math.sqrt(ewmaVariance(returns.subarray(s - estimationWindow, s), lambda))
    const threshold = Math.max(floor, Math.min(1, z * sigma * sqrtT))
    thresholdSum += threshold
    const fall = 1 - series[s + horizon]! / series[s]!
    const exception = fall > threshold
    flags[w] = exception
    if (exception) exceptionIndices.push(s + horizon)
  }
  return {
    confidence,
    lambda,
    estimationWindow,
    horizon,
    floor,
    exceptionIndices,
    meanThreshold: thresholdSum / windows,
    ...exceptionTests(flags, 1 - confidence, significance),
  }
}

function invalid(name: string, value: unknown, expected: string, hint: string): ReserveMathError {
  return new ReserveMathError(`Invalid ${name}.`, {
    details: `${name} = ${String(value)}; expected ${expected}.`,
    metaMessages: [hint],
  })
}
