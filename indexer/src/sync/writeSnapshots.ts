import { serializePoolState } from '@ballast/sdk'
import type { Hex } from 'viem'
import { loadPoolState } from '../queries/loadPoolState.js'
import type { QueryContext } from '../queries/QueryContext.js'

/**
 * The latest time at which every chain is final: per chain the time of the newest stored block at
 * or below its finalized block, then the minimum over chains. A pool state at or before it can no
 * longer change. Undefined while some chain has nothing final yet.
 *
 * @param ctx Database and config.
 * @returns Unix seconds, or undefined.
 * @example
 * ```ts
 * const safe = await finalizedTime(ctx)
 * ```
 */
export async function finalizedTime(ctx: QueryContext): Promise<number | undefined> {
  const states = await ctx.db.selectFrom('sync_state').selectAll().execute()
  let safe: number | undefined
  for (const chain of ctx.config.chains) {
    const state = states.find((s) => s.chain_id === chain.chainId)
    if (state === undefined) return undefined
    const row = await ctx.db
      .selectFrom('blocks')
      .select('timestamp')
      .where('chain_id', '=', chain.chainId)
      .where('block_number', '<=', state.finalized_block_number)
      .orderBy('block_number', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (row === undefined || row.timestamp === 0) return undefined
    safe = safe === undefined ? row.timestamp : Math.min(safe, row.timestamp)
  }
  return safe
}

/**
 * Writes the pool snapshots that are due: for every pool, the state at each multiple of
 * `interval` (unix seconds) after the last snapshot, up to the time every chain is final, at most
 * `limit` per pool per call. A state that could not value everything (no price yet, an unreadable
 * position) is stored as the state, with its `degraded` reasons, as the API serves it; only a state
 * that cannot be built at all (a real failure) is stored as its error, so history queries can say
 * why.
 *
 * @param ctx Database and config.
 * @param options `interval` seconds (e.g. 3600), `limit` per pool per call.
 * @returns How many snapshots were written.
 * @example
 * ```ts
 * while ((await writeSnapshots(ctx, { interval: 3600, limit: 100 })) > 0) {}
 * ```
 */
export async function writeSnapshots(
  ctx: QueryContext,
  options: { interval: number; limit: number },
): Promise<number> {
  const safe = await finalizedTime(ctx)
  if (safe === undefined) return 0
  const first = await ctx.db
    .selectFrom('blocks')
    .select((eb) => eb.fn.min('timestamp').as('t'))
    .where('timestamp', '>', 0)
    .executeTakeFirst()
  const earliest = Number(first?.t ?? safe)
  let written = 0
  for (const pool of ctx.config.pools) {
    const last = await ctx.db
      .selectFrom('pool_snapshots')
      .select('timestamp')
      .where('pool_id', '=', pool.id)
      .orderBy('timestamp', 'desc')
      .limit(1)
      .executeTakeFirst()
    let t =
      last === undefined
        ? Math.ceil(earliest / options.interval) * options.interval
        : last.timestamp + options.interval
    for (let n = 0; n < options.limit && t <= safe; n++, t += options.interval) {
      let state: string | null = null
      let error: string | null = null
      try {
        state = serializePoolState(await loadPoolState(ctx, pool.id as Hex, { at: { timestamp: t } }))
      } catch (e) {
        error = e instanceof Error ? e.message : String(e)
      }
      await ctx.db
        .insertInto('pool_snapshots')
        .values({ pool_id: pool.id, timestamp: t, state, error })
        .onConflict((oc) => oc.columns(['pool_id', 'timestamp']).doNothing())
        .execute()
      written++
    }
  }
  return written
}
