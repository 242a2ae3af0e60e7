import { BaseError } from '@ballast/sdk'

/** Base class of the benchmark's errors (bad flags, peers that fail or disagree, missing tools). */
export class BenchError extends BaseError {
  override name = 'BenchError'
}
