import { BaseError } from '../errors/BaseError.js'

/** A decimal string, a decimals count or a fixed-point operation was given a value it cannot take. */
export class MoneyError extends BaseError {
  override name = 'MoneyError'
}

/** Rounding mode `exact` was asked for, but the result is not representable without rounding. */
export class PrecisionLossError extends BaseError {
  override name = 'PrecisionLossError'
}
