import { sql } from 'kysely'
import type { Schema } from '../storage/schema.js'
import type { QueryContext } from './QueryContext.js'
import { type ResolvedAt, visibleAt } from './resolveAt.js'

type Versioned = 'balances' | 'supplies' | 'prices' | 'member_events' | 'pool_events'

/**
 * The newest row per key among the rows visible at a point (`row_number() over (partition by
 * key order by block_number desc, log_index desc) = 1`, which SQLite and PostgreSQL both run),
 * optionally filtered further. The building block of every "value at block B" query.
 *
 * @param ctx Database.
 * @param table A table of versioned facts.
 * @param keys Columns that identify one value (besides `chain_id`).
 * @param at Resolved point.
 * @param filter Extra equality filters (`{ token: '0x…' }`).
 * @returns One row per key.
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
  filter: Readonly<Record<string, string | number | readonly string[] | undefined>> = {},
): Promise<Schema[T][]> {
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
  for (const [column, value] of Object.entries(filter)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      if (value.length === 0) return []
      inner = inner.where(sql.ref(column), 'in', value)
    } else inner = inner.where(sql.ref(column), '=', value)
  }
  const rows = await ctx.db.selectFrom(inner.as('x')).selectAll().where('rn', '=', 1).execute()
  return rows.map(({ rn: _, ...row }) => row) as unknown as Schema[T][]
}
