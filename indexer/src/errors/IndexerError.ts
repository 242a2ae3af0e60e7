import { BaseError, type BaseErrorParameters } from '@ballast/sdk'

export type IndexerErrorParameters = BaseErrorParameters & {
  /** Whether trying again (later, or against another RPC URL) can help. */
  retryable?: boolean | undefined
}

/**
 * Base class of every error the indexer throws. Besides the SDK's message shape it says whether a
 * retry can help, so the sync loop knows to back off (a 429, a timeout) or to stop (a bad config,
 * a chain serving the wrong chain id), as ponder separates retryable from non-retryable errors.
 */
export class IndexerError extends BaseError {
  override name = 'IndexerError'
  readonly retryable: boolean

  constructor(shortMessage: string, parameters: IndexerErrorParameters = {}) {
    super(shortMessage, parameters)
    this.retryable = parameters.retryable ?? false
  }
}
