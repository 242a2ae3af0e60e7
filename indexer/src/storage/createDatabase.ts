import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase as SqliteDialectDatabase,
  sql,
} from 'kysely'
import { type MigrationProvider, Migrator } from 'kysely/migration'
import pg from 'pg'
import type { ResolvedDatabaseConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { isLeaseOwner } from './chainLease.js'
import { migrations } from './migrations.js'
import { readSchemaStatus, type SchemaStatus } from './readSchemaStatus.js'
import type { Schema } from './schema.js'

/** The SQL engine behind a {@link IndexerDatabase}. */
export type Dialect = 'sqlite' | 'postgres'

/** An open, migrated database: the kysely handle plus which engine it runs on. */
export type IndexerDatabase = {
  db: Kysely<Schema>
  dialect: Dialect
  /** Migrations this open ran, in order (empty when none was pending or with `migrate: false`). */
  migrated: readonly string[]
  /** Closes the connection(s). */
  destroy: () => Promise<void>
}

/** Where the database is: a resolved config's `database`, or the same with defaults left out. */
export type DatabaseTarget =
  | ResolvedDatabaseConfig
  | { kind: 'postgres'; url: string; schema?: string | undefined; poolSize?: number | undefined }

/** Options of {@link createDatabase}. */
export type CreateDatabaseOptions = {
  /**
   * `true` (default): run pending migrations (`ballast migrate`, and `ballast start`'s one-process
   * form). `false`: never change the schema; a schema older than this code is refused with the
   * command to run, so a new API replica never migrates under a running older indexer.
   * A schema newer than this code is refused either way.
   */
  migrate?: boolean | undefined
  /**
   * The indexer process's lease owner id (`leaseOwner()`), carried by every connection so that
   * PostgreSQL accepts this process's writes to the chains it leases (and only those).
   */
  leaseOwner?: string | undefined
}

/** int8 (OID 20): block numbers, timestamps and chain ids all fit a JS number. */
const INT8_OID = 20

/**
 * Opens (creating if needed) the indexer's database and runs pending migrations, or with
 * `migrate: false` checks that none is pending. SQLite runs in WAL mode (readers never block the
 * writer; a SIGKILL loses no committed transaction); PostgreSQL uses a pool (`poolSize`, default
 * 4) whose int8 values parse to numbers (uint256 values are text, never int8), with every
 * connection's `search_path` set to `schema` when one is given.
 *
 * @param config `{ kind: 'sqlite', file }` (`:memory:` works) or `{ kind: 'postgres', url, schema?, poolSize? }`.
 * @param options - whether to migrate.
 * @returns The database; call `destroy()` when done.
 * @example
 * ```ts
 * const { db, destroy } = await createDatabase({ kind: 'sqlite', file: '.ballast/ballast.sqlite' })
 * ```
 */
export async function createDatabase(
  config: DatabaseTarget,
  options: CreateDatabaseOptions = {},
): Promise<IndexerDatabase> {
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
      max: config.poolSize ?? 4,
      // Unqualified names (every table, kysely's migration table) resolve in the schema; the
      // schema name is validated as a plain identifier by the config.
      ...(startupOptions(config.schema, options.leaseOwner) === ''
        ? {}
        : { options: startupOptions(config.schema, options.leaseOwner) }),
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
  const where =
    config.kind === 'sqlite' ? `SQLite file ${config.file}` : `PostgreSQL at ${redact(config.url)}`
  let status: SchemaStatus
  let migrated: string[] = []
  try {
    status = await readSchemaStatus(db, config.kind)
    if (status.unknown.length === 0 && (options.migrate ?? true)) {
      if (config.kind === 'postgres' && config.schema !== undefined)
        await sql`create schema if not exists ${sql.id(config.schema)}`.execute(db)
      migrated = await migrate(db, config.kind === 'postgres' ? config.schema : undefined)
    }
  } catch (error) {
    await db.destroy()
    // PostgreSQL's insufficient_privilege: the server answered, the role may not do this.
    if ((error as { code?: unknown }).code === '42501')
      throw new IndexerError('The database role lacks a privilege this step needs.', {
        details: `${where}: ${(error as Error).message}.`,
        metaMessages: [
          'Run `ballast migrate` as a role that may create tables in the schema (its owner); `ballast serve` needs only USAGE on the schema and SELECT on its tables.',
        ],
        cause: error,
      })
    throw new IndexerError('Could not open the database.', {
      details: where,
      metaMessages: ['Check `database` in the config and that the server is running.'],
      cause: error,
      retryable: true,
    })
  }
  if (status.unknown.length > 0) {
    await db.destroy()
    throw new IndexerError('The database schema is newer than this Ballast.', {
      details: `${where} has migrations this version does not know: ${status.unknown.join(', ')}.`,
      metaMessages: [
        'Run the Ballast version that migrated it (or a newer one); this one would misread its tables.',
      ],
    })
  }
  if (!(options.migrate ?? true) && status.pending.length > 0) {
    await db.destroy()
    throw new IndexerError(
      status.applied.length === 0
        ? 'The database has no schema yet.'
        : 'The database schema is older than this Ballast.',
      {
        details: `${where} lacks ${status.pending.length} migration(s): ${status.pending.join(', ')}.`,
        metaMessages: [
          'Run `ballast migrate --config <path>` once (it needs a role that may create tables), then start this again.',
        ],
      },
    )
  }
  return { db, dialect: config.kind, migrated, destroy: () => db.destroy() }
}

/** `-c name=value` settings for every PostgreSQL connection; both values are validated identifiers. */
function startupOptions(schema: string | undefined, leaseOwner: string | undefined): string {
  if (leaseOwner !== undefined && !isLeaseOwner(leaseOwner))
    throw new IndexerError('Invalid lease owner id.', {
      details: `"${leaseOwner}" may hold only a-z, 0-9, ".", ":" and "-".`,
      metaMessages: ['Use leaseOwner() to make one.'],
    })
  return [
    ...(schema === undefined ? [] : [`-c search_path=${schema}`]),
    ...(leaseOwner === undefined ? [] : [`-c ballast.lease_owner=${leaseOwner}`]),
  ].join(' ')
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

/** Runs pending migrations; returns the names of those it ran. */
async function migrate(db: Kysely<Schema>, schema: string | undefined): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations }
  // kysely looks for its own tables in every schema unless told which: another deployment's
  // tables in the same database would otherwise count as this one's.
  const { error, results } = await new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  }).migrateToLatest()
  if (error !== undefined) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
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
