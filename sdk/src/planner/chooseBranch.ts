import { findConflict } from './findConflict.js'
import { type FixedChargeContext, FREE, OFF, ON } from './fixedChargeContext.js'

/**
 * The branching decision for a relaxation: first a both-ways conflict (one direction off / the
 * other off), otherwise the free arc with flow whose relaxed charge is furthest from its true
 * charge or whose flow is under its minimum (off / on).
 *
 * @param ctx - the network's context
 * @param state - per arc FREE, OFF or ON
 * @param flows - the relaxation's flows
 * @returns the children as lists of (arc, state) settings, or `undefined` when the flows obey
 *   every rule and the relaxed charges are exact
 * @example
 * ```ts
 * const children = chooseBranch(ctx, state, relaxation.flows) // [[[4, OFF]], [[4, ON]]]
 * ```
 */
export function chooseBranch(
  ctx: FixedChargeContext,
  state: Int8Array,
  flows: readonly bigint[],
): Array<Array<[number, number]>> | undefined {
  const { arcs } = ctx.network
  if (ctx.hasRule) {
    const conflict = findConflict(arcs, flows)
    if (conflict !== undefined) {
      const [pair] = conflict
      const forward: Array<[number, number]> = []
      const backward: Array<[number, number]> = []
      arcs.forEach((a, r) => {
        if (a.pair !== pair) return
        ;((a.direction ?? 1) === 1 ? forward : backward).push([r, OFF])
      })
      return [forward, backward]
    }
  }
  let pick = -1
  let pickScore = -1n
  arcs.forEach((a, r) => {
    const f = flows[r]!
    if (state[r] !== FREE || f === 0n) return
    // How far the relaxed charge is from the true one; a flow under its minimum always branches.
    const charged = ctx.relaxedUnitCost[r]! - a.unitCost
    let score = a.fixedCost - charged * f
    if (f < a.minFlow) score += ctx.penalty
    if (score > 0n && score > pickScore) {
      pick = r
      pickScore = score
    }
  })
  if (pick === -1) return undefined
  return [[[pick, OFF]], [[pick, ON]]]
}
