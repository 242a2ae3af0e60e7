import type { FixedChargeNetwork } from './FixedChargeNetwork.js'

/**
 * Arc capacities tightened to the most the arc carries in some optimal (acyclic) plan:
 * `min(u_r, S(from), D(to))`, where `S(v)` is the supply of the nodes that reach `v` (an acyclic
 * flow through an arc comes from them) and `D(v)` the demand of the nodes `v` reaches (flow beyond
 * it is stranded and can be taken back at no higher cost). `D` applies only without minimum flows:
 * a minimum may force flow beyond the demand downstream. Reachability uses arcs of capacity > 0.
 * A tighter `u_r` makes the relaxed charge `F_r / u_r` a stronger bound.
 *
 * @param network - the network
 * @returns per arc, the tightened capacity
 * @example
 * ```ts
 * const arc = { from: 0, to: 1, capacity: 10n, unitCost: 0n, fixedCost: 1n, minFlow: 1n }
 * tightCapacities({ nodeCount: 2, supply: [5n, 0n], demand: [0n, 3n], arcs: [arc] }) // [3n]
 * ```
 */
export function tightCapacities(network: FixedChargeNetwork): bigint[] {
  const n = network.nodeCount
  const out: number[][] = Array.from({ length: n }, () => [])
  const into: number[][] = Array.from({ length: n }, () => [])
  for (const a of network.arcs) {
    if (a.capacity <= 0n || a.from === a.to) continue
    out[a.from]!.push(a.to)
    into[a.to]!.push(a.from)
  }
  const spread = (amounts: readonly bigint[], adjacency: number[][]) => {
    const reach = new Array<bigint>(n).fill(0n)
    const mark = new Int32Array(n).fill(-1)
    const stack: number[] = []
    for (let s = 0; s < n; s++) {
      const amount = amounts[s]!
      if (amount === 0n) continue
      mark[s] = s
      stack.push(s)
      while (stack.length > 0) {
        const u = stack.pop()!
        reach[u] = reach[u]! + amount
        for (const v of adjacency[u]!) {
          if (mark[v] === s) continue
          mark[v] = s
          stack.push(v)
        }
      }
    }
    return reach
  }
  const noMinimum = network.arcs.every((a) => a.minFlow <= 1n)
  // Strongly connected (as a full mesh of routes is): every node reaches every other, so both
  // sums are totals; one search each way from node 0 tells.
  const reachesAll = (adjacency: number[][]) => {
    const seen = new Uint8Array(n)
    const stack = [0]
    seen[0] = 1
    let count = 1
    while (stack.length > 0) {
      for (const v of adjacency[stack.pop()!]!) {
        if (seen[v] === 1) continue
        seen[v] = 1
        count++
        stack.push(v)
      }
    }
    return count === n
  }
  if (n > 0 && reachesAll(out) && reachesAll(into)) {
    const totalSupply = network.supply.reduce((x, y) => x + y, 0n)
    const totalDemand = network.demand.reduce((x, y) => x + y, 0n)
    const bound = noMinimum && totalDemand < totalSupply ? totalDemand : totalSupply
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
    return network.arcs.map((a) => (a.capacity < bound ? a.capacity : bound))
  }
  const supplyReaching = spread(network.supply, out)
  const demandReached = noMinimum ? spread(network.demand, into) : undefined
  return network.arcs.map((a) => {
    let cap = a.capacity
    const s = supplyReaching[a.from]!
    if (s < cap) cap = s
    if (demandReached !== undefined && demandReached[a.to]! < cap) cap = demandReached[a.to]!
    return cap
  })
}
