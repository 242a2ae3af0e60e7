import { BaseError, type BaseErrorParameters } from '../errors/BaseError.js'

/** One error of a GraphQL response. */
export type GraphQLResponseError = {
  message: string
  path?: readonly (string | number)[]
  extensions?: { code?: string; hints?: readonly string[] } & Record<string, unknown>
}

export type BallastClientErrorParameters = BaseErrorParameters & {
  /** HTTP status, when the server answered. */
  status?: number | undefined
  /** GraphQL errors of the response, when it had any. */
  errors?: readonly GraphQLResponseError[] | undefined
}

/**
 * An error from the Ballast API client: the server refused the request (HTTP status, GraphQL
 * errors with their codes and hints), or the network failed (`cause`).
 *
 * @example
 * ```ts
 * try { await client.request(PoolHealthDocument, { id }) }
 * catch (e) { if (e instanceof BallastClientError && e.code === 'NOT_FOUND') showUnknownPool() }
 * ```
 */
export class BallastClientError extends BaseError {
  override name = 'BallastClientError'
  readonly status: number | undefined
  readonly errors: readonly GraphQLResponseError[]

  constructor(shortMessage: string, parameters: BallastClientErrorParameters = {}) {
    super(shortMessage, parameters)
    this.status = parameters.status
    this.errors = parameters.errors ?? []
  }

  /** `extensions.code` of the first GraphQL error (e.g. `NOT_FOUND`, `BAD_USER_INPUT`). */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code
  }
}
