import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Api } from '../createApi.js'
import { ApiError } from '../errors/ApiError.js'

/**
 * How long a client may take and how many may connect. A slow client (headers or a body trickled
 * a byte at a time) is cut once its limit passes, so it holds neither a socket nor a buffer for
 * long; responses (SSE subscriptions included) are not limited by these.
 */
export type ServerLimits = {
  /** Time to receive a request's headers, in ms (default 5,000). */
  headersTimeoutMs: number
  /** Time to receive a whole request, headers and body, in ms (default 10,000). */
  requestTimeoutMs: number
  /** Idle time of a keep-alive connection between requests, in ms (default 10,000). */
  keepAliveTimeoutMs: number
  /** Open connections at most; more are refused at accept (default 1,024). */
  maxConnections: number
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  // Many concurrent clients on keep-alive connections (the bench) are normal.
  keepAliveTimeoutMs: 10_000,
  maxConnections: 1_024,
}

/** Options of {@link serveApi}. */
export type ServeApiOptions = {
  /** Host to listen on (default 127.0.0.1). */
  host?: string
  /** Port (default 4000; 0 for any free port). */
  port?: number
  /** Timeouts and the connection bound; each field defaults to {@link defaultServerLimits}. */
  limits?: Partial<ServerLimits>
}

/** A listening API server. */
export type ApiServer = {
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  origin: string
  server: Server
  /**
   * Stops accepting connections, ends the live subscriptions, waits for the requests in progress
   * (`api.close()`), ends open connections and resolves when closed.
   */
  close: () => Promise<void>
}

function resolveLimits(given: Partial<ServerLimits> | undefined): ServerLimits {
  const limits = { ...defaultServerLimits, ...given }
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new ApiError('Invalid server limit.', {
        code: 'BAD_USER_INPUT',
        details: `limits.${field} is ${String(value)}; it must be a positive whole number.`,
        metaMessages: [`Leave it out for the default (${defaultServerLimits[field as keyof ServerLimits]}).`],
      })
  }
  if (limits.requestTimeoutMs < limits.headersTimeoutMs)
    throw new ApiError('Invalid server limit.', {
      code: 'BAD_USER_INPUT',
      details: `limits.requestTimeoutMs (${limits.requestTimeoutMs}) is below limits.headersTimeoutMs (${limits.headersTimeoutMs}).`,
      metaMessages: ['A whole request includes its headers: give it at least as long.'],
    })
  return limits
}

/**
 * Serves an API over HTTP on a host and port (port 0: any free port), with timeouts and a
 * connection bound ({@link ServerLimits}).
 *
 * @param api - from `createApi`.
 * @param options - host (default 127.0.0.1), port (default 4000), limits.
 * @returns the listening server.
 * @example
 * ```ts
 * const server = await serveApi(api, { port: 4000, limits: { requestTimeoutMs: 5_000 } })
 * console.log(server.url) // http://127.0.0.1:4000/graphql
 * await server.close()
 * ```
 */
export async function serveApi(api: Api, options: ServeApiOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 4000
  const limits = resolveLimits(options.limits)
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default), which would let a
      // slow client stay four times past a 10 s limit.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    api.yoga,
  )
  server.maxConnections = limits.maxConnections
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ApiError('The API port is in use.', {
              code: 'NOT_AVAILABLE',
              details: `${host}:${port} is taken by another process.`,
              metaMessages: ['Stop the other process, or pass another port (--port).'],
              cause: error,
            })
          : error,
      ),
    )
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
  return {
    url: `${origin}/graphql`,
    origin,
    server,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      // No new connections from here; the subscriptions end and the requests in progress finish
      // their reads before the sockets are cut, so the caller may close the database next.
      await api.close()
      server.closeAllConnections()
      await closed
    },
  }
}
