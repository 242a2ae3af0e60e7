import { IndexerError } from './IndexerError.js'

/**
 * The timestamp of a block a query is pinned to cannot be known: the database holds no header for
 * it and no source may be asked (no block-time reader, a chain read from a subgraph, an
 * unfinalized block, an RPC that does not answer). A pinned query refuses rather than carry a
 * plausible wrong time (the time decides the risk parameters in force, staleness and volatility
 * sampling). `retryable`: whether asking again can help (the RPC failed, the block is not final yet).
 *
 * @example
 * ```ts
 * throw new BlockTimeUnknownError(1, 120, 'chain 1 has no rpcUrls', { hint: 'Add rpcUrls to chain 1.' })
 * ```
 */
export class BlockTimeUnknownError extends IndexerError {
  override name = 'BlockTimeUnknownError'
  readonly chainId: number
  readonly blockNumber: number

  /**
   * @param chainId The chain of the pinned block.
   * @param blockNumber The pinned block.
   * @param reason Why its time is unknown (a sentence fragment).
   * @param options A hint, whether a retry can help, and the underlying error.
   */
  constructor(
    chainId: number,
    blockNumber: number,
    reason: string,
    options: { hint?: string | undefined; retryable?: boolean | undefined; cause?: unknown } = {},
  ) {
    super('The time of a pinned block is unknown.', {
      details: `Block ${blockNumber} of chain ${chainId}: ${reason}.`,
      metaMessages: options.hint === undefined ? undefined : [options.hint],
      retryable: options.retryable ?? false,
      cause: options.cause,
    })
    this.chainId = chainId
    this.blockNumber = blockNumber
  }
}
