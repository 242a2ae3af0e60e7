import {
  type ChangeFeed,
  createChangeFeed,
  createDatabase,
  type Indexer,
  type IndexerDatabase,
  type IndexerLogger,
  type ResolvedIndexerConfig,
  runIndexer,
} from '@ballast/indexer'
import type { Api, CreateApiOptions } from './createApi.js'
import type { ApiDataSource } from './dataSource/ApiDataSource.js'
import { type ServedBallast, serveBallast } from './serveBallast.js'
import type { ApiServer, ServerLimits } from './server/serveApi.js'

/** Options of {@link startBallast}. */
export type StartBallastOptions = {
  /** A resolved indexer config (`defineConfig(...)`). */
  config: ResolvedIndexerConfig
  /** Host to listen on (default 127.0.0.1). */
  host?: string
  /** Port to listen on (default 4000; 0 for any free port). */
  port?: number
  /** Indexer logs; `false` for none (default: the indexer's pino logger on stderr). */
  logger?: IndexerLogger | false
  /** Indexer progress bar (default: when stderr is a terminal). */
  progress?: boolean
  /** API options other than the data source. */
  api?: Omit<CreateApiOptions, 'dataSource'>
  /** HTTP timeouts and the connection bound (defaults: `defaultServerLimits`). */
  serverLimits?: Partial<ServerLimits>
}

/** Indexer and API running in one process. */
export type RunningBallast = {
  /** GraphQL endpoint. */
  url: string
  origin: string
  api: Api
  server: ApiServer
  indexer: Indexer
  database: IndexerDatabase
  dataSource: ApiDataSource
  /** Stops the API server, then the indexer, then closes the database. Safe to call twice. */
  stop: () => Promise<void>
}

/**
 * Runs the indexer and the GraphQL API in one process (`ballast start`): opens the database,
 * starts syncing every chain, waits until each has caught up with its head once, then serves the
 * API over the same database. The indexer keeps following the chains while the API serves.
 *
 * @param options - config, listen address, logging.
 * @returns the running pair; call `stop()` to end both.
 * @example
 * ```ts
 * const ballast = await startBallast({ config: defineConfig(userConfig), port: 4000 })
 * console.log(ballast.url)
 * await ballast.stop()
 * ```
 */
export async function startBallast(options: StartBallastOptions): Promise<RunningBallast> {
  const { config } = options
  const database = await createDatabase(config.database)
  /** The API's result cache listens here for stored blocks and reorgs. */
  const listeners = new Set<() => void>()
  // On PostgreSQL, `ballast serve` replicas on the same database hear of them too.
  let feed: ChangeFeed | undefined
  let indexer: Indexer
  try {
    feed = config.database.kind === 'postgres' ? await createChangeFeed(config.database) : undefined
    indexer = await runIndexer({
      config,
      database,
      feed,
      onEvent: (event) => {
        if (event.type !== 'discovered') for (const listener of listeners) listener()
      },
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.progress === undefined ? {} : { progress: options.progress }),
    })
  } catch (error) {
    await feed?.close()
    await database.destroy()
    throw error
  }
  let served: ServedBallast | undefined
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      await served?.stop()
      await indexer.stop()
      await indexer.done.catch(() => {})
      await feed?.close()
      await database.destroy()
    })()
    return stopping
  }
  try {
    // A fatal sync error rejects `done` before `synced` ever resolves: fail fast with it.
    await Promise.race([indexer.synced, indexer.done.then(() => indexer.synced)])
    served = await serveBallast({
      config,
      database,
      changes: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.api === undefined ? {} : { api: options.api }),
      ...(options.serverLimits === undefined ? {} : { serverLimits: options.serverLimits }),
    })
    const { url, origin, api, server, dataSource } = served
    return { url, origin, api, server, indexer, database, dataSource, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
