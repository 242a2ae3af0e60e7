/** Aave's ray: 27 decimals. */
export const RAY = 10n ** 27n

/** Seconds per year in Aave's interest math (`MathUtils.SECONDS_PER_YEAR`: 365 days). */
const SECONDS_PER_YEAR = 31_536_000n

/** `a * b / RAY` rounded half up, as Aave's `WadRayMath.rayMul`. */
export function rayMul(a: bigint, b: bigint): bigint {
  return (a * b + RAY / 2n) / RAY
}

/**
 * A reserve's normalized income at `timestamp`, as Aave V3's `ReserveLogic.getNormalizedIncome`:
 * the stored liquidity index when it was updated in that block, else
 * `rayMul(RAY + rate * (timestamp - lastUpdate) / SECONDS_PER_YEAR, liquidityIndex)` (linear
 * interest, `MathUtils.calculateLinearInterest`). Exact at every block until the reserve's next
 * update (which emits `ReserveDataUpdated`).
 *
 * @param reserve - `liquidityIndex` and `currentLiquidityRate` (rays), `lastUpdateTimestamp` (s).
 * @param timestamp - The block time to value at (>= lastUpdate).
 * @returns The normalized income (ray).
 * @example
 * ```ts
 * normalizedIncome({ liquidityIndex: RAY, liquidityRate: RAY / 20n, lastUpdate: 0 }, 31_536_000) // 1.05 ray
 * ```
 */
export function normalizedIncome(
  reserve: { liquidityIndex: bigint; liquidityRate: bigint; lastUpdate: number },
  timestamp: number,
): bigint {
  const elapsed = BigInt(Math.max(0, timestamp - reserve.lastUpdate))
  if (elapsed === 0n) return reserve.liquidityIndex
  const linear = RAY + (reserve.liquidityRate * elapsed) / SECONDS_PER_YEAR
  return rayMul(linear, reserve.liquidityIndex)
}

/**
 * An aToken balance at `timestamp`: `rayMul(scaledBalance, normalizedIncome)`, as the aToken's
 * `balanceOf` computes it (Aave V3 `AToken.balanceOf`).
 *
 * @param scaledBalance - `scaledBalanceOf(holder)`.
 * @param reserve - The reserve's index, rate and last update.
 * @param timestamp - The block time.
 * @returns The balance in the underlying's smallest unit.
 * @example
 * ```ts
 * aTokenBalance(1_000_000n, { liquidityIndex: RAY, liquidityRate: 0n, lastUpdate: 0 }, 10) // 1_000_000n
 * ```
 */
export function aTokenBalance(
  scaledBalance: bigint,
  reserve: { liquidityIndex: bigint; liquidityRate: bigint; lastUpdate: number },
  timestamp: number,
): bigint {
  return rayMul(scaledBalance, normalizedIncome(reserve, timestamp))
}
