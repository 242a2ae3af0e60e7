import { DashboardPoolDocument, type DashboardPoolQuery } from '@ballast/sdk/client'
import { type PoolState, parsePoolState } from '@ballast/sdk/math'
import { useMemo } from 'preact/hooks'
import { client } from './api.js'
import type { Live } from './live/useLive.js'
import { type QueryState, useQuery } from './useQuery.js'

/** A pool from the API with its parsed `PoolState` (what the sdk's math runs on in the browser). */
export type LoadedPool = { pool: DashboardPoolQuery['pool']; state: PoolState }

/**
 * Loads a pool now (refreshed on each live event) or at a past time `at` (fixed).
 *
 * @param poolId - the pool.
 * @param at - unix seconds, or undefined for the latest indexed figures.
 * @param live - the live subscription.
 * @returns the request state with the parsed state.
 * @example
 * ```ts
 * const q = usePool(poolId, undefined, live)
 * ```
 */
export function usePool(poolId: string, at: number | undefined, live: Live): QueryState<LoadedPool> {
  const q = useQuery(
    () => client.request(DashboardPoolDocument, at === undefined ? { id: poolId } : { id: poolId, at }),
    [poolId, at, at === undefined ? live.version : 0],
  )
  const state = useMemo(
    () => (q.data === undefined ? undefined : parsePoolState(q.data.pool.state)),
    [q.data],
  )
  if (q.data === undefined || state === undefined) return q as QueryState<LoadedPool>
  const data = { pool: q.data.pool, state }
  return q.status === 'ok' ? { ...q, data } : { ...q, data }
}
