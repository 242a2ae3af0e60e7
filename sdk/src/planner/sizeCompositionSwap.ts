import { type CompositionValue, meetsComposition } from './compositionShare.js'
import {
  type ConstantProductPool,
  constantProductAmountOut,
  minimumAmountOut,
} from './constantProductAmountOut.js'

/** Parameters of {@link sizeCompositionSwap}. */
export type SizeCompositionSwapParameters = {
  /** The scope's value now ({@link compositionValue}). */
  value: CompositionValue
  /** Value of one base unit sold (a volatile asset) and bought (a stable one), same unit as `value`. */
  scaleIn: bigint
  scaleOut: bigint
  /** The venue, reserves ordered sold, bought. */
  pool: ConstantProductPool
  /** Most that may be sold (the seller's spare balance). */
  maxAmountIn: bigint
  maxVolatileShareBps: bigint
  slippageBps: bigint
}

/**
 * The least amount to sell, volatile for stable on one venue, so a scope of several books meets
 * its composition target at the swap's minimum output:
 *
 *   (V - a s_in) B <= t (T - a s_in + minOut(a) s_out)
 *
 * (`V`, `T` the scope's volatile and total value, `s` the value of a base unit). This is
 * {@link sizeDeRiskingSwap}'s condition with the rest of the scope's books added on both sides;
 * it is monotone in `a` (the volatile value falls, the stable value `T - V - ...` rises with the
 * non-decreasing `minOut`), so a binary search over integers finds the least `a` exactly.
 *
 * @param parameters - the scope's value, unit values, venue, cap, target and slippage bound
 * @returns the amount (0 when met already; `maxAmountIn` when even that falls short) and whether
 *   the target holds after it
 * @example
 * ```ts
 * const { amountIn, meets } = sizeCompositionSwap({ value, scaleIn, scaleOut, pool, maxAmountIn, maxVolatileShareBps: 4000n, slippageBps: 50n })
 * ```
 */
export function sizeCompositionSwap(parameters: SizeCompositionSwapParameters): {
  amountIn: bigint
  meets: boolean
} {
  const { value, scaleIn, scaleOut, pool, maxAmountIn, maxVolatileShareBps, slippageBps } = parameters
  const holds = (a: bigint) => {
    const out = a === 0n ? 0n : minimumAmountOut(constantProductAmountOut(a, pool), slippageBps)
    const sold = a * scaleIn
    return meetsComposition(
      { volatile: value.volatile - sold, total: value.total - sold + out * scaleOut },
      maxVolatileShareBps,
    )
  }
  if (holds(0n)) return { amountIn: 0n, meets: true }
  if (maxAmountIn <= 0n) return { amountIn: 0n, meets: false }
  if (!holds(maxAmountIn)) return { amountIn: maxAmountIn, meets: false }
  let lo = 0n // fails
  let hi = maxAmountIn // holds
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (holds(mid)) hi = mid
    else lo = mid
  }
  return { amountIn: hi, meets: true }
}
