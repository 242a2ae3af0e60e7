import type { FixedChargeArc } from './FixedChargeNetwork.js'

/**
 * The first pair with flow in both directions, if any (the no-both-ways rule of
 * {@link FixedChargeArc.pair}).
 *
 * @param arcs - the arcs
 * @param flows - flow per arc
 * @returns `[pair]`, or `undefined` when no pair carries flow both ways
 * @example
 * ```ts
 * findConflict(arcs, flows) // ['1-2']
 * ```
 */
export function findConflict(
  arcs: readonly FixedChargeArc[],
  flows: readonly bigint[],
): [string] | undefined {
  const directions = new Map<string, number>()
  for (let r = 0; r < arcs.length; r++) {
    const a = arcs[r]!
    if (flows[r] === 0n || a.pair === undefined) continue
    const seen = directions.get(a.pair) ?? 0
    const dir = a.direction ?? 1
    if (seen !== 0 && seen !== dir) return [a.pair]
    directions.set(a.pair, dir)
  }
  return undefined
}
