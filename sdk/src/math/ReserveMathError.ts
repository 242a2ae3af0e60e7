import { BaseError } from '../errors/BaseError.js'

/** Reserve math was asked something it cannot answer (bad option, stale price under `fail`, ...). */
export class ReserveMathError extends BaseError {
  override name = 'ReserveMathError'
}
