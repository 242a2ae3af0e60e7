import { type Kysely, sql } from 'kysely'
import { migrations } from './migrations.js'

/** Where a database's schema stands against the migrations this code knows. */
export type SchemaStatus = {
  /** Migrations recorded in the database, in order. */
  applied: string[]
  /** Migrations this code knows and the database has not run yet (`ballast migrate` runs them). */
  pending: string[]
  /** Migrations recorded in the database that this code does not know: a newer Ballast wrote it. */
  unknown: string[]
}

/**
 * Reads which migrations a database has run (kysely's `kysely_migration` table; none on a new
 * database) and compares them with the ones this code knows.
 *
 * @param db - an open database, migrated or not.
 * @param dialect - its engine.
 * @returns applied, pending and unknown migration names.
 * @example
 * ```ts
 * const { pending, unknown } = await readSchemaStatus(database.db, database.dialect)
 * ```
 */
export async function readSchemaStatus(
  // biome-ignore lint/suspicious/noExplicitAny: any schema: only raw SQL runs here
  db: Kysely<any>,
  dialect: 'sqlite' | 'postgres',
): Promise<SchemaStatus> {
  // Looked up the way unqualified names resolve (PostgreSQL: along the search_path), so a
  // migration table in another schema of the same database does not count.
  const exists =
    dialect === 'postgres'
      ? (await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db))
          .rows[0]?.t != null
      : (
          await sql<{
            n: number
          }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(
            db,
          )
        ).rows[0]?.n === 1
  const applied = exists
    ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map(
        (r) => r.name,
      )
    : []
  const known = Object.keys(migrations).sort()
  return {
    applied,
    pending: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  }
}
