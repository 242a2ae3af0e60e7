import type { PlannerAsset, PlannerNode } from './PlannerInput.js'
import type { CompositionTarget } from './SwapSettings.js'

const BPS = 10_000n

/** Value of the books in a target's scope, split volatile / total, in one exact integer unit. */
export type CompositionValue = { volatile: bigint; total: bigint }

/**
 * Value of one base unit of each asset in a common exact unit: `priceUsd * 10^(D - decimals)`
 * with `D` the largest decimals, so `amount * scale` is `amount * price / 10^decimals` times the
 * constant `10^D` (no rounding anywhere).
 *
 * @param assets - the input's assets
 * @returns symbol -> scale
 */
export function valueScales(assets: readonly PlannerAsset[]): Map<string, bigint> {
  const top = assets.reduce((m, a) => Math.max(m, a.decimals), 0)
  return new Map(assets.map((a) => [a.symbol, a.priceUsd * 10n ** BigInt(top - a.decimals)]))
}

/** Whether a node is in a target's scope (its chain, when given, and its member, when given). */
export function inScope(
  target: CompositionTarget,
  node: { chainId: number; member?: string | undefined },
): boolean {
  return (
    (target.chainId === undefined || target.chainId === node.chainId) &&
    (target.member === undefined || target.member === node.member)
  )
}

/**
 * Volatile and total value of a target's scope at the given balances.
 *
 * @param target - the composition target
 * @param nodes - the input nodes
 * @param balances - balance of each node (same order)
 * @param scales - {@link valueScales}
 * @returns the two values in the exact common unit
 */
export function compositionValue(
  target: CompositionTarget,
  nodes: readonly PlannerNode[],
  balances: readonly bigint[],
  scales: ReadonlyMap<string, bigint>,
): CompositionValue {
  let volatile = 0n
  let total = 0n
  nodes.forEach((n, i) => {
    if (!inScope(target, n)) return
    const value = balances[i]! * scales.get(n.asset)!
    total += value
    if (target.volatileAssets.includes(n.asset)) volatile += value
  })
  return { volatile, total }
}

/**
 * The target's condition, exactly: `volatile * B <= max * total` (`B = 10_000`), i.e.
 * `(B - max) volatile <= max (total - volatile)`. An empty scope meets it.
 */
export function meetsComposition(value: CompositionValue, maxVolatileShareBps: bigint): boolean {
  return value.volatile * BPS <= maxVolatileShareBps * value.total
}

/** Volatile share in bps, rounded as asked (0 for an empty scope). */
export function shareBps(value: CompositionValue, round: 'floor' | 'ceil'): bigint {
  if (value.total === 0n) return 0n
  const num = value.volatile * BPS
  return round === 'floor' ? num / value.total : (num + value.total - 1n) / value.total
}
