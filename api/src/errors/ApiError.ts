import { BaseError, type BaseErrorParameters } from '@ballast/sdk'

/** Machine-readable class of a client-facing API error (GraphQL `extensions.code`). */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'NOT_AVAILABLE'

export type ApiErrorParameters = BaseErrorParameters & {
  /** What kind of client error this is; `BAD_USER_INPUT` unless said otherwise. */
  code?: ApiErrorCode | undefined
}

/**
 * An error meant for the API's clients (an unknown pool id, an out-of-range argument): shown in
 * the GraphQL response with its short message, details and hints. Every other error is masked.
 *
 * @example
 * ```ts
 * throw new ApiError('Unknown pool.', {
 *   code: 'NOT_FOUND',
 *   details: 'No pool has id 0x12.',
 *   metaMessages: ['List pools with `{ pools { nodes { id } } }`.'],
 * })
 * ```
 */
export class ApiError extends BaseError {
  override name = 'ApiError'
  readonly code: ApiErrorCode

  constructor(shortMessage: string, parameters: ApiErrorParameters = {}) {
    super(shortMessage, parameters)
    this.code = parameters.code ?? 'BAD_USER_INPUT'
  }
}
