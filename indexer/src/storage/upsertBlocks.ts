import type { Transaction } from 'kysely'
import type { Schema } from './schema.js'

/** Rows per insert: well under SQLite's 32,766 bound parameters with 5 columns. */
const chunkSize = 500

/**
 * Stores block headers, replacing any stored at the same height (a header seen before a reorg).
 * Both sources call it inside the transaction that stores the facts of those blocks.
 */
export async function upsertBlocks(
  trx: Transaction<Schema>,
  rows: readonly Schema['blocks'][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await trx
      .insertInto('blocks')
      .values(rows.slice(i, i + chunkSize))
      .onConflict((oc) =>
        oc.columns(['chain_id', 'block_number']).doUpdateSet((eb) => ({
          hash: eb.ref('excluded.hash'),
          parent_hash: eb.ref('excluded.parent_hash'),
          timestamp: eb.ref('excluded.timestamp'),
        })),
      )
      .execute()
  }
}
