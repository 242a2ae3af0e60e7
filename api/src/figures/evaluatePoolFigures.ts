import type { PoolState } from '@ballast/sdk'
import { evaluatePool, InvalidPoolStateError, type PoolEvaluation } from '@ballast/sdk/math'
import { ApiError } from '../errors/ApiError.js'

/**
 * Evaluates one pool of a state with the sdk's reserve math (`evaluatePool`: adjusted reserves,
 * liabilities and ratios per member, chain and asset, haircuts, liquidation prices). The API
 * serves exactly these figures, formatted as exact decimals.
 *
 * A state the sdk rejects (say, at a time before an asset's feed first reported) becomes a clear
 * `NOT_AVAILABLE` error for that time rather than an internal error.
 *
 * @param state - the pool state from the data source.
 * @param poolId - which pool of the state.
 * @param options - `sensitivities`: also deltas, gammas and liquidation prices (several extra
 *   evaluations per asset; off unless a field needs them).
 * @returns the sdk's evaluation.
 * @example
 * ```ts
 * evaluatePoolFigures(state, '0x..').reserveRatio // WAD bigint or null
 * ```
 */
export function evaluatePoolFigures(
  state: PoolState,
  poolId: string,
  options: { sensitivities?: boolean } = {},
): PoolEvaluation {
  try {
    return evaluatePool(state, { poolId, sensitivities: options.sensitivities ?? false })
  } catch (cause) {
    if (!(cause instanceof InvalidPoolStateError)) throw cause
    throw new ApiError('The pool has no complete state at that time.', {
      code: 'NOT_AVAILABLE',
      details: `Pool ${poolId} at ${state.timestamp}: ${cause.shortMessage}${cause.details ? ` (${cause.details})` : ''}`,
      metaMessages: ['Ask for a later time (`at`): after the pool and its price feeds have data.'],
      cause,
    })
  }
}
