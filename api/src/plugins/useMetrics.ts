import { getOperationAST } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'

/**
 * Serves Prometheus metrics at `/metrics` from a registry of its own (so several APIs in one
 * process, as in tests, do not collide): HTTP request durations by path and status, GraphQL
 * operations by name and outcome, per-chain indexing lag (read at scrape time), and Node's
 * default process metrics.
 *
 * @param dataSource - where per-chain lag is read at scrape time.
 * @returns the plugin and its registry.
 * @example
 * ```ts
 * const { plugin } = useMetrics(dataSource)
 * createYoga({ schema, plugins: [plugin] })
 * ```
 */
export function useMetrics(dataSource: ApiDataSource): { plugin: Plugin; registry: Registry } {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'ballast_api_' })
  const httpDuration = new Histogram({
    name: 'ballast_api_http_request_duration_seconds',
    help: 'HTTP request duration by path and status.',
    labelNames: ['path', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const operations = new Counter({
    name: 'ballast_api_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name and outcome (ok or error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  })
  new Gauge({
    name: 'ballast_api_chain_lag_blocks',
    help: 'Chain head minus indexed block, per chain.',
    labelNames: ['chain_id', 'chain'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const c of await dataSource.syncMeta()) {
        const lag = c.headBlock > c.indexedBlock ? c.headBlock - c.indexedBlock : 0n
        this.set({ chain_id: String(c.chainId), chain: c.name }, Number(lag))
      }
    },
  })
  const started = new WeakMap<Request, number>()
  const knownPaths = new Set(['/graphql', '/healthz', '/metrics'])

  const plugin: Plugin = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      started.set(request, performance.now())
      if (url.pathname !== '/metrics') return
      endResponse(
        new fetchAPI.Response(await registry.metrics(), {
          headers: { 'content-type': registry.contentType },
        }),
      )
    },
    onResponse({ request, response }) {
      const t0 = started.get(request)
      if (t0 === undefined) return
      const path = new URL(request.url).pathname
      httpDuration.observe(
        { path: knownPaths.has(path) ? path : 'other', status: String(response.status) },
        (performance.now() - t0) / 1000,
      )
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous'
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0
          operations.inc({ operation, outcome: failed ? 'error' : 'ok' })
        },
      }
    },
  }
  return { plugin, registry }
}
