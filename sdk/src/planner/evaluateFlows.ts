import { findCycle } from './findCycle.js'
import type { FixedChargeContext } from './fixedChargeContext.js'
import { shortfallAndCost } from './shortfallAndCost.js'

/**
 * True objective (penalty x shortfall + cost) of flows, and whether they obey every rule: minimum
 * flows, no both-ways pair, and no cycle (an acyclic plan runs in topological order, every sender
 * holding what it sends).
 *
 * @param ctx - the network's context
 * @param flows - flow per arc
 * @returns `penalty * shortfall + cost`, the cost, and whether the flows form a valid plan
 * @example
 * ```ts
 * const { value, feasible } = evaluateFlows(ctx, flows)
 * ```
 */
export function evaluateFlows(
  ctx: FixedChargeContext,
  flows: readonly bigint[],
): { value: bigint; cost: bigint; feasible: boolean } {
  const { shortfall, cost } = shortfallAndCost(ctx, flows)
  let feasible = true
  const { arcs } = ctx.network
  const directions = new Map<string, number>()
  arcs.forEach((a, r) => {
    const f = flows[r]!
    if (f === 0n) return
    if (f < a.minFlow) feasible = false
    if (a.pair !== undefined) {
      const seen = directions.get(a.pair) ?? 0
      const dir = a.direction ?? 1
      if (seen !== 0 && seen !== dir) feasible = false
      directions.set(a.pair, dir)
    }
  })
  if (feasible && findCycle(ctx.network, flows) !== undefined) feasible = false
  return { value: shortfall * ctx.penalty + cost, cost, feasible }
}
