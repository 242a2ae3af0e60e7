import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely'
import { type MigrationProvider, Migrator } from 'kysely/migration'
import pg from 'pg'
import type { ResolvedDatabaseConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { migrations } from './migrations.js'
import type { Schema } from './schema.js'

/** The SQL engine behind a {@link IndexerDatabase}. */
export type Dialect = 'sqlite' | 'postgres'

/** An open, migrated database: the kysely handle plus which engine it runs on. */
export type IndexerDatabase = {
  db: Kysely<Schema>
  dialect: Dialect
  /** Closes the connection(s). */
  destroy: () => Promise<void>
}

/** int8 (OID 20): block numbers, timestamps and chain ids all fit a JS number. */
const INT8_OID = 20

/**
 * Opens (creating if needed) the indexer's database and runs pending migrations. SQLite runs in
 * WAL mode (readers never block the writer; a SIGKILL loses no committed transaction); PostgreSQL
 * uses a small pool whose int8 values parse to numbers (uint256 values are text, never int8).
 *
 * @param config `{ kind: 'sqlite', file }` (`:memory:` works) or `{ kind: 'postgres', url }`.
 * @returns The database; call `destroy()` when done.
 * @example
 * ```ts
 * const { db, destroy } = await createDatabase({ kind: 'sqlite', file: '.ballast/ballast.sqlite' })
 * ```
 */
export async function createDatabase(config: ResolvedDatabaseConfig): Promise<IndexerDatabase> {
  let db: Kysely<Schema>
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true })
    const sqlite = new SqliteDatabase(config.file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('busy_timeout = 5000')
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  } else {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 4,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
      },
    })
    // An idle pooled connection that the server closes (restart, admin termination) emits 'error'
    // on the pool; unhandled, it would kill the process. The pool drops that client and the next
    // query opens a new one; errors of running queries still reject those queries.
    pool.on('error', () => {})
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
  }
  try {
    await migrate(db)
  } catch (error) {
    await db.destroy()
    throw new IndexerError('Could not open the database.', {
      details:
        config.kind === 'sqlite' ? `SQLite file ${config.file}` : `PostgreSQL at ${redact(config.url)}`,
      metaMessages: ['Check `database` in the config and that the server is running.'],
      cause: error,
      retryable: true,
    })
  }
  return { db, dialect: config.kind, destroy: () => db.destroy() }
}

/** Prepared statements kept per SQL text (the backfill's full insert chunks repeat the same text). */
const STATEMENT_CACHE_SIZE = 256

/**
 * better-sqlite3 as kysely's SQLite driver sees it, with prepared statements cached by SQL text:
 * kysely prepares every query it runs, and parsing a 500-row `insert` costs about as much as
 * running it. A statement is re-run only after the previous run returned (kysely runs one query
 * at a time on the connection and never streams on SQLite). The oldest entry leaves first.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => {
      cache.clear()
      sqlite.close()
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql)
      if (statement === undefined) {
        statement = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
        cache.set(sql, statement)
      }
      return statement
    },
  }
}

async function migrate(db: Kysely<Schema>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations }
  const { error } = await new Migrator({ db, provider }).migrateToLatest()
  if (error !== undefined) throw error
}

/** Hides the password of a connection URL in messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<unparseable URL>'
  }
}
