import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Api } from '../createApi.js'
import { ApiError } from '../errors/ApiError.js'

/** A listening API server. */
export type ApiServer = {
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  origin: string
  server: Server
  /** Stops accepting connections, ends open ones (SSE streams too) and resolves when closed. */
  close: () => Promise<void>
}

/**
 * Serves an API over HTTP on a host and port (port 0: any free port).
 *
 * @param api - from `createApi`.
 * @param options - host (default 127.0.0.1) and port (default 4000).
 * @returns the listening server.
 * @example
 * ```ts
 * const server = await serveApi(api, { port: 4000 })
 * console.log(server.url) // http://127.0.0.1:4000/graphql
 * await server.close()
 * ```
 */
export async function serveApi(api: Api, options: { host?: string; port?: number } = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 4000
  const server = createServer(api.yoga)
  // Many concurrent clients on keep-alive connections (the bench) are normal.
  server.keepAliveTimeout = 10_000
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
