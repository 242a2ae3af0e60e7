import { composeFeedPrices, type Missing, type PriceFact, type PricePoint } from '@ballast/sdk'
import type { ResolvedFeedConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import type { Schema } from '../storage/schema.js'
import { decodeUint256 } from '../storage/uint256.js'
import type { QueryContext } from './QueryContext.js'
import type { ResolvedAt } from './resolveAt.js'

/** How to sample a feed's history for the volatility term. */
export type PriceSampling = { interval: number; points: number }

/**
 * The price a feed (or a composed pair of feeds) gives at `at`: the latest answer at or before the
 * feed chain's block (a Chainlink proxy's rows are its `latestRoundData` at checkpoints, which
 * include every answer of its current aggregator; a plain aggregator's are its `AnswerUpdated`).
 * A composed feed `a x b` is the sdk's `composeFeedPrices` (`a.answer * b.answer / 10^b.decimals`
 * with `a`'s decimals, its time the older of the two and its heartbeat the shorter). With `sampling`, the history holds the
 * price at `points` regular times ending at the state's time (times before a first answer are
 * left out).
 *
 * @param ctx Database and config.
 * @param at Blocks per chain.
 * @param feed The feed config.
 * @param sampling Price history sampling, or undefined for none.
 * @returns The price, or why there is none.
 * @example
 * ```ts
 * const price = await feedPrice(ctx, at, asset.feed, { interval: 86_400, points: 90 })
 * ```
 */
export async function feedPrice(
  ctx: QueryContext,
  at: ResolvedAt,
  feed: ResolvedFeedConfig,
  sampling: PriceSampling | undefined,
): Promise<PriceFact | Missing> {
  const a = await oneFeed(ctx, at, feed, sampling)
  if ('missing' in a || feed.times === undefined) return a
  const b = await oneFeed(ctx, at, feed.times, sampling)
  if ('missing' in b) return b
  return composeFeedPrices(a, b)
}

async function oneFeed(
  ctx: QueryContext,
  at: ResolvedAt,
  feed: Omit<ResolvedFeedConfig, 'times'>,
  sampling: PriceSampling | undefined,
): Promise<PriceFact | Missing> {
  const block = at.chains.get(feed.chainId)?.blockNumber ?? -1
  const rows = await ctx.db
    .selectFrom('prices')
    .select(['answer', 'updated_at', 'block_number', 'log_index'])
    .where('chain_id', '=', feed.chainId)
    .where('feed', '=', feed.address)
    .where('block_number', '<=', block)
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(1)
    .execute()
  const row = rows[0]
  if (row === undefined) {
    return {
      missing: `Feed ${feed.address} on chain ${feed.chainId} has no answer at or before block ${block}.`,
    }
  }
  const history = sampling === undefined ? undefined : await samplePrices(ctx, at, feed, block, sampling)
  return {
    answer: decodeUint256(row.answer),
    decimals: feed.decimals,
    updatedAt: row.updated_at,
    maxAge: feed.maxAge,
    ...(history === undefined ? {} : { history }),
  }
}

/** The feed's latest answer (by block, then log) at `points` regular times ending at the state's time. */
async function samplePrices(
  ctx: QueryContext,
  at: ResolvedAt,
  feed: { chainId: number; address: string },
  block: number,
  sampling: PriceSampling,
): Promise<PricePoint[]> {
  if (!(sampling.interval > 0) || !Number.isInteger(sampling.points) || sampling.points < 1) {
    throw new IndexerError('Invalid price history sampling.', {
      details: `interval = ${sampling.interval}, points = ${sampling.points}; both must be positive (points an integer).`,
    })
  }
  const rows: Pick<Schema['prices'], 'answer' | 'updated_at'>[] = await ctx.db
    .selectFrom('prices')
    .select(['answer', 'updated_at'])
    .where('chain_id', '=', feed.chainId)
    .where('feed', '=', feed.address)
    .where('block_number', '<=', block)
    .where('updated_at', '<=', at.timestamp)
    .orderBy('updated_at')
    .orderBy('block_number')
    .orderBy('log_index')
    .execute()
  const out: PricePoint[] = []
  let i = -1
  for (let k = sampling.points - 1; k >= 0; k--) {
    const time = at.timestamp - k * sampling.interval
    while (i + 1 < rows.length && (rows[i + 1]?.updated_at ?? Number.POSITIVE_INFINITY) <= time) i++
    const row = rows[i]
    if (row !== undefined) out.push({ answer: decodeUint256(row.answer), updatedAt: time })
  }
  return out
}
