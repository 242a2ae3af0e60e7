import { loadConfig } from '../config/loadConfig.js'
import { changeOfSyncEvent, createChangeFeed } from '../storage/createChangeFeed.js'
import { createDatabase } from '../storage/createDatabase.js'
import { type RunIndexerOptions, runIndexer } from './runIndexer.js'

/** Options of {@link runIndexerCommand} (`ballast index [--config PATH] [--until-synced]`). */
export type RunIndexerCommandOptions = {
  /** Config file (default `ballast.config.ts`). */
  config?: string | undefined
  /** Stop once every chain reached its head. */
  untilSynced?: boolean | undefined
  /** Aborting stops the indexer after its current step (default: SIGINT and SIGTERM do). */
  signal?: AbortSignal | undefined
} & Pick<RunIndexerOptions, 'logger' | 'progress'>

/**
 * What `ballast index` runs: loads and validates the config file, opens the database without
 * migrating (a schema it does not match is refused: `ballast migrate` first), checks the RPC
 * URLs, indexes until synced (or until SIGINT/SIGTERM, which let the current step's transaction
 * finish), then closes the database. On PostgreSQL every stored step and rollback is announced
 * to `ballast serve` replicas (`createChangeFeed`). Errors propagate (a `ConfigError` names the
 * field; the CLI prints it).
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
  const database = await createDatabase(config.database, { migrate: false })
  const feed = await createChangeFeed(config.database).catch(async (error: unknown) => {
    await database.destroy()
    throw error
  })
  const indexer = await runIndexer({
    config,
    database,
    untilSynced: options.untilSynced,
    logger: options.logger,
    progress: options.progress,
    onEvent: (event) => {
      const change = changeOfSyncEvent(event)
      if (change !== undefined) feed.publish(change)
    },
  }).catch(async (error: unknown) => {
    await feed.close()
    await database.destroy()
    throw error
  })
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
    await feed.close()
    await database.destroy()
  }
}
