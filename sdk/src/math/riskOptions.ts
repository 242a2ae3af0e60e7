import type { PoolState } from '../state/PoolState.js'
import { estimateRiskModel, type RiskModel } from './estimateRiskModel.js'
import { type EvaluatePoolOptions, evaluatePool, type PoolEvaluation } from './evaluatePool.js'
import { buildExposureModel, type ExposureModel } from './exposureModel.js'
import { ReserveMathError } from './ReserveMathError.js'

/** Options shared by the parametric and Monte Carlo risk measures. */
export type RiskOptions = EvaluatePoolOptions & {
  /** Horizon of the price moves in days (default 1); the covariance scales with it. */
  horizonDays?: number
  /** Covariance of daily log-returns; default `estimateRiskModel(state)` (histories, else implied by haircut floors). */
  riskModel?: RiskModel
}

/** Evaluation, risk model and exposures for a risk measure, with validated options. */
export function prepareRisk(
  state: PoolState,
  options: RiskOptions,
): {
  evaluation: PoolEvaluation
  model: RiskModel
  exposure: ExposureModel
  horizonDays: number
  confidence: number
} {
  const horizonDays = options.horizonDays ?? 1
  if (!(Number.isFinite(horizonDays) && horizonDays > 0)) {
    throw new ReserveMathError('Invalid horizon.', {
      details: `horizonDays = ${String(horizonDays)}; expected a positive number of days.`,
      metaMessages: ['E.g. 1 for a one-day VaR, 10 for the Basel ten-day horizon.'],
    })
  }
  const evaluation = evaluatePool(state, { ...options, sensitivities: false })
  const model =
    options.riskModel ??
    estimateRiskModel(state, options.lambda === undefined ? {} : { lambda: options.lambda })
  const exposure = buildExposureModel(state, evaluation, model)
  return { evaluation, model, exposure, horizonDays, confidence: options.confidence ?? 0.99 }
}
