import type { Address, Hex } from 'viem'
import type { ChainRpc, RpcLog } from '../rpc/createChainRpc.js'
import { RpcError } from '../rpc/RpcError.js'
import { isFilterTooBig } from './isFilterTooBig.js'
import { resizeRangeOnRefusal } from './resizeRangeOnRefusal.js'

/** The adaptive `eth_getLogs` range of a chain: shared by every fetch, so what was learnt sticks. */
export type RangeState = {
  size: number
  max: number
  /**
   * The last block of the latest range that failed as too large or too slow: the range does not
   * grow again before a call gets past it (the blocks that made it fail are still ahead).
   */
  refusedTo?: number | undefined
}

/**
 * Logs per response to aim for: a range that returns more is scaled down to it for the next call,
 * one that returns less than half of it may double. Bounds memory on dense histories (a
 * 10k-block range of a busy chain can hold hundreds of thousands of logs) at little cost in
 * calls: on the indexer-backfill bench (3 chains, 1M logs), 5,000 indexes as fast as 10,000 with
 * a peak RSS about 70 MB lower.
 */
export const TARGET_LOGS_PER_CALL = 5_000

/**
 * Fetches every log of `[from, to]` in as few `eth_getLogs` calls as the node allows: the range
 * doubles (up to `max`) after a success with few logs, shrinks to the density just seen after one
 * with more than {@link TARGET_LOGS_PER_CALL}, and on a refusal resizes as the provider's message
 * family says ({@link resizeRangeOnRefusal}: a suggested range, a learnt cap, or a shrink by
 * density); a single block that still times out is retried with backoff. "Filter too big"
 * reaches the caller untouched (`kind: 'filter'`: split the filter). Logs come back in chain order.
 *
 * @param rpc The chain's RPC client.
 * @param filter Addresses and topics.
 * @param from First block (inclusive).
 * @param to Last block (inclusive).
 * @param range The chain's range state (mutated).
 * @returns The logs of the whole range.
 * @example
 * ```ts
 * const logs = await fetchLogsAdaptive(rpc, { address, topics }, 0, 10_000, { size: 1_000, max: 10_000 })
 * ```
 */
export async function fetchLogsAdaptive(
  rpc: ChainRpc,
  filter: LogFilter,
  from: number,
  to: number,
  range: RangeState,
): Promise<RpcLog[]> {
  return (await fetchLogsBounded(rpc, filter, from, to, range, Number.POSITIVE_INFINITY)).logs
}

/** Addresses and topics of an `eth_getLogs` filter. */
export type LogFilter = {
  address: readonly Address[]
  topics?: readonly (Hex | readonly Hex[] | null)[] | undefined
}

/**
 * {@link fetchLogsAdaptive} that stops after the call that brings the logs to `maxLogs` or more:
 * the backfill's step then covers `[from, to]` with the returned `to`, so a range sized on sparse
 * blocks that runs into dense ones never holds more than about one call's logs beyond `maxLogs`.
 *
 * @param rpc The chain's RPC client.
 * @param filter Addresses and topics.
 * @param from First block (inclusive).
 * @param to Last block wanted (inclusive).
 * @param range The chain's range state (mutated).
 * @param maxLogs Stop once this many logs are in.
 * @returns The logs of `[from, to]` for the returned `to` (at most the `to` asked for).
 * @example
 * ```ts
 * const { logs, to: covered } = await fetchLogsBounded(rpc, filter, 0, 10_000, range, 10_000)
 * ```
 */
export async function fetchLogsBounded(
  rpc: ChainRpc,
  filter: LogFilter,
  from: number,
  to: number,
  range: RangeState,
  maxLogs: number,
): Promise<{ logs: RpcLog[]; to: number }> {
  const out: RpcLog[] = []
  if (filter.address.length === 0) return { logs: out, to }
  let a = from
  let singleBlockFailures = 0
  while (a <= to) {
    const b = Math.min(to, a + Math.max(1, range.size) - 1)
    try {
      const logs = await rpc.getLogs({
        address: filter.address,
        topics: filter.topics,
        fromBlock: a,
        toBlock: b,
      })
      for (const log of logs) if (log.removed !== true) out.push(log)
      const size = b - a + 1
      a = b + 1
      singleBlockFailures = 0
      // Too many logs: scale the range to the density just seen (one step, not a halving per call).
      if (logs.length > TARGET_LOGS_PER_CALL) {
        range.size = Math.max(1, Math.floor((size * TARGET_LOGS_PER_CALL) / logs.length))
      } else if (logs.length < TARGET_LOGS_PER_CALL / 2 && (range.refusedTo ?? -1) < a) {
        range.size = Math.min(range.max, range.size * 2)
      }
      if (out.length >= maxLogs && b < to) return { logs: out, to: b }
    } catch (error) {
      if (!(error instanceof RpcError)) throw error
      // A filter too big is not fixed by a smaller range: the caller splits the filter.
      if (isFilterTooBig(error)) throw error
      // The family says how: a suggested range, a cap, density (see resizeRangeOnRefusal).
      if (resizeRangeOnRefusal(range, error, a, b)) continue
      // One block can not be split further: a timeout may pass on retry, "too many" never will.
      if (error.kind !== 'timeout' || ++singleBlockFailures > 6) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** singleBlockFailures))
    }
  }
  return { logs: out, to }
}

/**
 * The range to retry with after `blocks` failed as too large: half of it, or, when the response
 * was refused by its declared size, `blocks / (oversize * 2)` so the retry fits with room to
 * spare. A history that turns dense at once (a few sparse blocks, then thousands of logs per
 * block) then costs one refused response instead of one per halving; each refused response costs
 * the node the whole query.
 *
 * @param blocks Blocks of the failed call (at least 2).
 * @param oversize `size / maxSize` of the refused response, if known.
 * @returns The next range size, at least 1 and at most half of `blocks`.
 * @example
 * ```ts
 * shrunkRange(276, 20) // 6
 * ```
 */
export function shrunkRange(blocks: number, oversize: number | undefined): number {
  const half = Math.floor(blocks / 2)
  if (oversize === undefined || !(oversize > 1)) return Math.max(1, half)
  return Math.max(1, Math.min(half, Math.floor(blocks / (oversize * 2))))
}
