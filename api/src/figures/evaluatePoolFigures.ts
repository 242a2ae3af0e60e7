import type { PoolState } from '@ballast/sdk'
import { evaluatePool, type PoolEvaluation } from '@ballast/sdk/math'

/**
 * Evaluates one pool of a state with the sdk's reserve math (`evaluatePool`: adjusted reserves,
 * liabilities and ratios per member, chain and asset, haircuts, liquidation prices). The API
 * serves exactly these figures, formatted as exact decimals.
 *
 * @param state - the pool state from the data source.
 * @param poolId - which pool of the state.
 * @returns the sdk's evaluation.
 * @example
 * ```ts
 * evaluatePoolFigures(state, '0x..').reserveRatio // WAD bigint or null
 * ```
 */
export function evaluatePoolFigures(state: PoolState, poolId: string): PoolEvaluation {
  return evaluatePool(state, { poolId })
}
