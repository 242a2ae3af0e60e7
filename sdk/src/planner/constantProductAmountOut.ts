import { PlannerInputError } from './plannerErrors.js'

/** Fees of constant-product venues are in basis points (Uniswap V2: 30, i.e. 0.3%). */
const BPS = 10_000n

/**
 * A constant-product (`x * y = k`) swap venue on one chain, as a Uniswap V2 pair: its reserves
 * (what `getReserves()` returns, ordered as `tokenIn`/`tokenOut` of the swap being priced) and its
 * fee.
 */
export type ConstantProductPool = {
  /** Reserve of the token sold, base units. */
  reserveIn: bigint
  /** Reserve of the token bought, base units. */
  reserveOut: bigint
  /** Swap fee in basis points, taken from the input (Uniswap V2: 30). */
  feeBps: bigint
}

/**
 * Exact output of a constant-product swap, as Uniswap V2's `UniswapV2Library.getAmountOut`
 * computes it (integer division, rounded down):
 *
 *   amountOut = floor(a (B - f) R_out / (R_in B + a (B - f)))
 *
 * with `a` the amount in, `f` the fee in bps and `B = 10_000`. For `f = 30` this is V2's
 * `a 997 R_out / (R_in 1000 + a 997)` with numerator and denominator both multiplied by 10 (the
 * same quotient). It is the largest output the pair's swap check accepts:
 * `(R_in B + a (B - f)) (R_out - out) B >= R_in R_out B^2` (UniswapV2Pair.swap, `K`).
 *
 * @param amountIn - amount sold, base units (> 0)
 * @param pool - reserves and fee
 * @returns the amount bought, base units
 * @throws {PlannerInputError} on a non-positive amount, empty reserves or a fee outside 0..9999
 * @example
 * ```ts
 * constantProductAmountOut(1_000000n, { reserveIn: 1_000_000_000000n, reserveOut: 500n * 10n ** 18n, feeBps: 30n })
 * // 498_499_502_496_502n (0.000498... of the 18-decimal token per 1 of the 6-decimal one)
 * ```
 */
export function constantProductAmountOut(amountIn: bigint, pool: ConstantProductPool): bigint {
  checkPool(pool)
  if (amountIn <= 0n) {
    throw new PlannerInputError('Swap amount must be positive.', {
      details: `amountIn is ${amountIn}.`,
      metaMessages: ['Amounts are base units > 0.'],
    })
  }
  const withFee = amountIn * (BPS - pool.feeBps)
  return (withFee * pool.reserveOut) / (pool.reserveIn * BPS + withFee)
}

/**
 * The least output a swap may return at a slippage bound: `floor(quoted (B - s) / B)`, `s` in bps,
 * the `amountOutMin` a router call carries (the swap reverts below it).
 *
 * @param quoted - the quoted output, base units
 * @param slippageBps - tolerated slippage, 0..10000
 * @returns the minimum output
 * @throws {PlannerInputError} on a slippage bound outside 0..10000
 * @example
 * ```ts
 * minimumAmountOut(1_000n, 50n) // 995n
 * ```
 */
export function minimumAmountOut(quoted: bigint, slippageBps: bigint): bigint {
  if (slippageBps < 0n || slippageBps > BPS) {
    throw new PlannerInputError('Slippage bound out of range.', {
      details: `slippageBps is ${slippageBps}.`,
      metaMessages: ['Pass basis points between 0 and 10000 (50 = 0.5%).'],
    })
  }
  return (quoted * (BPS - slippageBps)) / BPS
}

/**
 * Price impact of a swap in parts per million: how far below the pool's spot price the swap's own
 * price is, fees included, `1 - (out / a) / (R_out / R_in) = 1 - out R_in / (a R_out)`, rounded up
 * (so it is never understated).
 *
 * @param amountIn - amount sold, base units (> 0)
 * @param amountOut - amount bought ({@link constantProductAmountOut})
 * @param pool - the reserves before the swap
 * @returns the impact in ppm (just above 3_000 for a tiny swap at 30 bps: the fee)
 * @example
 * ```ts
 * priceImpactPpm(10n, 9n, { reserveIn: 100n, reserveOut: 100n, feeBps: 30n }) // 100_000n
 * ```
 */
export function priceImpactPpm(amountIn: bigint, amountOut: bigint, pool: ConstantProductPool): bigint {
  checkPool(pool)
  const spotValue = amountIn * pool.reserveOut
  const lost = spotValue - amountOut * pool.reserveIn
  return (lost * 1_000_000n + spotValue - 1n) / spotValue
}

function checkPool(pool: ConstantProductPool): void {
  if (pool.reserveIn <= 0n || pool.reserveOut <= 0n) {
    throw new PlannerInputError('Swap venue has an empty reserve.', {
      details: `reserves are ${pool.reserveIn} in, ${pool.reserveOut} out.`,
      metaMessages: ['Read the pair with getReserves(); a pair without liquidity cannot be swapped on.'],
    })
  }
  if (pool.feeBps < 0n || pool.feeBps >= BPS) {
    throw new PlannerInputError('Swap fee out of range.', {
      details: `feeBps is ${pool.feeBps}.`,
      metaMessages: ['Fees are basis points, 0..9999 (Uniswap V2: 30).'],
    })
  }
}
