import type { FixedChargeContext } from './fixedChargeContext.js'

/**
 * Shortfall and true cost of flows (demand met is what flows into a node beyond what leaves; a
 * node's units met fill its tiers heaviest first).
 *
 * @param ctx - the network's context
 * @param flows - flow per arc
 * @returns a copy of the flows, the weighted shortfall and the cost (unit plus fixed)
 * @example
 * ```ts
 * const { shortfall, cost } = shortfallAndCost(ctx, flows)
 * ```
 */
export function shortfallAndCost(
  ctx: FixedChargeContext,
  flows: readonly bigint[],
): { flows: bigint[]; shortfall: bigint; cost: bigint } {
  const { network } = ctx
  const net = new Array<bigint>(network.nodeCount).fill(0n)
  let cost = 0n
  network.arcs.forEach((a, r) => {
    const f = flows[r]!
    if (f === 0n) return
    net[a.from] = net[a.from]! - f
    net[a.to] = net[a.to]! + f
    cost += a.unitCost * f + a.fixedCost
  })
  // A node ends at supply - demand + net relative to its target; supply is what it can give. Its
  // units met fill its tiers heaviest first.
  let shortfall = 0n
  let node = -1
  let left = 0n
  for (const t of ctx.tiers) {
    if (t.node !== node) {
      node = t.node
      const met = net[node]! + network.supply[node]!
      left = met < 0n ? 0n : met
    }
    const covered = left < t.units ? left : t.units
    left -= covered
    shortfall += (t.units - covered) * t.weight
  }
  return { flows: [...flows], shortfall, cost }
}
