import { CompiledQuery, type Transaction } from 'kysely'
import type { Schema } from './schema.js'

/** The fact rows one sync step writes, per table (both sources fill the same tables). */
export type FactRows = {
  balances: Schema['balances'][]
  supplies: Schema['supplies'][]
  oft_sent: Schema['oft_sent'][]
  oft_received: Schema['oft_received'][]
  prices: Schema['prices'][]
  reads: Schema['reads'][]
  pool_events: Schema['pool_events'][]
  member_events: Schema['member_events'][]
  risk_parameters: Schema['risk_parameters'][]
  holder_acknowledgements: Schema['holder_acknowledgements'][]
  timelock_operations: Schema['timelock_operations'][]
  attestations: Schema['attestations'][]
}

/**
 * `log_index` of rows that hold a value at the end of its block rather than after one log: state
 * read from a subgraph entity, or a seed read with `eth_call` before tracking starts.
 */
export const BLOCK_END_LOG_INDEX = 2_147_483_647

/** Rows per insert: well under SQLite's 32,766 bound parameters with the widest table. */
const INSERT_CHUNK = 500

/** An empty {@link FactRows}. */
export function emptyFactRows(): FactRows {
  return {
    balances: [],
    supplies: [],
    oft_sent: [],
    oft_received: [],
    prices: [],
    reads: [],
    pool_events: [],
    member_events: [],
    risk_parameters: [],
    holder_acknowledgements: [],
    timelock_operations: [],
    attestations: [],
  }
}

/** How many rows a {@link FactRows} holds. */
export function countFactRows(rows: FactRows): number {
  return Object.values(rows).reduce((n: number, list: unknown[]) => n + list.length, 0)
}

/**
 * Inserts a step's fact rows, {@link INSERT_CHUNK} rows per statement. A full chunk reuses the SQL
 * kysely compiled for the first full chunk of that table (`sqlCache`, one map per sync: the SQL
 * differs between engines; kysely lists the columns in first-row order and the values row by row,
 * so the flattened values line up), skipping kysely's per-row parsing on the backfill's hot path;
 * any other chunk, or one with a missing value, goes through kysely as is.
 *
 * @param trx The step's transaction.
 * @param rows The rows to insert.
 * @param sqlCache SQL per table and column list (kept by the caller between steps).
 * @example
 * ```ts
 * await insertFactRows(trx, rows, new Map())
 * ```
 */
export async function insertFactRows(
  trx: Transaction<Schema>,
  rows: FactRows,
  sqlCache: Map<string, string>,
): Promise<void> {
  for (const [table, list] of Object.entries(rows) as [keyof FactRows, Record<string, unknown>[]][]) {
    for (let i = 0; i < list.length; i += INSERT_CHUNK)
      await insertChunk(sqlCache, trx, table, list.slice(i, i + INSERT_CHUNK))
  }
}

async function insertChunk(
  sqlCache: Map<string, string>,
  trx: Transaction<Schema>,
  table: keyof FactRows,
  chunk: readonly Record<string, unknown>[],
): Promise<void> {
  const first = chunk[0]
  if (first === undefined) return
  const columns = Object.keys(first)
  const parameters: unknown[] = []
  let uniform = chunk.length === INSERT_CHUNK
  for (let i = 0; uniform && i < chunk.length; i++) {
    const row = chunk[i] as Record<string, unknown>
    for (const column of columns) {
      const value = row[column]
      if (value === undefined) {
        uniform = false
        break
      }
      parameters.push(value)
    }
    if (uniform && Object.keys(row).length !== columns.length) uniform = false
  }
  if (!uniform) {
    await trx
      .insertInto(table)
      .values(chunk as never)
      .execute()
    return
  }
  const key = `${table}:${columns.join(',')}`
  let text = sqlCache.get(key)
  if (text === undefined) {
    text = trx
      .insertInto(table)
      .values(chunk as never)
      .compile().sql
    sqlCache.set(key, text)
  }
  await trx.executeQuery(CompiledQuery.raw(text, parameters))
}
