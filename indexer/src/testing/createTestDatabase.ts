import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createDatabase, type Dialect, type IndexerDatabase } from '../storage/createDatabase.js'

/** Both engines: every database test runs once per entry (`for (const dialect of DIALECTS)`). */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres']

/** A migrated, empty database of its own for one test, with a cleanup that removes it. */
export type TestDatabase = IndexerDatabase & {
  /** The config value pointing at this database (for a child process or `runIndexer`). */
  config: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }
  /** Closes it and deletes the SQLite file / drops the PostgreSQL database. */
  cleanup: () => Promise<void>
}

let counter = 0

/**
 * Creates an isolated database: a SQLite file in a fresh temp directory, or a new database on
 * the test PostgreSQL server (`postgresUrl`, e.g. `inject('ballastPostgresUrl')` in vitest).
 *
 * @param dialect Which engine.
 * @param postgresUrl URL of the server's `postgres` database (needed for `postgres`).
 * @returns The database; call `cleanup()` in an `afterEach`/`finally`.
 * @example
 * ```ts
 * const test = await createTestDatabase('postgres', inject('ballastPostgresUrl'))
 * try { ... } finally { await test.cleanup() }
 * ```
 */
export async function createTestDatabase(dialect: Dialect, postgresUrl?: string): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-sqlite-'))
    const config = { kind: 'sqlite' as const, file: join(dir, 'ballast.sqlite') }
    const database = await createDatabase(config)
    return {
      ...database,
      config,
      cleanup: async () => {
        await database.destroy()
        rmSync(dir, { recursive: true, force: true })
      },
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
  const config = { kind: 'postgres' as const, url: url.toString() }
  const database = await createDatabase(config)
  return {
    ...database,
    config,
    cleanup: async () => {
      await database.destroy()
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
