import type { Kysely } from 'kysely'
import type { Schema } from '../storage/schema.js'

/** Tables compared by {@link dumpFacts}: every fact except block headers and the RPC cache. */
const FACT_TABLES = [
  'pool_events',
  'member_events',
  'risk_parameters',
  'balances',
  'supplies',
  'prices',
  'oft_sent',
  'oft_received',
  'tokens',
] as const

/**
 * Every stored fact in a canonical order, plus each chain's indexed block and hash: two databases
 * that index the same canonical chains must dump equal (SQLite or PostgreSQL, after reorgs,
 * crashes or RPC faults). Block headers are left out: a live sync keeps every unfinalized header,
 * a backfill only those with facts.
 *
 * @param db The database.
 * @returns A JSON-comparable object.
 * @example
 * ```ts
 * expect(await dumpFacts(live.db)).toEqual(await dumpFacts(fresh.db))
 * ```
 */
export async function dumpFacts(db: Kysely<Schema>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const table of FACT_TABLES) {
    const rows = await db
      .selectFrom(table as 'balances')
      .selectAll()
      .orderBy('chain_id')
      .orderBy('block_number')
      .orderBy('log_index')
      .execute()
    out[table] = rows
      .map((row) => Object.fromEntries(Object.entries(row).sort(([x], [y]) => (x < y ? -1 : 1))))
      .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))
  }
  out.sync_state = (
    await db
      .selectFrom('sync_state')
      .select(['chain_id', 'block_number', 'block_hash'])
      .orderBy('chain_id')
      .execute()
  ).map((r) => ({ ...r }))
  return out
}
