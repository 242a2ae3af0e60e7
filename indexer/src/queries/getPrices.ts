import type { Address } from 'viem'
import { decodeUint256 } from '../storage/uint256.js'
import { latestRows } from './latestRows.js'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt } from './resolveAt.js'

/** The latest answer of a feed at a point in time. */
export type FeedPrice = {
  chainId: number
  feed: Address
  /** Symbol of the asset the feed prices (from the config), when known. */
  asset: string | undefined
  answer: bigint
  decimals: number | undefined
  roundId: bigint
  /** Feed's `updatedAt` (unix seconds). */
  updatedAt: number
  blockNumber: number
}

/**
 * Latest `AnswerUpdated` of each feed at or before the point (per chain).
 *
 * @param ctx Database and config.
 * @param filter `feed`, `at`.
 * @returns One entry per feed with an answer.
 * @example
 * ```ts
 * const prices = await getPrices(ctx, { at: { timestamp } })
 * ```
 */
export async function getPrices(
  ctx: QueryContext,
  filter: { feed?: Address | undefined; at?: At | undefined } = {},
): Promise<FeedPrice[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  const rows = await latestRows(ctx, 'prices', ['feed'], at, { feed: filter.feed?.toLowerCase() })
  return rows
    .map((r) => {
      const asset = ctx.config.assets.find((a) => a.feed?.address === r.feed && a.feed.chainId === r.chain_id)
      return {
        chainId: r.chain_id,
        feed: r.feed as Address,
        asset: asset?.symbol,
        answer: decodeUint256(r.answer),
        decimals: asset?.feed?.decimals,
        roundId: decodeUint256(r.round_id),
        updatedAt: r.updated_at,
        blockNumber: r.block_number,
      }
    })
    .sort((a, b) => a.chainId - b.chainId || (a.feed < b.feed ? -1 : 1))
}

/**
 * The answers of one feed between two times (by feed `updatedAt`), oldest first: price history
 * for volatility estimates.
 *
 * @param ctx Database and config.
 * @param feed Feed address.
 * @param range `from`/`to` unix seconds (inclusive).
 * @returns The answers.
 * @example
 * ```ts
 * const history = await getPriceHistory(ctx, feed, { from: t0, to: t1 })
 * ```
 */
export async function getPriceHistory(
  ctx: QueryContext,
  feed: Address,
  range: { from: number; to: number },
): Promise<{ answer: bigint; updatedAt: number; blockNumber: number }[]> {
  const rows = await ctx.db
    .selectFrom('prices')
    .select(['answer', 'updated_at', 'block_number'])
    .where('feed', '=', feed.toLowerCase())
    .where('updated_at', '>=', range.from)
    .where('updated_at', '<=', range.to)
    .orderBy('updated_at')
    .orderBy('block_number')
    .orderBy('log_index')
    .execute()
  return rows.map((r) => ({
    answer: decodeUint256(r.answer),
    updatedAt: r.updated_at,
    blockNumber: r.block_number,
  }))
}
