import type { PoolState } from '@ballast/sdk'
import { ApiError } from '../errors/ApiError.js'
import type { PoolFigures } from './PoolFigures.js'

/**
 * Evaluates a pool's figures from its state with the sdk's reserve math.
 *
 * @param state - the pool state.
 * @param poolId - which pool of the state.
 * @returns the figures.
 * @example
 * ```ts
 * evaluatePoolFigures(state, '0x..').reserveRatio
 * ```
 */
export function evaluatePoolFigures(_state: PoolState, poolId: string): PoolFigures {
  throw new ApiError('Pool figures are not available yet.', {
    code: 'NOT_AVAILABLE',
    details: `pool ${poolId}`,
  })
}
