import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { SyncEvent } from '../sync/createSyncLoop.js'
import type { Indexer } from '../sync/runIndexer.js'

/** A step of a chain's sync, as the indexer loop timed it. */
export type StepObservation = { chainId: number; seconds: number; result: 'progress' | 'idle' | 'error' }

/** Prometheus metrics of an indexer process (`ballast index --metrics-port`). */
export type IndexerMetrics = {
  registry: Registry
  /** Feed it every sync event (`runIndexer({ onEvent })`). */
  observeEvent: (event: SyncEvent) => void
  /** Feed it every timed step (`runIndexer({ onStep })`). */
  observeStep: (step: StepObservation) => void
  /** Reads the rest (lag, RPC counters, lease roles) from the indexer at each scrape. */
  attach: (indexer: Indexer) => void
}

/**
 * The indexer's metrics, in a registry of its own: blocks and seconds behind per chain, RPC calls
 * and errors by method and error family, blocks per stored step (the `eth_getLogs` range of a
 * backfill step), step durations, reorgs and lease roles, plus Node's process metrics. Lag, RPC
 * counters and roles are read from the running indexer at scrape time, so nothing is counted
 * twice and an idle process costs nothing.
 *
 * @param config - the chains, for their names in labels.
 * @returns the metrics; wire `observeEvent`/`observeStep` into `runIndexer` and `attach` the result.
 * @example
 * ```ts
 * const metrics = createIndexerMetrics(config)
 * const indexer = await runIndexer({ config, onEvent: metrics.observeEvent, onStep: metrics.observeStep })
 * metrics.attach(indexer)
 * const text = await metrics.registry.metrics()
 * ```
 */
export function createIndexerMetrics(config: {
  chains: readonly { chainId: number; name: string }[]
}): IndexerMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'ballast_indexer_' })
  let indexer: Indexer | undefined
  const names = new Map(config.chains.map((c) => [c.chainId, c.name]))
  const labels = (chainId: number) => ({
    chain_id: String(chainId),
    chain: names.get(chainId) ?? String(chainId),
  })

  new Gauge({
    name: 'ballast_indexer_blocks_behind',
    help: 'Chain head minus indexed block, per chain.',
    labelNames: ['chain_id', 'chain'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const s of indexer?.status() ?? []) this.set(labels(s.chainId), Math.max(0, s.head - s.indexed))
    },
  })
  new Gauge({
    name: 'ballast_indexer_seconds_behind',
    help: 'Now minus the indexed block’s timestamp, per chain (how old the newest indexed data is).',
    labelNames: ['chain_id', 'chain'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      if (indexer === undefined) return
      const rows = await indexer.database.db
        .selectFrom('sync_state')
        .select(['chain_id', 'block_timestamp'])
        .execute()
      const now = Date.now() / 1000
      for (const s of indexer.status()) {
        const row = rows.find((r) => r.chain_id === s.chainId)
        if (row !== undefined) this.set(labels(s.chainId), Math.max(0, now - row.block_timestamp))
      }
    },
  })
  // RPC counters live in each chain's client (`ChainRpc.stats`); they are copied as they grow.
  const seen = new Map<string, number>()
  const grow = (counter: Counter<string>, key: string, value: number, l: Record<string, string>) => {
    const before = seen.get(key) ?? 0
    if (value > before) counter.inc(l, value - before)
    seen.set(key, value)
  }
  const rpcCalls: Counter<string> = new Counter({
    name: 'ballast_indexer_rpc_requests_total',
    help: 'JSON-RPC calls sent (retries included), by chain and method.',
    labelNames: ['chain_id', 'chain', 'method'] as const,
    registers: [registry],
    collect() {
      for (const [chainId, rpc] of indexer?.rpc ?? [])
        for (const [method, n] of Object.entries(rpc.stats.methods))
          grow(rpcCalls, `calls:${chainId}:${method}`, n, { ...labels(chainId), method })
    },
  })
  const rpcErrors: Counter<string> = new Counter({
    name: 'ballast_indexer_rpc_errors_total',
    help: 'Failed JSON-RPC calls (each retry counts), by chain, method and error family (rate limited, too dense, filter too big, ...).',
    labelNames: ['chain_id', 'chain', 'method', 'family'] as const,
    registers: [registry],
    collect() {
      for (const [chainId, rpc] of indexer?.rpc ?? [])
        for (const [method, families] of Object.entries(rpc.stats.errors))
          for (const [family, n] of Object.entries(families))
            grow(rpcErrors, `errors:${chainId}:${method}:${family}`, n, {
              ...labels(chainId),
              method,
              family,
            })
    },
  })
  new Gauge({
    name: 'ballast_indexer_lease_writer',
    help: 'Per chain: 1 while this process holds the chain’s lease and writes it, 0 while it waits as a standby.',
    labelNames: ['chain_id', 'chain'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const [chainId, role] of indexer?.roles() ?? [])
        this.set(labels(chainId), role === 'writer' ? 1 : 0)
    },
  })
  const stepBlocks = new Histogram({
    name: 'ballast_indexer_step_blocks',
    help: 'Blocks per stored step (a backfill step’s eth_getLogs range), by chain and mode.',
    labelNames: ['chain_id', 'chain', 'mode'] as const,
    buckets: [1, 2, 8, 32, 128, 512, 2_048, 8_192, 32_768, 131_072],
    registers: [registry],
  })
  const stepSeconds = new Histogram({
    name: 'ballast_indexer_step_duration_seconds',
    help: 'Duration of a sync step (fetch, check, store), by chain and result.',
    labelNames: ['chain_id', 'chain', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const reorgs = new Counter({
    name: 'ballast_indexer_reorgs_total',
    help: 'Reorgs handled (rolled back to the fork block), by chain.',
    labelNames: ['chain_id', 'chain'] as const,
    registers: [registry],
  })
  const reorgDepth = new Histogram({
    name: 'ballast_indexer_reorg_depth_blocks',
    help: 'Depth of handled reorgs, by chain.',
    labelNames: ['chain_id', 'chain'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  })
  return {
    registry,
    observeEvent: (event) => {
      if (event.type === 'blocks')
        stepBlocks.observe({ ...labels(event.chainId), mode: event.mode }, event.to - event.from + 1)
      else if (event.type === 'reorg') {
        reorgs.inc(labels(event.chainId))
        reorgDepth.observe(labels(event.chainId), event.depth)
      }
    },
    observeStep: (step) =>
      stepSeconds.observe({ ...labels(step.chainId), result: step.result }, step.seconds),
    attach: (running) => {
      indexer = running
    },
  }
}
