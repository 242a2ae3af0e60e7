import { type PoolState, parsePoolState } from '@ballast/sdk'
import type { Hex } from 'viem'
import type { QueryContext } from './QueryContext.js'

/** A stored pool snapshot: the state, or why there is none at that time. */
export type PoolSnapshot = { timestamp: number; state: PoolState | undefined; error: string | undefined }

/**
 * The stored snapshots of a pool between two times (inclusive), oldest first: the indexer writes
 * one per `snapshotInterval` (hourly by default) once every chain is final at that time. Each
 * equals `loadPoolState(ctx, poolId, { at: { timestamp } })` at its time, precomputed.
 *
 * @param ctx Database and config.
 * @param poolId The pool.
 * @param range `from`/`to` unix seconds.
 * @returns The snapshots.
 * @example
 * ```ts
 * const day = await getPoolSnapshots(ctx, poolId, { from: now - 86_400, to: now })
 * ```
 */
export async function getPoolSnapshots(
  ctx: QueryContext,
  poolId: Hex,
  range: { from: number; to: number },
): Promise<PoolSnapshot[]> {
  const rows = await ctx.db
    .selectFrom('pool_snapshots')
    .selectAll()
    .where('pool_id', '=', poolId.toLowerCase())
    .where('timestamp', '>=', range.from)
    .where('timestamp', '<=', range.to)
    .orderBy('timestamp')
    .execute()
  return rows.map((r) => ({
    timestamp: r.timestamp,
    state: r.state === null ? undefined : parsePoolState(r.state),
    error: r.error ?? undefined,
  }))
}
