import type { ExpressionBuilder, Selectable } from 'kysely'
import { BlockTimeUnknownError } from '../errors/BlockTimeUnknownError.js'
import type { Schema } from '../storage/schema.js'
import type { At, ChainPoint, QueryContext } from './QueryContext.js'

/** The resolved time-travel point: the instant and, per chain, the block read at. */
export type ResolvedAt = { timestamp: number; chains: Map<number, ChainPoint> }

/**
 * Resolves `at` to one block per chain: for a timestamp, the last stored block at or before it
 * (blocks with facts and every sync cursor are stored, so the state there equals the state at
 * the chain's true last block before the timestamp), never beyond the indexed block. A chain not
 * indexed yet reads at `startBlock - 1` (nothing). An explicit block (capped at the indexed one)
 * carries its own header time: the stored header's, else `ctx.blockTimestamp`'s for a finalized
 * block, so that a pinned query answers the same however far the indexer has moved. Given both
 * `blocks` and `timestamp` (callers that resolved a point already and pass it on to sub-queries,
 * like `loadPoolState`; the API refuses both at once), `timestamp` is the state's time and each
 * chain's time is only the nearest stored header's at or below its block (nothing is fetched).
 *
 * @param ctx Database and config.
 * @param at Timestamp, explicit blocks, or nothing (latest).
 * @param options `blockTimes: false` when the caller uses only the blocks.
 * @returns The instant (the given timestamp, else the newest time of the blocks read) and the
 *   block per chain.
 * @throws BlockTimeUnknownError when a pinned block's time cannot be known.
 * @example
 * ```ts
 * const { chains } = await resolveAt(ctx, { timestamp: 1_700_000_000 })
 * ```
 */
export async function resolveAt(
  ctx: QueryContext,
  at: At = {},
  options: {
    /**
     * `false` for queries that read only the blocks, not the time (balances, members, transfers):
     * a pinned block's time is then the nearest stored header's at or below it, and nothing is
     * fetched or refused. Default `true`.
     */
    blockTimes?: boolean
  } = {},
): Promise<ResolvedAt> {
  const exactTimes = at.timestamp === undefined && options.blockTimes !== false
  const states = await ctx.db.selectFrom('sync_state').selectAll().execute()
  const chains = new Map<number, ChainPoint>()
  for (const chain of ctx.config.chains) {
    const state = states.find((s) => s.chain_id === chain.chainId)
    const indexed = state?.block_number ?? chain.startBlock - 1
    let point: ChainPoint = {
      chainId: chain.chainId,
      blockNumber: indexed,
      timestamp: state?.block_timestamp ?? 0,
    }
    const explicit = at.blocks?.[chain.chainId]
    if (explicit !== undefined) {
      const blockNumber = Math.min(explicit, indexed)
      const timestamp = exactTimes
        ? await pinnedBlockTime(ctx, chain.chainId, blockNumber, state)
        : await storedTimeAtOrBelow(ctx, chain.chainId, blockNumber)
      point = { chainId: chain.chainId, blockNumber, timestamp }
    } else if (at.timestamp !== undefined && at.timestamp < point.timestamp) {
      const row = await ctx.db
        .selectFrom('blocks')
        .select(['block_number', 'timestamp'])
        .where('chain_id', '=', chain.chainId)
        .where('timestamp', '<=', at.timestamp)
        .where('block_number', '<=', indexed)
        .orderBy('block_number', 'desc')
        .limit(1)
        .executeTakeFirst()
      point =
        row === undefined
          ? { chainId: chain.chainId, blockNumber: chain.startBlock - 1, timestamp: 0 }
          : { chainId: chain.chainId, blockNumber: row.block_number, timestamp: row.timestamp }
    }
    chains.set(chain.chainId, point)
  }
  const timestamp = at.timestamp ?? Math.max(0, ...[...chains.values()].map((c) => c.timestamp))
  return { timestamp, chains }
}

/**
 * The header time of a pinned block: the indexed block's from the sync state, else a stored
 * header's, else (a finalized block without facts: its header was not stored) the reader's.
 * An unfinalized block always has a stored header; one without is refused rather than read
 * from the node, whose answer could belong to another fork than the stored facts.
 */
async function pinnedBlockTime(
  ctx: QueryContext,
  chainId: number,
  blockNumber: number,
  state: Selectable<Schema['sync_state']> | undefined,
): Promise<number> {
  // A chain not indexed yet is read at `startBlock - 1`, where nothing is stored: it adds no facts
  // and no time to the state (as when it is not pinned).
  if (state === undefined || blockNumber < 0) return 0
  if (blockNumber === state.block_number) return state.block_timestamp
  const row = await ctx.db
    .selectFrom('blocks')
    .select('timestamp')
    .where('chain_id', '=', chainId)
    .where('block_number', '=', blockNumber)
    .executeTakeFirst()
  if (row !== undefined) return row.timestamp
  if (blockNumber > state.finalized_block_number) {
    throw new BlockTimeUnknownError(
      chainId,
      blockNumber,
      `no header is stored and the block is above the finalized block ${state.finalized_block_number}`,
      { hint: 'Try again once the indexer has finalized the block.', retryable: true },
    )
  }
  if (ctx.blockTimestamp === undefined) {
    throw new BlockTimeUnknownError(
      chainId,
      blockNumber,
      'no header is stored and no block-time reader is configured',
      {
        hint: 'Pass `blockTimestamp: createBlockTimestampReader(config)` in the query context, or ask by time (`at`).',
      },
    )
  }
  return ctx.blockTimestamp(chainId, blockNumber)
}

/** The time of the nearest stored header at or below a block (0 when none is). */
async function storedTimeAtOrBelow(ctx: QueryContext, chainId: number, blockNumber: number): Promise<number> {
  const row = await ctx.db
    .selectFrom('blocks')
    .select('timestamp')
    .where('chain_id', '=', chainId)
    .where('block_number', '<=', blockNumber)
    .orderBy('block_number', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.timestamp ?? 0
}

/**
 * `where (chain_id = c1 and block_number <= b1) or (chain_id = c2 and ...)`: rows visible at the
 * resolved point. `column` prefixes the columns (for joins).
 */
export function visibleAt<T extends keyof Schema>(
  eb: ExpressionBuilder<Schema, T>,
  at: ResolvedAt,
  chainIds?: readonly number[],
) {
  const points = [...at.chains.values()].filter((p) => chainIds === undefined || chainIds.includes(p.chainId))
  const e = eb as unknown as ExpressionBuilder<Schema, 'balances'>
  if (points.length === 0) return e('chain_id', '<', 0)
  return e.or(
    points.map((p) => e.and([e('chain_id', '=', p.chainId), e('block_number', '<=', p.blockNumber)])),
  )
}
