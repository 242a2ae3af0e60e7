import { BallastClientError, type GraphQLResponseError } from './BallastClientError.js'
import type { TypedDocument } from './TypedDocument.js'

/** Options of {@link createBallastClient}. */
export type BallastClientOptions = {
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string
  /** Fetch implementation (default `globalThis.fetch`): pass one for tests or custom transports. */
  fetch?: (input: string, init: RequestInit) => Promise<Response> | Response
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
}

type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V]

/** A typed client of the Ballast GraphQL API. */
export type BallastClient = {
  /**
   * Runs a query; resolves with its typed `data`, rejects with a `BallastClientError` on GraphQL
   * errors, HTTP errors or network failures.
   */
  request<R, V>(document: TypedDocument<R, V>, ...variables: VariablesArg<V>): Promise<R>
  /**
   * Subscribes over SSE (`text/event-stream`); yields each event's typed `data`. Break out of
   * the loop (or abort `signal`) to unsubscribe.
   */
  subscribe<R, V>(
    document: TypedDocument<R, V>,
    variables: V,
    signal?: AbortSignal,
  ): AsyncGenerator<R, void, undefined>
}

type GraphQLResponse<R> = { data?: R | null; errors?: GraphQLResponseError[] }

function errorFrom(status: number | undefined, errors: readonly GraphQLResponseError[]): BallastClientError {
  const first = errors[0]
  return new BallastClientError(first?.message ?? `The API answered HTTP ${status}.`, {
    status,
    errors,
    details:
      errors.length > 1 ? `${errors.length} errors: ${errors.map((e) => e.message).join(' | ')}` : undefined,
    metaMessages: first?.extensions?.hints,
  })
}

async function parseJson<R>(response: Response): Promise<GraphQLResponse<R>> {
  try {
    return (await response.json()) as GraphQLResponse<R>
  } catch (cause) {
    throw new BallastClientError('The API answered with something that is not JSON.', {
      status: response.status,
      cause,
      metaMessages: ['Check that the URL points at the GraphQL endpoint (…/graphql).'],
    })
  }
}

/**
 * A small fetch-based client of the Ballast API that runs in browsers, workers and Node (no
 * `node:` imports): typed requests from the generated documents, and subscriptions over SSE.
 *
 * @param options - endpoint, optional fetch and headers.
 * @returns the client.
 * @example
 * ```ts
 * import { createBallastClient, PoolHealthDocument } from '@ballast/sdk/client'
 * const client = createBallastClient({ url: 'http://127.0.0.1:4000/graphql' })
 * const { pool } = await client.request(PoolHealthDocument, { id: poolId })
 * console.log(pool.reserveRatio)
 * ```
 */
export function createBallastClient(options: BallastClientOptions): BallastClient {
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init))
  const body = (document: TypedDocument<unknown, unknown>, variables: unknown) =>
    JSON.stringify({
      query: document.source,
      operationName: document.operationName,
      variables: variables ?? {},
    })

  async function send(
    document: TypedDocument<unknown, unknown>,
    variables: unknown,
    accept: string,
    signal?: AbortSignal,
  ) {
    try {
      return await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, ...options.headers },
        body: body(document, variables),
        ...(signal === undefined ? {} : { signal }),
      })
    } catch (cause) {
      throw new BallastClientError('Cannot reach the Ballast API.', {
        details: `POST ${options.url} failed.`,
        cause,
        metaMessages: ['Is `ballast start` running, and is the URL right?'],
      })
    }
  }

  return {
    async request<R, V>(document: TypedDocument<R, V>, ...args: VariablesArg<V>): Promise<R> {
      const response = await send(document, args[0], 'application/graphql-response+json, application/json')
      const json = await parseJson<R>(response)
      if (json.errors !== undefined && json.errors.length > 0) throw errorFrom(response.status, json.errors)
      if (!response.ok || json.data === undefined || json.data === null) throw errorFrom(response.status, [])
      return json.data
    },

    async *subscribe<R, V>(document: TypedDocument<R, V>, variables: V, signal?: AbortSignal) {
      const response = await send(document, variables, 'text/event-stream', signal)
      if (!response.ok || response.body === null) {
        const json = await parseJson<R>(response)
        throw errorFrom(response.status, json.errors ?? [])
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          buffer += value
          // SSE events end with a blank line; `data:` lines carry the JSON payload.
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const lines = event.split('\n')
            if (lines.some((l) => l === 'event: complete')) return
            const data = lines
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n')
            if (data === '') continue
            const payload = JSON.parse(data) as GraphQLResponse<R>
            if (payload.errors !== undefined && payload.errors.length > 0)
              throw errorFrom(response.status, payload.errors)
            if (payload.data !== undefined && payload.data !== null) yield payload.data
          }
        }
      } finally {
        await reader.cancel().catch(() => {})
      }
    },
  }
}
