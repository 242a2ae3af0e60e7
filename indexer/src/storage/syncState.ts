import type { Kysely, Transaction } from 'kysely'
import type { Schema } from './schema.js'

/** The last block of a chain whose facts are all stored. */
export type SyncCursor = { number: number; hash: string; timestamp: number }

/**
 * Reads a chain's sync state, creating it just before `startBlock` on the first run. Both sources
 * (JSON-RPC and subgraph) resume from here after a restart or a crash.
 *
 * @returns the cursor and the finalized block recorded with it.
 * @example
 * ```ts
 * const { cursor, finalized } = await loadSyncState(db, 31337, 0)
 * ```
 */
export async function loadSyncState(
  db: Kysely<Schema>,
  chainId: number,
  startBlock: number,
): Promise<{ cursor: SyncCursor; finalized: number }> {
  const row = await db.selectFrom('sync_state').selectAll().where('chain_id', '=', chainId).executeTakeFirst()
  if (row !== undefined) {
    return {
      cursor: { number: row.block_number, hash: row.block_hash, timestamp: row.block_timestamp },
      finalized: row.finalized_block_number,
    }
  }
  const cursor = { number: startBlock - 1, hash: '', timestamp: 0 }
  await db
    .insertInto('sync_state')
    .values({
      chain_id: chainId,
      block_number: cursor.number,
      block_hash: '',
      block_timestamp: 0,
      finalized_block_number: cursor.number,
      head_block_number: 0,
    })
    .onConflict((oc) => oc.column('chain_id').doNothing())
    .execute()
  return { cursor, finalized: cursor.number }
}

/**
 * Moves a chain's sync state to `cursor`. Call it inside the transaction that stores the facts up
 * to `cursor`: state and data commit together, so a crash at any point resumes with nothing lost
 * and nothing doubled.
 */
export async function advanceSyncState(
  trx: Transaction<Schema>,
  chainId: number,
  cursor: SyncCursor,
  heads: { finalized: number; head: number },
): Promise<void> {
  await trx
    .updateTable('sync_state')
    .set({
      block_number: cursor.number,
      block_hash: cursor.hash,
      block_timestamp: cursor.timestamp,
      finalized_block_number: Math.min(heads.finalized, cursor.number),
      head_block_number: Math.max(heads.head, cursor.number),
    })
    .where('chain_id', '=', chainId)
    .execute()
}
