import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { IndexerError } from '../errors/IndexerError.js'
import type { IndexerMetrics } from './createIndexerMetrics.js'

/** A listening metrics endpoint. */
export type MetricsServer = {
  /** e.g. `http://127.0.0.1:9464/metrics`. */
  url: string
  close: () => Promise<void>
}

/**
 * Serves an indexer process's metrics at `/metrics` on a port of its own (an indexer has no API
 * server); every other path answers 404.
 *
 * @param metrics - from `createIndexerMetrics`.
 * @param options - host (default 127.0.0.1) and port (0: any free port).
 * @returns the server.
 * @example
 * ```ts
 * const server = await serveIndexerMetrics(metrics, { port: 9464 })
 * ```
 */
export async function serveIndexerMetrics(
  metrics: Pick<IndexerMetrics, 'registry'>,
  options: { host?: string | undefined; port: number },
): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics.\n')
      return
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    )
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new IndexerError('The metrics port is in use.', {
          details: `${host}:${options.port}: ${error.message}`,
          metaMessages: ['Pass another port (--metrics-port), or stop the other process.'],
          cause: error,
        }),
      ),
    )
    server.listen(options.port, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
