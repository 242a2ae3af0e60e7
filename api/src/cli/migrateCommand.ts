import { createDatabase, type ResolvedIndexerConfig, readSchemaStatus } from '@ballast/indexer'

/** What `ballast migrate` did. */
export type MigrateResult = {
  /** Migrations run now, in order (empty when the schema was up to date). */
  ran: readonly string[]
  /** Every migration the database has now. */
  applied: readonly string[]
}

/**
 * Brings the database's schema up to this code's (`ballast migrate`): creates the tables (and the
 * PostgreSQL schema, when configured) on a new database, runs pending migrations on an older one,
 * and refuses a newer one. Besides `ballast start`'s one-process form, the only command that
 * changes the schema: `ballast serve` (and the indexer run as its own process) refuse to start on
 * a schema they do not match.
 *
 * @param config - a resolved config; only `database` is used.
 * @returns the migrations run and the ones now applied.
 * @example
 * ```ts
 * const { ran } = await migrateCommand(await loadConfigFile('ballast.config.ts'))
 * ```
 */
export async function migrateCommand(config: ResolvedIndexerConfig): Promise<MigrateResult> {
  const database = await createDatabase(config.database, { migrate: true })
  try {
    const { applied } = await readSchemaStatus(database.db, database.dialect)
    return { ran: database.migrated, applied }
  } finally {
    await database.destroy()
  }
}
