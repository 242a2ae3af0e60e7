import type { DegradedCode, DegradedReason } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'

/** The GraphQL `PoolStatus` of a pool. */
export type PoolStatusName = 'HEALTHY' | 'BELOW_TARGET' | 'BELOW_MINIMUM' | 'DEGRADED' | 'NO_LIABILITIES'

/**
 * A pool's status from its evaluation, by precedence:
 *
 * 1. `BELOW_MINIMUM`: the pooled ratio is below `minRatio`. It wins over DEGRADED: what could be
 *    counted is already short, and the reasons are still listed beside it;
 * 2. `DEGRADED`: the evaluation lists `degraded` reasons (a position left out, a 100% haircut for
 *    want of risk parameters, a stale price, a liability assumed at 1 USD), so no figure below this
 *    line can be trusted as exact;
 * 3. `NO_LIABILITIES`: nothing to cover (no ratio);
 * 4. `BELOW_TARGET`: at or above the minimum, below the target;
 * 5. `HEALTHY`.
 *
 * The dashboard (`web/src/poolStatus.ts`) applies the same order and adds indexing lag to DEGRADED.
 *
 * @param e - the sdk's evaluation of the pool.
 * @returns the status.
 * @example
 * ```ts
 * poolStatusOf(evaluatePool(state, { poolId })) // 'HEALTHY'
 * ```
 */
export function poolStatusOf(
  e: Pick<PoolEvaluation, 'belowMinimum' | 'reserveRatio' | 'targetRatio' | 'degraded'>,
): PoolStatusName {
  if (e.belowMinimum) return 'BELOW_MINIMUM'
  if (e.degraded.length > 0) return 'DEGRADED'
  if (e.reserveRatio === null) return 'NO_LIABILITIES'
  if (e.reserveRatio < e.targetRatio) return 'BELOW_TARGET'
  return 'HEALTHY'
}

/** The GraphQL `DegradedCode` of an sdk code (`stale-price` -> `STALE_PRICE`). */
export function degradedCodeName(code: DegradedCode): string {
  return code.toUpperCase().replace(/-/g, '_')
}

/**
 * The GraphQL `DegradedReason` objects of an evaluation's reasons.
 *
 * @param reasons - the sdk's reasons.
 * @returns `{ code, asset, chainId, message }` with null for what a reason does not name.
 * @example
 * ```ts
 * degradedFields([{ code: 'unpriced', asset: 'XTK', chainId: 1, message: '…' }])[0].code // 'UNPRICED'
 * ```
 */
export function degradedFields(reasons: readonly DegradedReason[]) {
  return reasons.map((r) => ({
    code: degradedCodeName(r.code),
    asset: r.asset ?? null,
    chainId: r.chainId ?? null,
    message: r.message,
  }))
}
