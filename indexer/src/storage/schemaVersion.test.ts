import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import {
  createTestDatabase,
  createTestDatabaseTarget,
  DIALECTS,
  type TestDatabase,
  type TestDatabaseTarget,
} from '../testing/createTestDatabase.js'
import { createDatabase } from './createDatabase.js'
import { migrations } from './migrations.js'
import { readSchemaStatus } from './readSchemaStatus.js'

const known = Object.keys(migrations).sort()

/** The error an open must fail with (an open that succeeds fails the test). */
function refusal(open: Promise<{ destroy: () => Promise<void> }>): Promise<Error> {
  return open.then(
    async (database) => {
      await database.destroy()
      throw new Error('expected the database to be refused, but it opened')
    },
    (error: unknown) => error as Error,
  )
}

/** Runs SQL on the test server's `postgres` database (roles are per server, not per database). */
async function admin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

for (const dialect of DIALECTS) {
  describe(`schema version on ${dialect}`, () => {
    let test: TestDatabase | undefined
    let empty: TestDatabaseTarget | undefined
    afterEach(async () => {
      await test?.cleanup()
      await empty?.remove()
      test = undefined
      empty = undefined
    })

    it('a server that must not migrate refuses an empty database and names the command', async () => {
      empty = await createTestDatabaseTarget(dialect, inject('ballastPostgresUrl'))
      for (let i = 0; i < 2; i++) {
        // Twice: the refused open created nothing.
        const error = await refusal(createDatabase(empty.config, { migrate: false }))
        expect(error.message).toContain('The database has no schema yet.')
        expect(error.message).toContain(`lacks ${known.length} migration(s): ${known.join(', ')}`)
        expect(error.message).toContain('Run `ballast migrate --config <path>` once')
      }
    })

    it('migrates once, then opens without migrating; the migrations it ran are reported', async () => {
      empty = await createTestDatabaseTarget(dialect, inject('ballastPostgresUrl'))
      const first = await createDatabase(empty.config)
      expect(first.migrated).toEqual(known)
      await first.destroy()
      const second = await createDatabase(empty.config, { migrate: false })
      expect(second.migrated).toEqual([])
      expect(await readSchemaStatus(second.db, dialect)).toEqual({ applied: known, pending: [], unknown: [] })
      await second.destroy()
    })

    it('refuses a schema newer than this code, migrating or not, naming the unknown migration', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01T0000-from-the-future', '2099-01-01T00:00:00.000Z')`.execute(
        test.db,
      )
      for (const migrate of [true, false]) {
        const error = await refusal(createDatabase(test.config, { migrate }))
        expect(error.message).toContain('The database schema is newer than this Ballast.')
        expect(error.message).toContain('2099-01-01T0000-from-the-future')
      }
    })
  })
}

describe('PostgreSQL layout', () => {
  const server = () => inject('ballastPostgresUrl')
  let tests: TestDatabase[] = []
  afterEach(async () => {
    for (const t of tests) await t.cleanup()
    tests = []
  })

  it('puts every table and the migration table in the configured schema', async () => {
    const test = await createTestDatabase('postgres', server(), { schema: 'ballast_x' })
    tests.push(test)
    const { rows } = await sql<{ table_schema: string; table_name: string }>`
      select table_schema, table_name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') order by table_name`.execute(test.db)
    expect(new Set(rows.map((r) => r.table_schema))).toEqual(new Set(['ballast_x']))
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['kysely_migration', 'sync_state', 'balances']),
    )
    // Another schema of the same database is another deployment: empty, and migrated on its own.
    const url = (test.config as { url: string }).url
    const other = await refusal(
      createDatabase({ kind: 'postgres', url, schema: 'ballast_y' }, { migrate: false }),
    )
    expect(other.message).toContain('The database has no schema yet.')
    const y = await createDatabase({ kind: 'postgres', url, schema: 'ballast_y' })
    expect(y.migrated).toEqual(known)
    await y.destroy()
  })

  it('serves through a read-only role, which cannot write', async () => {
    const test = await createTestDatabase('postgres', server(), { schema: 'ballast_ro' })
    tests.push(test)
    const role = `reader_${process.pid}`
    await admin(server(), [`drop role if exists ${role}`, `create role ${role} login password 'reader-pw'`])
    try {
      await sql`grant usage on schema ballast_ro to ${sql.id(role)}`.execute(test.db)
      await sql`grant select on all tables in schema ballast_ro to ${sql.id(role)}`.execute(test.db)
      const url = new URL((test.config as { url: string }).url)
      url.username = role
      url.password = 'reader-pw'
      const reader = await createDatabase(
        { kind: 'postgres', url: url.toString(), schema: 'ballast_ro' },
        { migrate: false },
      )
      try {
        expect(await reader.db.selectFrom('sync_state').selectAll().execute()).toEqual([])
        await expect(
          reader.db
            .insertInto('tokens')
            .values({ chain_id: 1, address: '0xt', symbol: 'T', decimals: 6 } as never)
            .execute(),
        ).rejects.toThrow(/permission denied/)
      } finally {
        await reader.destroy()
      }
    } finally {
      await sql`drop owned by ${sql.id(role)}`.execute(test.db)
      await admin(server(), [`drop role if exists ${role}`])
    }
  })

  it('refuses a schema name that is not a plain identifier', async () => {
    const { defineConfig } = await import('../config/defineConfig.js')
    expect(() =>
      defineConfig({
        database: { kind: 'postgres', url: 'postgres://u@h/d', schema: 'x; drop table y' },
        chains: [],
        pools: [],
        assets: [],
      }),
    ).toThrow(/database\.schema must be a lower-case SQL identifier/)
  })
})
