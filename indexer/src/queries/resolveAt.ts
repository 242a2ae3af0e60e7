import type { ExpressionBuilder } from 'kysely'
import type { Schema } from '../storage/schema.js'
import type { At, ChainPoint, QueryContext } from './QueryContext.js'

/** The resolved time-travel point: the instant and, per chain, the block read at. */
export type ResolvedAt = { timestamp: number; chains: Map<number, ChainPoint> }

/**
 * Resolves `at` to one block per chain: for a timestamp, the last stored block at or before it
 * (blocks with facts and every sync cursor are stored, so the state there equals the state at
 * the chain's true last block before the timestamp), never beyond the indexed block. A chain not
 * indexed yet reads at `startBlock - 1` (nothing).
 *
 * @param ctx Database and config.
 * @param at Timestamp, explicit blocks, or nothing (latest).
 * @returns The instant (the given timestamp, else the newest block time) and the block per chain.
 * @example
 * ```ts
 * const { chains } = await resolveAt(ctx, { timestamp: 1_700_000_000 })
 * ```
 */
export async function resolveAt(ctx: QueryContext, at: At = {}): Promise<ResolvedAt> {
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
      const row = await ctx.db
        .selectFrom('blocks')
        .select(['block_number', 'timestamp'])
        .where('chain_id', '=', chain.chainId)
        .where('block_number', '<=', blockNumber)
        .orderBy('block_number', 'desc')
        .limit(1)
        .executeTakeFirst()
      point = { chainId: chain.chainId, blockNumber, timestamp: row?.timestamp ?? 0 }
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
