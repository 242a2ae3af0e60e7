/** Parameters shared by every Ballast error. */
export type BaseErrorParameters = {
  /** What went wrong, in more detail than the short message (values, names, ranges). */
  details?: string | undefined
  /** Hints: how to fix it, what to check. Rendered one per line. */
  metaMessages?: readonly string[] | undefined
  /** The underlying error, kept for debugging and `error.cause` chains. */
  cause?: unknown
}

/**
 * Base class of every error the SDK throws: a short message saying what is wrong, details naming
 * the offending value, and hints saying how to fix it (the shape of viem's `BaseError`).
 *
 * @example
 * ```ts
 * throw new BaseError('Price is stale.', {
 *   details: 'WETH price at 1700000000 is 7200 s old; max age is 3600 s.',
 *   metaMessages: ['Refresh the feed, or set stalePricePolicy to "haircut".'],
 * })
 * ```
 */
export class BaseError extends Error {
  override name = 'BaseError'
  readonly shortMessage: string
  readonly details: string | undefined
  readonly metaMessages: readonly string[]

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const metaMessages = parameters.metaMessages ?? []
    const message = [
      shortMessage,
      ...(parameters.details ? ['', `Details: ${parameters.details}`] : []),
      ...(metaMessages.length > 0 ? ['', ...metaMessages.map((m) => `Hint: ${m}`)] : []),
    ].join('\n')
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.shortMessage = shortMessage
    this.details = parameters.details
    this.metaMessages = metaMessages
  }
}
