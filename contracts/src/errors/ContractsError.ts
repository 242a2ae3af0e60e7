import { BaseError } from '@ballast/sdk'

/** Base class of the contracts package's errors (failed compiles, stale artifacts, failed deploys). */
export class ContractsError extends BaseError {
  override name = 'ContractsError'
}
