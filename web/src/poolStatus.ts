import { parseDecimal } from '@ballast/sdk'

/** A chain lagging more blocks than this marks a pool DEGRADED (the API's /healthz default). */
export const maxLagBlocks = 50n

/** A pool's status on screen, with the reasons. */
export type PoolStatus = {
  label: 'HEALTHY' | 'BELOW TARGET' | 'BELOW MINIMUM' | 'DEGRADED' | 'NO LIABILITIES'
  tone: 'ok' | 'warn' | 'bad'
  reasons: string[]
}

/**
 * The status of a pool from its exact figures: below minimum (the API's `healthy`), below target,
 * or DEGRADED when the figures may be behind (a chain lags more than `maxLagBlocks`).
 *
 * @param pool - ratio, bands and health from the API.
 * @param lags - per chain name, lag in blocks.
 * @returns the label and its reasons.
 * @example
 * ```ts
 * poolStatus({ reserveRatio: '1.2', minRatio: '1.1', targetRatio: '1.3', healthy: true }, []).label // 'BELOW TARGET'
 * ```
 */
export function poolStatus(
  pool: { reserveRatio: string | null; minRatio: string; targetRatio: string; healthy: boolean },
  lags: readonly { name: string; lagBlocks: string }[],
): PoolStatus {
  const reasons: string[] = []
  const lagging = lags.filter((c) => BigInt(c.lagBlocks) > maxLagBlocks)
  for (const c of lagging) reasons.push(`chain ${c.name} lags ${c.lagBlocks} blocks behind its head`)
  if (pool.reserveRatio === null) return { label: 'NO LIABILITIES', tone: 'ok', reasons }
  const wad = (x: string) => parseDecimal(x, 18, 'floor')
  const ratio = wad(pool.reserveRatio)
  if (!pool.healthy) {
    reasons.unshift(`pooled ratio ${pool.reserveRatio} is below the minimum ${pool.minRatio}`)
    return { label: 'BELOW MINIMUM', tone: 'bad', reasons }
  }
  if (lagging.length > 0) return { label: 'DEGRADED', tone: 'warn', reasons }
  if (ratio < wad(pool.targetRatio)) {
    reasons.push(`pooled ratio is below the target ${pool.targetRatio}`)
    return { label: 'BELOW TARGET', tone: 'warn', reasons }
  }
  return { label: 'HEALTHY', tone: 'ok', reasons }
}
