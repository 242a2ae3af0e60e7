import type { Kysely } from 'kysely'
import { CHAIN_TABLES, type Schema } from './schema.js'

/**
 * Undoes everything stored for a chain above `forkBlock` (a reorg, or a stale catch-up): one
 * `delete from <table> where chain_id = ? and block_number > ?` per fact table, and the sync
 * state moved back to the fork block. Run inside the transaction that then re-indexes.
 *
 * @param db A kysely handle (usually a transaction).
 * @param chainId Chain to roll back.
 * @param fork The last block kept (its number, hash and time become the sync state).
 * @example
 * ```ts
 * await db.transaction().execute((trx) => rollbackChain(trx, 31337, { number: 99, hash, timestamp }))
 * ```
 */
export async function rollbackChain(
  db: Kysely<Schema>,
  chainId: number,
  fork: { number: number; hash: string; timestamp: number },
): Promise<void> {
  for (const table of CHAIN_TABLES) {
    await db
      .deleteFrom(table)
      .where('chain_id', '=', chainId)
      .where('block_number', '>', fork.number)
      .execute()
  }
  await db
    .updateTable('sync_state')
    .set({ block_number: fork.number, block_hash: fork.hash, block_timestamp: fork.timestamp })
    .where('chain_id', '=', chainId)
    .execute()
}
