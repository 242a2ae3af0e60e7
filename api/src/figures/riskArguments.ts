import { MoneyError, PrecisionLossError } from '@ballast/sdk'
import { ReserveMathError } from '@ballast/sdk/math'
import { ApiError } from '../errors/ApiError.js'

/** Most Monte Carlo paths one risk field may ask for (cost bound: paths x assets per request). */
export const maxRiskPaths = 20_000
/** Most past periods a backtest or forecast may load (each is one pool state, as in `history`). */
export const maxRiskPeriods = 500

/**
 * Checks an integer argument of a risk field against its range.
 *
 * @param name - the argument.
 * @param value - its value.
 * @param min - smallest allowed.
 * @param max - largest allowed.
 * @returns the value.
 * @throws ApiError naming the argument and its range.
 * @example
 * ```ts
 * integerArgument('paths', 10_000, 100, maxRiskPaths)
 * ```
 */
export function integerArgument(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiError(`\`${name}\` must be an integer from ${min} to ${max}.`, {
      details: `${name}: ${value}`,
    })
  }
  return value
}

/**
 * Checks a float argument (a probability, a rate) against its open or closed range.
 *
 * @param name - the argument.
 * @param value - its value.
 * @param min - lower bound (exclusive unless `inclusive`).
 * @param max - upper bound (exclusive unless `inclusive`).
 * @param inclusive - whether the bounds are allowed.
 * @returns the value.
 * @example
 * ```ts
 * floatArgument('target', 0.01, 0, 0.5)
 * ```
 */
export function floatArgument(
  name: string,
  value: number,
  min: number,
  max: number,
  inclusive = false,
): number {
  const ok = inclusive ? value >= min && value <= max : value > min && value < max
  if (!(Number.isFinite(value) && ok)) {
    throw new ApiError(
      `\`${name}\` must be ${inclusive ? 'from' : 'strictly between'} ${min} ${inclusive ? 'to' : 'and'} ${max}.`,
      {
        details: `${name}: ${value}`,
      },
    )
  }
  return value
}

/**
 * Runs an sdk risk computation and turns its errors (a series too short to backtest, a bad
 * tranche, an amount with more than 18 decimals) into client errors with their message and hints; anything else stays internal.
 *
 * @param fn - the computation.
 * @returns its result.
 * @example
 * ```ts
 * const result = sdkRisk(() => backtestVaR(series))
 * ```
 */
export function sdkRisk<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (
      error instanceof ReserveMathError ||
      error instanceof MoneyError ||
      error instanceof PrecisionLossError
    ) {
      throw new ApiError(error.shortMessage, {
        details: error.details,
        metaMessages: error.metaMessages,
        cause: error,
      })
    }
    throw error
  }
}
