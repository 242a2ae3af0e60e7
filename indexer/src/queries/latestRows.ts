import { sql } from 'kysely'
import type { Schema } from '../storage/schema.js'
import type { QueryContext } from './QueryContext.js'
import { type ResolvedAt, visibleAt } from './resolveAt.js'

type Versioned = 'balances' | 'supplies' | 'prices' | 'reads' | 'member_events' | 'pool_events'
type Filter = Readonly<Record<string, string | number | readonly string[] | undefined>>

/**
 * Tables whose primary key is `(chain_id, ...keys, block_number, log_index)`: the newest row of a
 * key at a block is one index seek, and the next key is another (a loose index scan).
 */
const KEYED: Partial<Record<Versioned, readonly string[]>> = {
  balances: ['token', 'holder'],
  supplies: ['token'],
  prices: ['feed'],
  reads: ['contract', 'holder', 'field'],
}

/**
 * The newest row per key among the rows visible at a point, optionally filtered further. The
 * building block of every "value at block B" query.
 *
 * On the big tables (balances, supplies, prices) it walks the primary key: the next key after
 * the previous one (`order by chain_id, k… limit 1`, see {@link nextKey}; filters are checked on
 * the key), then that key's
 * newest row at or before the chain's block (`order by block_number desc, log_index desc limit 1`),
 * so the cost is a few index seeks per key, whatever the length of the history. The small
 * registry tables use `row_number() over (partition by key order by block_number desc, log_index
 * desc) = 1` (SQLite and PostgreSQL both run it).
 *
 * @param ctx Database.
 * @param table A table of versioned facts.
 * @param keys Columns that identify one value (besides `chain_id`).
 * @param at Resolved point.
 * @param filter Extra equality filters (`{ token: '0x…' }`; an array means `in`).
 * @returns One row per key (in no particular order).
 * @example
 * ```ts
 * await latestRows(ctx, 'supplies', ['token'], at, { token })
 * ```
 */
export async function latestRows<T extends Versioned>(
  ctx: QueryContext,
  table: T,
  keys: readonly string[],
  at: ResolvedAt,
  filter: Filter = {},
): Promise<Schema[T][]> {
  for (const value of Object.values(filter)) if (Array.isArray(value) && value.length === 0) return []
  const pk = KEYED[table]
  if (pk !== undefined && pk.length === keys.length && pk.every((k, i) => keys[i] === k)) {
    return (await latestByKeyScan(ctx, table, keys, at, filter)) as Schema[T][]
  }
  const partition = sql.join(['chain_id', ...keys].map((k) => sql.ref(k)))
  let inner = ctx.db
    .selectFrom(table as 'balances')
    .selectAll()
    .select(
      sql<number>`row_number() over (partition by ${partition} order by block_number desc, log_index desc)`.as(
        'rn',
      ),
    )
    .where((eb) => visibleAt(eb, at))
  inner = applyFilter(inner, filter)
  const rows = await ctx.db.selectFrom(inner.as('x')).selectAll().where('rn', '=', 1).execute()
  return rows.map(({ rn: _, ...row }) => row) as unknown as Schema[T][]
}

async function latestByKeyScan(
  ctx: QueryContext,
  table: Versioned,
  keys: readonly string[],
  at: ResolvedAt,
  filter: Filter,
): Promise<unknown[]> {
  const columns = ['chain_id', ...keys]
  const out: unknown[] = []
  let after: unknown[] | undefined
  for (;;) {
    const key = await nextKey(ctx, table, columns, after)
    if (key === undefined) return out
    after = columns.map((c) => key[c])
    const point = at.chains.get(Number(key.chain_id))
    if (point === undefined || !matches(key, filter)) continue
    let latest = ctx.db
      .selectFrom(table as 'balances')
      .selectAll()
      .where('block_number', '<=', point.blockNumber)
      .orderBy('block_number', 'desc')
      .orderBy('log_index', 'desc')
      .limit(1)
    for (const c of columns) latest = latest.where(sql.ref(c), '=', key[c] as string)
    const row = await latest.executeTakeFirst()
    if (row !== undefined) out.push(row)
  }
}

/**
 * The first key (in primary-key order) after `after`: `c0 = a0 and … and c(i-1) = a(i-1) and
 * ci > ai`, from the last column up to the first, each an index seek. One row-value comparison
 * `(c0, c1, …) > (a0, a1, …)` would say the same, but SQLite seeks only on its first column.
 */
async function nextKey(
  ctx: QueryContext,
  table: Versioned,
  columns: readonly string[],
  after: readonly unknown[] | undefined,
): Promise<Record<string, unknown> | undefined> {
  for (let level = after === undefined ? 0 : columns.length - 1; level >= 0; level--) {
    let query = ctx.db
      .selectFrom(table as 'balances')
      .select(columns as 'token'[])
      .limit(1)
    for (const c of columns) query = query.orderBy(sql.ref(c))
    if (after !== undefined) {
      for (let i = 0; i < level; i++)
        query = query.where(sql.ref(columns[i] as string), '=', after[i] as string)
      query = query.where(sql.ref(columns[level] as string), '>', after[level] as string)
    }
    const key = (await query.executeTakeFirst()) as Record<string, unknown> | undefined
    if (key !== undefined || after === undefined) return key
  }
  return undefined
}

/**
 * Whether a key passes the filters. Checked here rather than in SQL: with `in` lists beside the
 * key seek, both engines may prefer the lists and sort, which costs more than skipping a key.
 */
function matches(key: Record<string, unknown>, filter: Filter): boolean {
  for (const [column, value] of Object.entries(filter)) {
    if (value === undefined) continue
    const actual = key[column]
    if (Array.isArray(value) ? !value.includes(actual as string) : actual !== value) return false
  }
  return true
}

function applyFilter<Q extends { where: (...args: never[]) => Q }>(query: Q, filter: Filter): Q {
  let q = query as unknown as {
    where: (ref: unknown, op: string, value: unknown) => typeof q
  }
  for (const [column, value] of Object.entries(filter)) {
    if (value === undefined) continue
    q = q.where(sql.ref(column), Array.isArray(value) ? 'in' : '=', value)
  }
  return q as unknown as Q
}
