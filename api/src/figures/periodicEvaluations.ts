import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import { ApiError } from '../errors/ApiError.js'
import { evaluatePoolFigures } from './evaluatePoolFigures.js'

/** Loads the pool's states at the given times (oldest first), in one batch. */
export type LoadPoolStatesAt = (
  times: readonly number[],
) => Promise<readonly (PoolState | Error | undefined)[]>

/**
 * The pool at the end of each of the last `periods` periods of `periodSeconds`, then now: states and
 * their evaluations, oldest first. Periods before the pool had complete data (no feed answer yet)
 * are left out, so the series may be shorter than asked.
 *
 * @param load - loads states at times (the request's DataLoader, or the data source in the CLI).
 * @param current - the pool's state now.
 * @param poolId - the pool.
 * @param periodSeconds - length of a period.
 * @param periods - number of past periods.
 * @returns states and evaluations, oldest first, ending with now.
 * @example
 * ```ts
 * const { evaluations } = await periodicEvaluations(load, state, poolId, 86_400, 30)
 * ```
 */
export async function periodicEvaluations(
  load: LoadPoolStatesAt,
  current: PoolState,
  poolId: string,
  periodSeconds: number,
  periods: number,
): Promise<{ states: PoolState[]; evaluations: PoolEvaluation[] }> {
  const now = current.timestamp
  const times = Array.from({ length: periods }, (_, i) => now - (periods - i) * periodSeconds)
  const past = await load(times)
  const states: PoolState[] = []
  const evaluations: PoolEvaluation[] = []
  for (const s of past) {
    if (s instanceof Error || s === undefined) continue
    try {
      evaluations.push(evaluatePoolFigures(s, poolId))
      states.push(s)
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_AVAILABLE') continue
      throw error
    }
  }
  states.push(current)
  evaluations.push(evaluatePoolFigures(current, poolId))
  return { states, evaluations }
}
