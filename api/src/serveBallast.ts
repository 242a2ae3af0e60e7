import {
  type ChangeFeed,
  createChangeFeed,
  createDatabase,
  type IndexerDatabase,
  type ResolvedIndexerConfig,
} from '@ballast/indexer'
import { type Api, type CreateApiOptions, createApi } from './createApi.js'
import type { ApiDataSource } from './dataSource/ApiDataSource.js'
import { createIndexerDataSource } from './dataSource/createIndexerDataSource.js'
import { type ApiServer, type ServerLimits, serveApi } from './server/serveApi.js'

/** Options of {@link serveBallast}. */
export type ServeBallastOptions = {
  /** A resolved config (`defineConfig(...)`): its database, chains and pools. */
  config: ResolvedIndexerConfig
  /** Host to listen on (default 127.0.0.1). */
  host?: string
  /** Port to listen on (default 4000; 0 for any free port). */
  port?: number
  /** API options other than the data source. */
  api?: Omit<CreateApiOptions, 'dataSource'>
  /** HTTP timeouts and the connection bound (defaults: `defaultServerLimits`). */
  serverLimits?: Partial<ServerLimits>
  /**
   * An open database to serve (`ballast start` shares its indexer's); the caller closes it. Default:
   * the config's database, opened without migrating and closed by `stop()`.
   */
  database?: IndexerDatabase | undefined
  /**
   * Where news of stored blocks comes from (`ballast start`: its own indexer's events). Default: on
   * PostgreSQL the writers' notifications (`createChangeFeed`), on SQLite none.
   */
  changes?: ((listener: () => void) => () => void) | undefined
}

/** The API serving a database that another process indexes. */
export type ServedBallast = {
  url: string
  origin: string
  api: Api
  server: ApiServer
  database: IndexerDatabase
  dataSource: ApiDataSource
  /** Stops the server, then closes the database (when it opened it). Safe to call twice. */
  stop: () => Promise<void>
}

/**
 * Serves the GraphQL API over a database written by `ballast index` in other processes
 * (`ballast serve`): read-only, never migrates (a schema older or newer than this code is refused
 * with the command to run), and serves at once whatever is indexed, a backfill in progress
 * included, with `_meta` showing each chain's lag. On PostgreSQL the writer's notifications
 * (`LISTEN`/`NOTIFY`, see `createChangeFeed`) invalidate cached answers at once; without them
 * (SQLite, or a dropped listener) cached answers are re-checked against the indexed heads at most
 * every 500 ms.
 *
 * @param options - config, listen address, limits.
 * @returns the running server; call `stop()` to end it.
 * @example
 * ```ts
 * const served = await serveBallast({ config: defineConfig(userConfig), port: 4000 })
 * await served.stop()
 * ```
 */
export async function serveBallast(options: ServeBallastOptions): Promise<ServedBallast> {
  const { config } = options
  const owned = options.database === undefined
  const database = options.database ?? (await createDatabase(config.database, { migrate: false }))
  const close = async () => {
    if (owned) await database.destroy()
  }
  let feed: ChangeFeed | undefined
  try {
    feed =
      options.changes === undefined && config.database.kind === 'postgres'
        ? await createChangeFeed(config.database)
        : undefined
    const dataSource = createIndexerDataSource({ db: database.db, config })
    const subscribe = feed?.subscribe
    const changes =
      options.changes ??
      (subscribe === undefined ? undefined : (listener: () => void) => subscribe(() => listener()))
    const api = createApi({ dataSource, ...(changes === undefined ? {} : { changes }), ...options.api })
    const server = await serveApi(api, {
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.serverLimits === undefined ? {} : { limits: options.serverLimits }),
    })
    let stopping: Promise<void> | undefined
    const stop = () => {
      stopping ??= server
        .close()
        .finally(() => feed?.close())
        .finally(close)
      return stopping
    }
    return { url: server.url, origin: server.origin, api, server, database, dataSource, stop }
  } catch (error) {
    await feed?.close()
    await close()
    throw error
  }
}
