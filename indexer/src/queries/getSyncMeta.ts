import type { QueryContext } from './QueryContext.js'

/** Where the indexing of a chain stands (GraphQL `_meta`). */
export type ChainSyncMeta = {
  chainId: number
  name: string
  /** Last indexed block (-1 before anything: `startBlock - 1`). */
  indexedBlock: number
  indexedBlockHash: string
  indexedTimestamp: number
  finalizedBlock: number
  /** Chain head seen at the indexer's last step. */
  headBlock: number
  /** head - indexed, in blocks (0 when caught up). */
  lagBlocks: number
  /** Seconds per block (`chains[].blockTime`). */
  blockTime: number
  /** The lag in seconds: `lagBlocks * blockTime` (50 blocks: 10 min on Ethereum, 12.5 s on Arbitrum). */
  lagSeconds: number
}

/**
 * Per configured chain: indexed block (hash, time), finalized block, last head seen and the lag.
 *
 * @param ctx Database and config.
 * @returns One entry per chain in config order.
 * @example
 * ```ts
 * const meta = await getSyncMeta(ctx) // [{ chainId: 31337, indexedBlock: 120, lagBlocks: 0, ... }]
 * ```
 */
export async function getSyncMeta(ctx: QueryContext): Promise<ChainSyncMeta[]> {
  const states = await ctx.db.selectFrom('sync_state').selectAll().execute()
  return ctx.config.chains.map((chain) => {
    const s = states.find((row) => row.chain_id === chain.chainId)
    const indexed = s?.block_number ?? chain.startBlock - 1
    const head = Math.max(s?.head_block_number ?? 0, indexed)
    return {
      chainId: chain.chainId,
      name: chain.name,
      indexedBlock: indexed,
      indexedBlockHash: s?.block_hash ?? '',
      indexedTimestamp: s?.block_timestamp ?? 0,
      finalizedBlock: s?.finalized_block_number ?? chain.startBlock - 1,
      headBlock: head,
      lagBlocks: head - indexed,
      blockTime: chain.blockTime,
      lagSeconds: (head - indexed) * chain.blockTime,
    }
  })
}
