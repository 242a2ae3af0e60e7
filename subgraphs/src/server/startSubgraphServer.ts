import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSubgraphGraphql, type SubgraphGraphqlSource } from './createSubgraphGraphql.js'

/** A running graph-node-like HTTP endpoint. */
export type SubgraphServer = { url: string; stop(): Promise<void> }

/**
 * Serves `createSubgraphGraphql` over HTTP on a free loopback port, at graph-node's path
 * `/subgraphs/name/<name>` (POST `{ query, variables }`, JSON answer `{ data, errors }`).
 *
 * @param source The store and its blocks (a `SubgraphHost`).
 * @param name Subgraph name in the path. Default `ballast/devnet`.
 * @returns The endpoint URL and a `stop` that closes the server.
 * @example
 * ```ts
 * const server = await startSubgraphServer(host)
 * await fetch(server.url, { method: 'POST', body: JSON.stringify({ query: '{ _meta { block { number } } }' }) })
 * await server.stop()
 * ```
 */
export async function startSubgraphServer(
  source: SubgraphGraphqlSource,
  name = 'ballast/devnet',
): Promise<SubgraphServer> {
  const api = createSubgraphGraphql(source)
  const path = `/subgraphs/name/${name}`
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', async () => {
      res.setHeader('content-type', 'application/json')
      if (req.method !== 'POST' || req.url !== path) {
        res.statusCode = 404
        res.end(JSON.stringify({ errors: [{ message: `POST a GraphQL query to ${path}` }] }))
        return
      }
      try {
        const { query, variables } = JSON.parse(body) as {
          query: string
          variables?: Record<string, unknown>
        }
        res.end(JSON.stringify(await api.execute(query, variables)))
      } catch (error) {
        res.statusCode = 400
        res.end(
          JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }),
        )
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  }
}
