import type { Kysely, Transaction } from 'kysely'
import { IndexerError } from '../errors/IndexerError.js'
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

/** A step refused because another writer changed the chain's sync state (see {@link expectSyncState}). */
export class StaleSyncStateError extends IndexerError {
  override name = 'StaleSyncStateError'
}

/**
 * Checks, first thing in a step's transaction, that the chain's stored cursor is still `expected`
 * (the one this writer's memory was built from), and locks the row until the step commits. Any
 * other writer of the chain (a standby that took over while this one was paused, then rolled the
 * chain back or moved it on, and died or handed the lease back) changed it: the step is refused
 * with a {@link StaleSyncStateError}, so this writer reloads its cursor and running totals from the
 * database instead of writing from stale memory. The lease's trigger refuses a writer that lost
 * its lease only while the other still holds it; this check holds after that too, and on SQLite.
 *
 * @param trx - the step's transaction.
 * @param chainId - the chain.
 * @param expected - the cursor the step starts from.
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => { await expectSyncState(trx, 1, at); ... })
 * ```
 */
export async function expectSyncState(
  trx: Transaction<Schema>,
  chainId: number,
  expected: SyncCursor,
): Promise<void> {
  // A no-op update: on PostgreSQL it takes the row lock, so a concurrent writer's step waits
  // for this one and then sees its cursor.
  const result = await trx
    .updateTable('sync_state')
    .set((eb) => ({ block_number: eb.ref('block_number') }))
    .where('chain_id', '=', chainId)
    .where('block_number', '=', expected.number)
    .where('block_hash', '=', expected.hash)
    .executeTakeFirst()
  if (result.numUpdatedRows > 0n) return
  const stored = await trx
    .selectFrom('sync_state')
    .select(['block_number', 'block_hash'])
    .where('chain_id', '=', chainId)
    .executeTakeFirst()
  throw staleSyncStateError(chainId, expected, stored)
}

function staleSyncStateError(
  chainId: number,
  expected: SyncCursor,
  stored: { block_number: number; block_hash: string } | undefined,
): StaleSyncStateError {
  const now =
    stored === undefined
      ? 'no sync state'
      : `block ${stored.block_number} (${stored.block_hash || 'no hash'})`
  return new StaleSyncStateError('Another writer changed this chain since this one read it: reloading it.', {
    details: `Chain ${chainId}: this writer was at block ${expected.number} (${expected.hash || 'no hash'}), the database now holds ${now}.`,
    retryable: true,
  })
}

/** Whether an error (anywhere in its cause chain) is a {@link StaleSyncStateError}. */
export function isStaleSyncState(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++)
    if (e instanceof StaleSyncStateError) return true
  return false
}
