import type { Member, Pool, PoolState } from '@ballast/sdk'
import type { MemberEvaluation, PoolEvaluation } from '@ballast/sdk/math'
import type { TimeTravel } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { evaluatePoolFigures } from '../figures/evaluatePoolFigures.js'
import type { ApiContext } from './ApiContext.js'

/** The parent object of `Pool` fields: the pool's state at the asked time. */
export type PoolParent = { poolId: string; time: TimeTravel; state: PoolState }

/** The parent object of `Member` fields. */
export type MemberParent = { pool: PoolParent; member: Member }

const figuresCache = new WeakMap<PoolState, Map<string, PoolEvaluation>>()
const sensitivitiesCache = new WeakMap<PoolState, Map<string, PoolEvaluation>>()

/**
 * The pool's figures, computed once per state object (states are per request, so this caches
 * within a request only).
 *
 * @param parent - pool and state.
 * @param options - `sensitivities`: with deltas, gammas and liquidation prices (cached apart).
 * @returns the figures.
 * @example
 * ```ts
 * figuresOf(parent).reserveRatio
 * ```
 */
export function figuresOf(parent: PoolParent, options: { sensitivities?: boolean } = {}): PoolEvaluation {
  const sensitivities = options.sensitivities ?? false
  const cache = sensitivities ? sensitivitiesCache : figuresCache
  let byPool = cache.get(parent.state)
  if (byPool === undefined) {
    byPool = new Map()
    cache.set(parent.state, byPool)
  }
  let figures = byPool.get(parent.poolId)
  if (figures === undefined) {
    figures = evaluatePoolFigures(parent.state, parent.poolId, { sensitivities })
    byPool.set(parent.poolId, figures)
  }
  return figures
}

/**
 * A member's figures within its pool's figures.
 *
 * @param parent - member and pool.
 * @returns the member's figures.
 * @example
 * ```ts
 * memberFiguresOf(parent).reserveRatio
 * ```
 */
export function memberFiguresOf(parent: MemberParent): MemberEvaluation {
  const figures = figuresOf(parent.pool).members.find((m) => m.memberId === parent.member.id)
  if (figures === undefined) throw new Error(`figures of member ${parent.member.id} missing`)
  return figures
}

/**
 * The pool record in a state.
 *
 * @param parent - pool and state.
 * @returns the pool.
 * @example
 * ```ts
 * poolOf(parent).minRatio
 * ```
 */
export function poolOf(parent: PoolParent): Pool {
  const pool = parent.state.pools.find((p) => p.id === parent.poolId)
  if (pool === undefined) throw new Error(`pool ${parent.poolId} missing from its own state`)
  return pool
}

/**
 * Loads a pool at a time through the request's loader; an unknown id is a client error.
 *
 * @param context - the request context.
 * @param poolId - the pool id.
 * @param time - when.
 * @returns the pool parent.
 * @example
 * ```ts
 * await loadPool(context, '0x..', { at: 1764064800 })
 * ```
 */
export async function loadPool(context: ApiContext, poolId: string, time: TimeTravel): Promise<PoolParent> {
  const state = await context.loaders.poolState.load({ poolId, time })
  if (state === undefined) {
    const known = (await context.loaders.pools()).map((p) => p.id)
    throw new ApiError('Unknown pool.', {
      code: 'NOT_FOUND',
      details: `No pool has id ${JSON.stringify(poolId)}${known.length > 0 ? `; known pools: ${known.slice(0, 5).join(', ')}` : ''}.`,
      metaMessages: ['List pools with `{ pools { nodes { id name } } }`.'],
    })
  }
  return { poolId, time, state }
}
