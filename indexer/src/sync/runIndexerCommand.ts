import { loadConfig } from '../config/loadConfig.js'
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
 * What `ballast index` runs: loads and validates the config file, checks the RPC URLs, indexes
 * until synced (or until SIGINT/SIGTERM, which let the current step's transaction finish), then
 * closes the database. Errors propagate (a `ConfigError` names the field; the CLI prints it).
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
  const indexer = await runIndexer({
    config,
    untilSynced: options.untilSynced,
    logger: options.logger,
    progress: options.progress,
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
  }
}
