import pg from 'pg'

/**
 * Runs statements on a PostgreSQL server outside any Ballast database handle (roles, grants,
 * catalog checks in tests, which packages without their own `pg` dependency need too).
 *
 * @param url - connection URL (a test server's superuser, usually).
 * @param statements - run in order on one connection.
 * @returns the rows of the last statement.
 * @example
 * ```ts
 * const [row] = await adminQuery(server.url, ['select 1 as one'])
 * ```
 */
export async function adminQuery(url: string, statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    let rows: Record<string, unknown>[] = []
    for (const statement of statements) rows = (await client.query(statement)).rows
    return rows
  } finally {
    await client.end()
  }
}
