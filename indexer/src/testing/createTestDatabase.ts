import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createDatabase, type Dialect, type IndexerDatabase } from '../storage/createDatabase.js'

/** Both engines: every database test runs once per entry (`for (const dialect of DIALECTS)`). */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres']

/** Where an isolated test database lives (nothing opened yet), and how to remove it. */
export type TestDatabaseTarget = {
  /** The config value pointing at this database (for `createDatabase`, a child process or `runIndexer`). */
  config: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string }
  /** Deletes the SQLite file / drops the PostgreSQL database (close connections to it first). */
  remove: () => Promise<void>
}

/** A migrated, empty database of its own for one test, with a cleanup that removes it. */
export type TestDatabase = IndexerDatabase &
  Pick<TestDatabaseTarget, 'config'> & {
    /** Closes it and deletes the SQLite file / drops the PostgreSQL database. */
    cleanup: () => Promise<void>
  }

let counter = 0

/**
 * Makes room for an isolated database without opening it: a path in a fresh temp directory, or a
 * new, empty database on the test PostgreSQL server (tables in `schema` when given).
 *
 * @param dialect Which engine.
 * @param postgresUrl URL of the server's `postgres` database (needed for `postgres`).
 * @param options `schema` (PostgreSQL) for the config.
 * @returns The target; call `remove()` when done.
 */
export async function createTestDatabaseTarget(
  dialect: Dialect,
  postgresUrl?: string,
  options: { schema?: string } = {},
): Promise<TestDatabaseTarget> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-sqlite-'))
    return {
      config: { kind: 'sqlite' as const, file: join(dir, 'ballast.sqlite') },
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  if (postgresUrl === undefined) throw new Error('createTestDatabase("postgres") needs the server URL')
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  return {
    config: {
      kind: 'postgres' as const,
      url: url.toString(),
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    },
    remove: async () => {
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      try {
        await client.query(`drop database if exists ${name} with (force)`)
      } finally {
        await client.end()
      }
    },
  }
}

/**
 * Creates an isolated, migrated database: a SQLite file in a fresh temp directory, or a new
 * database on the test PostgreSQL server (`postgresUrl`, e.g. `inject('ballastPostgresUrl')` in vitest).
 *
 * @param dialect Which engine.
 * @param postgresUrl URL of the server's `postgres` database (needed for `postgres`).
 * @param options `schema` (PostgreSQL) puts the tables there.
 * @returns The database; call `cleanup()` in an `afterEach`/`finally`.
 * @example
 * ```ts
 * const test = await createTestDatabase('postgres', inject('ballastPostgresUrl'))
 * try { ... } finally { await test.cleanup() }
 * ```
 */
export async function createTestDatabase(
  dialect: Dialect,
  postgresUrl?: string,
  options: { schema?: string } = {},
): Promise<TestDatabase> {
  const target = await createTestDatabaseTarget(dialect, postgresUrl, options)
  const database = await createDatabase(target.config)
  return {
    ...database,
    config: target.config,
    cleanup: async () => {
      await database.destroy()
      await target.remove()
    },
  }
}
