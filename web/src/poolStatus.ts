import type { DashboardPoolsQuery } from '@ballast/sdk/client'

/** A chain lagging more blocks than this marks a pool DEGRADED (the API's /healthz default). */
export const maxLagBlocks = 50n

/** A pool's status on screen, with the reasons. */
export type PoolStatus = {
  label: 'HEALTHY' | 'BELOW TARGET' | 'BELOW MINIMUM' | 'DEGRADED' | 'NO LIABILITIES'
  tone: 'ok' | 'warn' | 'bad'
  reasons: string[]
}

/** What `poolStatus` reads of a pool: the server's status and reasons, and the ratios they name. */
export type PoolStatusInput = Pick<
  DashboardPoolsQuery['pools']['nodes'][number],
  'reserveRatio' | 'minRatio' | 'targetRatio' | 'status' | 'degraded'
>

/**
 * The status of a pool on screen: the server's `Pool.status` (same precedence: BELOW MINIMUM, then
 * DEGRADED, then NO LIABILITIES, BELOW TARGET, HEALTHY) with its `degraded` reasons, plus what
 * only a live view knows: a chain lagging more than `maxLagBlocks` makes the figures behind, so a
 * pool that is not below its minimum shows DEGRADED with the lag as a reason.
 *
 * @param pool - status, reasons and bands from the API.
 * @param lags - per chain name, the indexer's lag in blocks.
 * @returns the label, its tone and its reasons (the worst first).
 * @example
 * ```ts
 * poolStatus({ reserveRatio: '1.2', minRatio: '1.1', targetRatio: '1.3', status: 'BELOW_TARGET', degraded: [] }, []).label // 'BELOW TARGET'
 * ```
 */
export function poolStatus(
  pool: PoolStatusInput,
  lags: readonly { name: string; lagBlocks: string }[],
): PoolStatus {
  const lagging = lags.filter((c) => BigInt(c.lagBlocks) > maxLagBlocks)
  const reasons = [
    ...pool.degraded.map((d) => d.message),
    ...lagging.map((c) => `chain ${c.name} lags ${c.lagBlocks} blocks behind its head`),
  ]
  if (pool.status === 'BELOW_MINIMUM') {
    reasons.unshift(`pooled ratio ${pool.reserveRatio} is below the minimum ${pool.minRatio}`)
    return { label: 'BELOW MINIMUM', tone: 'bad', reasons }
  }
  if (pool.status === 'DEGRADED' || lagging.length > 0) return { label: 'DEGRADED', tone: 'warn', reasons }
  if (pool.status === 'NO_LIABILITIES') return { label: 'NO LIABILITIES', tone: 'ok', reasons }
  if (pool.status === 'BELOW_TARGET') {
    reasons.push(`pooled ratio is below the target ${pool.targetRatio}`)
    return { label: 'BELOW TARGET', tone: 'warn', reasons }
  }
  return { label: 'HEALTHY', tone: 'ok', reasons }
}
