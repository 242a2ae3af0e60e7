import { loadConfig } from '../config/loadConfig.js'
import { createIndexerMetrics } from '../metrics/createIndexerMetrics.js'
import { type MetricsServer, serveIndexerMetrics } from '../metrics/serveIndexerMetrics.js'
import { leaseOwner } from '../storage/chainLease.js'
import { createChangeFeed } from '../storage/createChangeFeed.js'
import { createDatabase } from '../storage/createDatabase.js'
import { type RunIndexerOptions, runIndexer } from './runIndexer.js'
import { selectChains } from './selectChains.js'

/** Options of {@link runIndexerCommand} (`ballast index [--config PATH] [--until-synced]`). */
export type RunIndexerCommandOptions = {
  /** Config file (default `ballast.config.ts`). */
  config?: string | undefined
  /** Stop once every chain reached its head. */
  untilSynced?: boolean | undefined
  /** Aborting stops the indexer after its current step (default: SIGINT and SIGTERM do). */
  signal?: AbortSignal | undefined
  /** On PostgreSQL, wait as a standby for chains another process writes (default), or fail at once. */
  standby?: boolean | undefined
  /** Lease duration on PostgreSQL (default 10 s): how long after this process dies a standby takes over. */
  leaseTtlMs?: number | undefined
  /** Serve Prometheus metrics at `/metrics` on this address (`--metrics-port`; port 0: any free one). */
  metrics?: { host?: string | undefined; port: number } | undefined
  /** Told the metrics URL once it listens. */
  onMetricsUrl?: ((url: string) => void) | undefined
} & Pick<RunIndexerOptions, 'logger' | 'progress' | 'chains'>

/**
 * What `ballast index` runs: loads and validates the config file, opens the database without
 * migrating (a schema it does not match is refused: `ballast migrate` first), checks the RPC
 * URLs, indexes until synced (or until SIGINT/SIGTERM, which let the current step's transaction
 * finish), then closes the database. On PostgreSQL it writes a chain only while it holds the
 * chain's lease (one writer per chain; a second process waits as a standby and takes over within
 * seconds of the writer's death), and every stored step and rollback is announced to `ballast
 * serve` replicas (`createChangeFeed`). SQLite is one process and takes no lease. Errors propagate
 * (a `ConfigError` names the field; the CLI prints it).
 *
 * @param options Config path, mode, and how to stop.
 * @returns When the indexer has stopped.
 * @example
 * ```ts
 * await runIndexerCommand({ config: 'ballast.config.ts', untilSynced: true })
 * ```
 */
export async function runIndexerCommand(options: RunIndexerCommandOptions = {}): Promise<void> {
  const config = await loadConfig(options.config)
  // A wrong --chains is refused before the database is opened.
  selectChains(config, options.chains)
  const owner = config.database.kind === 'postgres' ? leaseOwner() : undefined
  const database = await createDatabase(config.database, { migrate: false, leaseOwner: owner })
  const feed = await createChangeFeed(config.database).catch(async (error: unknown) => {
    await database.destroy()
    throw error
  })
  const metrics = options.metrics === undefined ? undefined : createIndexerMetrics(config)
  const indexer = await runIndexer({
    config,
    database,
    ...(metrics === undefined ? {} : { onEvent: metrics.observeEvent, onStep: metrics.observeStep }),
    untilSynced: options.untilSynced,
    chains: options.chains,
    ...(owner === undefined ? {} : { lease: { owner, standby: options.standby, ttlMs: options.leaseTtlMs } }),
    logger: options.logger,
    progress: options.progress,
    feed,
  }).catch(async (error: unknown) => {
    await feed.close()
    await database.destroy()
    throw error
  })
  let metricsServer: MetricsServer | undefined
  if (metrics !== undefined && options.metrics !== undefined) {
    metrics.attach(indexer)
    try {
      metricsServer = await serveIndexerMetrics(metrics, options.metrics)
    } catch (error) {
      await indexer.stop()
      await feed.close()
      await database.destroy()
      throw error
    }
    options.onMetricsUrl?.(metricsServer.url)
  }
  const stop = () => {
    void indexer.stop()
  }
  const signals: NodeJS.Signals[] = options.signal === undefined ? ['SIGINT', 'SIGTERM'] : []
  for (const s of signals) process.once(s, stop)
  options.signal?.addEventListener('abort', stop, { once: true })
  try {
    await indexer.done
  } finally {
    for (const s of signals) process.off(s, stop)
    options.signal?.removeEventListener('abort', stop)
    await metricsServer?.close()
    await feed.close()
    await database.destroy()
  }
}
