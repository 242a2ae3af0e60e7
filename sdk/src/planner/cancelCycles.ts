import type { FixedChargeNetwork } from './FixedChargeNetwork.js'
import { findCycle } from './findCycle.js'

/**
 * Cancels cycles of flows: takes the smallest flow of a cycle off all its arcs, which keeps every
 * node's net flow (so the shortfall) and never raises the cost (unit costs are >= 0; an arc taken
 * to 0 no longer pays its fixed cost). Stops at a cycle whose cancelling would leave some arc
 * under its minimum flow, and returns it.
 *
 * @param network - the network
 * @param flows - flow per arc (not modified)
 * @returns the flows with cycles cancelled, and the cycle it stopped at (if any)
 * @example
 * ```ts
 * const { flows: acyclic, cycle } = cancelCycles(network, flows)
 * ```
 */
export function cancelCycles(
  network: FixedChargeNetwork,
  flows: readonly bigint[],
): { flows: bigint[]; cycle: number[] | undefined } {
  let out = flows as bigint[]
  for (;;) {
    const cycle = findCycle(network, out)
    if (cycle === undefined) return { flows: out, cycle }
    let delta = out[cycle[0]!]!
    for (const r of cycle) if (out[r]! < delta) delta = out[r]!
    for (const r of cycle) {
      const left = out[r]! - delta
      if (left > 0n && left < network.arcs[r]!.minFlow) return { flows: out, cycle }
    }
    if (out === flows) out = [...flows]
    for (const r of cycle) out[r] = out[r]! - delta
  }
}
