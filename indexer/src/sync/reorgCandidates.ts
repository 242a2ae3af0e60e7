import type { Kysely } from 'kysely'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import type { Schema } from '../storage/schema.js'
import type { SyncCursor } from '../storage/syncState.js'

/**
 * The stored blocks a reorg can fork from, newest first: those within the finality depth below
 * the cursor (the cursor block itself is known to differ) and not above the source's new head.
 * Both sources (JSON-RPC and subgraph) then look for the newest one still canonical.
 *
 * @returns the candidates and the lowest block searched (`floor`).
 */
export async function reorgCandidates(
  db: Kysely<Schema>,
  chain: ResolvedChainConfig,
  at: SyncCursor,
  headNumber: number,
): Promise<{ floor: number; candidates: { block_number: number; hash: string; timestamp: number }[] }> {
  const floor = Math.max(chain.startBlock - 1, at.number - chain.finalityDepth - 1)
  const candidates = await db
    .selectFrom('blocks')
    .select(['block_number', 'hash', 'timestamp'])
    .where('chain_id', '=', chain.chainId)
    .where('block_number', '>=', floor)
    .where('block_number', '<', at.number)
    .where('block_number', '<=', headNumber)
    .orderBy('block_number', 'desc')
    .execute()
  return { floor, candidates }
}

/** No candidate is canonical and the search reached the finality depth: re-indexing is needed. */
export function reorgTooDeepError(chain: ResolvedChainConfig, floor: number, at: SyncCursor, where: string) {
  return new IndexerError('Reorg deeper than the finality depth.', {
    details: `Chain ${chain.chainId}: no stored block from ${floor} to ${at.number} is ${where} any more.`,
    metaMessages: [`Raise chains[].finalityDepth (now ${chain.finalityDepth}) and re-index.`],
  })
}
