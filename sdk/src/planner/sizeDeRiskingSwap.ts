import {
  type ConstantProductPool,
  constantProductAmountOut,
  minimumAmountOut,
  priceImpactPpm,
} from './constantProductAmountOut.js'
import { PlannerInputError } from './plannerErrors.js'

const BPS = 10_000n

/** A holding of one token on one chain, valued at a USD price (18 decimals per whole token). */
export type SwapHolding = { symbol: string; decimals: number; amount: bigint; priceUsd: bigint }

/** Parameters of {@link sizeDeRiskingSwap}. */
export type SizeDeRiskingSwapParameters = {
  /** The volatile holding to sell from. */
  volatile: SwapHolding
  /** The stable holding to buy into. */
  stable: SwapHolding
  /** The venue, reserves ordered volatile in, stable out. */
  pool: ConstantProductPool
  /** Composition target: at most this share of the two holdings' value in the volatile one, bps. */
  maxVolatileShareBps: bigint
  /** Slippage bound of the swap, bps: the target must hold even at the minimum output. */
  slippageBps: bigint
}

/** A swap that brings a chain's composition to its target (see {@link sizeDeRiskingSwap}). */
export type DeRiskingSwap = {
  sell: string
  buy: string
  /** Volatile tokens sold, base units (0 when the target already holds). */
  amountIn: bigint
  /** Output at the current reserves ({@link constantProductAmountOut}). */
  quotedAmountOut: bigint
  /** Least output at the slippage bound: the router call's `amountOutMin`. */
  amountOutMin: bigint
  /** Price impact of the quoted swap, fees included, ppm (rounded up). */
  priceImpactPpm: bigint
  /** Volatile share of value before, bps (rounded down). */
  volatileShareBeforeBps: bigint
  /** Volatile share after, at the minimum output (the worst accepted execution), bps (rounded up). */
  volatileShareAfterBps: bigint
  /** Whether the target holds after the swap; false when even selling everything falls short. */
  targetMet: boolean
}

/**
 * The least volatile amount to sell on a constant-product venue so that, even at the swap's
 * minimum output, the volatile share of the two holdings' value is at most the target:
 *
 *   (B - t) (V - a) p_V 10^{d_S} <= t (S + minOut(a)) p_S 10^{d_V}
 *
 * (values over the common denominator `10^(d_V + d_S)`; `t` the target in bps, `B = 10_000`). The
 * left side falls and the right side rises with `a` (`minOut` is non-decreasing), so the least `a`
 * is found by binary search over integers, exactly. The price impact is paid: value sold at the
 * pool's price rather than the oracle's is the swap's cost.
 *
 * @param parameters - holdings, venue, target and slippage bound
 * @returns the swap, or a zero swap when the target already holds
 * @throws {PlannerInputError} on a target outside 0..10000 or a negative holding
 * @example
 * ```ts
 * const swap = sizeDeRiskingSwap({
 *   volatile: { symbol: 'WETH', decimals: 18, amount: 10n ** 18n, priceUsd: 3000n * 10n ** 18n },
 *   stable: { symbol: 'USDC', decimals: 6, amount: 1000_000000n, priceUsd: 10n ** 18n },
 *   pool: { reserveIn: 1000n * 10n ** 18n, reserveOut: 3_000_000_000000n, feeBps: 30n },
 *   maxVolatileShareBps: 4000n,
 *   slippageBps: 50n,
 * })
 * // swap.amountIn ~0.47 WETH; swap.volatileShareAfterBps <= 4000n
 * ```
 */
export function sizeDeRiskingSwap(parameters: SizeDeRiskingSwapParameters): DeRiskingSwap {
  const { volatile, stable, pool, maxVolatileShareBps: t, slippageBps } = parameters
  if (t < 0n || t > BPS) {
    throw new PlannerInputError('Composition target out of range.', {
      details: `maxVolatileShareBps is ${t}.`,
      metaMessages: ['Pass basis points between 0 and 10000 (4000 = at most 40% volatile).'],
    })
  }
  if (volatile.amount < 0n || stable.amount < 0n) {
    throw new PlannerInputError('Negative holding.', {
      details: `${volatile.symbol} ${volatile.amount}, ${stable.symbol} ${stable.amount}.`,
      metaMessages: ['Holdings are base units >= 0.'],
    })
  }
  const volatileScale = volatile.priceUsd * 10n ** BigInt(stable.decimals)
  const stableScale = stable.priceUsd * 10n ** BigInt(volatile.decimals)
  const outAt = (a: bigint) =>
    a === 0n ? 0n : minimumAmountOut(constantProductAmountOut(a, pool), slippageBps)
  const holds = (a: bigint) =>
    (BPS - t) * (volatile.amount - a) * volatileScale <= t * (stable.amount + outAt(a)) * stableScale
  const shareBps = (v: bigint, s: bigint, round: 'floor' | 'ceil') => {
    const total = v * volatileScale + s * stableScale
    if (total === 0n) return 0n
    const num = v * volatileScale * BPS
    return round === 'floor' ? num / total : (num + total - 1n) / total
  }
  const before = shareBps(volatile.amount, stable.amount, 'floor')
  let amountIn = 0n
  let targetMet = holds(0n)
  if (!targetMet && volatile.amount > 0n) {
    if (holds(volatile.amount)) {
      let lo = 0n // fails
      let hi = volatile.amount // holds
      while (hi - lo > 1n) {
        const mid = (lo + hi) / 2n
        if (holds(mid)) hi = mid
        else lo = mid
      }
      amountIn = hi
      targetMet = true
    } else amountIn = volatile.amount
  }
  const quoted = amountIn === 0n ? 0n : constantProductAmountOut(amountIn, pool)
  const amountOutMin = amountIn === 0n ? 0n : minimumAmountOut(quoted, slippageBps)
  return {
    sell: volatile.symbol,
    buy: stable.symbol,
    amountIn,
    quotedAmountOut: quoted,
    amountOutMin,
    priceImpactPpm: amountIn === 0n ? 0n : priceImpactPpm(amountIn, quoted, pool),
    volatileShareBeforeBps: before,
    volatileShareAfterBps: shareBps(volatile.amount - amountIn, stable.amount + amountOutMin, 'ceil'),
    targetMet,
  }
}
