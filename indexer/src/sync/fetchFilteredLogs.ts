import type { ChainRpc, RpcLog } from '../rpc/createChainRpc.js'
import { filterSize, split } from './buildLogFilters.js'
import { fetchLogsBounded, type LogFilter, type RangeState } from './fetchLogsAdaptive.js'
import { isFilterTooBig } from './isFilterTooBig.js'

/**
 * Fetches the logs of several filters over `[from, to]` (all at once: concurrent calls share one
 * JSON-RPC batch), each in adaptive ranges; a log matched by two filters (a transfer between two
 * tracked holders) is kept once. A filter refused as too big is split in two and each half fetched
 * instead (the block range stays). With `maxLogs`, a filter may stop early: the result then
 * covers `[from, returned to]`, the lowest end reached, and logs beyond it are dropped.
 *
 * @param rpc The chain's RPC client.
 * @param filters Filters (e.g. from `buildLogFilters`).
 * @param from First block (inclusive).
 * @param to Last block wanted (inclusive).
 * @param range The chain's range state (mutated).
 * @param maxLogs A filter stops once this many of its logs are in.
 * @returns The logs of `[from, to]` in chain order, and the `to` covered.
 * @example
 * ```ts
 * const { logs, to: covered } = await fetchFilteredLogs(rpc, filters, 0, 10_000, range, 5_000)
 * ```
 */
export async function fetchFilteredLogs(
  rpc: ChainRpc,
  filters: readonly LogFilter[],
  from: number,
  to: number,
  range: RangeState,
  maxLogs = Number.POSITIVE_INFINITY,
): Promise<{ logs: RpcLog[]; to: number }> {
  const results = await Promise.all(filters.map((f) => fetchOne(rpc, f, from, to, range, maxLogs)))
  const end = results.reduce((m, r) => Math.min(m, r.to), to)
  if (results.length === 1 && end === to) return results[0] as { logs: RpcLog[]; to: number }
  const seen = new Set<string>()
  const logs: RpcLog[] = []
  for (const result of results) {
    for (const log of result.logs) {
      if (Number(log.blockNumber) > end) continue
      const key = `${log.blockHash}:${log.logIndex}`
      if (seen.has(key)) continue
      seen.add(key)
      logs.push(log)
    }
  }
  logs.sort(
    (a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex),
  )
  return { logs, to: end }
}

async function fetchOne(
  rpc: ChainRpc,
  filter: LogFilter,
  from: number,
  to: number,
  range: RangeState,
  maxLogs: number,
): Promise<{ logs: RpcLog[]; to: number }> {
  try {
    return await fetchLogsBounded(rpc, filter, from, to, range, maxLogs)
  } catch (error) {
    const size = filterSize(filter)
    if (!isFilterTooBig(error) || size <= 1) throw error
    return fetchFilteredLogs(rpc, split(filter, Math.ceil(size / 2)), from, to, range, maxLogs)
  }
}
