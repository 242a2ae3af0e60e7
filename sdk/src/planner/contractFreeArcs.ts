import type { DemandTier, FixedChargeNetwork } from './FixedChargeNetwork.js'

/** Result of {@link contractFreeArcs}. */
export type ContractedNetwork = {
  /** The network over clusters: one node per cluster, free arcs gone. */
  network: FixedChargeNetwork
  /** Original arc of each contracted arc. */
  arcOf: readonly number[]
  /** Cluster of each original node. */
  clusterOf: readonly number[]
  /** Flows of the original network from flows of the contracted one. */
  expand: (flows: readonly bigint[]) => bigint[]
}

/**
 * Netting: contracts clusters of nodes joined by free arcs in both directions (no unit cost, no
 * fixed cost, unlimited capacity, no minimum), such as members moving funds through their chain's
 * pool account. Inside a cluster moving funds costs nothing and nothing limits it, so opposing
 * needs cancel there: a cluster is one node with its members' summed supply and summed demand
 * (both: its own supply meets its own demand first in any optimal flow, yet it may also send more
 * than its net surplus, leaving a member short, where a minimum transfer size makes that pay).
 * Demand tiers (a shortfall in tokens) are the members' tiers together. Every solution of the
 * contracted network maps to one of the original with the same cost and shortfall and vice versa,
 * so optimality carries over; the contracted network is far smaller (50 chains x 20 members: 1,050
 * nodes become 50 per asset).
 *
 * `expand` puts the contracted flows back on their arcs, then settles each cluster along a spanning
 * tree of its free arcs: first every member that sends more than it holds is covered (so the plan
 * stays executable), then demands are filled, whole units before the last partial units, heaviest
 * first (the order the cluster's tiers are valued in); each tree edge carries the net of the
 * subtree below it (one transfer per edge at most).
 *
 * @param network - the network
 * @param free - per arc: may it be contracted (the caller checks fees, capacity and latency)
 * @returns the contracted network and the way back
 * @example
 * ```ts
 * const { network: small, expand } = contractFreeArcs(network, network.arcs.map(isFree))
 * const flows = expand(solveFixedCharge(small, { maxBranchNodes: 100 }).flows)
 * ```
 */
export function contractFreeArcs(network: FixedChargeNetwork, free: readonly boolean[]): ContractedNetwork {
  const n = network.nodeCount
  // Undirected free edges: both directions must be free arcs.
  // Keyed `from * n + to` (exact: node counts are far below 2^26).
  const freeArc = new Map<number, number>()
  network.arcs.forEach((a, r) => {
    if (free[r] && a.from !== a.to) freeArc.set(a.from * n + a.to, r)
  })
  const adjacency: number[][] = Array.from({ length: n }, () => [])
  for (const key of freeArc.keys()) {
    const u = Math.floor(key / n)
    const v = key % n
    if (u < v && freeArc.has(v * n + u)) {
      adjacency[u]!.push(v)
      adjacency[v]!.push(u)
    }
  }
  // Clusters and a BFS spanning tree of each.
  const clusterOf = new Array<number>(n).fill(-1)
  const parent = new Array<number>(n).fill(-1)
  const members: number[][] = []
  for (let root = 0; root < n; root++) {
    if (clusterOf[root] !== -1) continue
    const c = members.length
    const order = [root]
    clusterOf[root] = c
    for (let i = 0; i < order.length; i++) {
      const u = order[i]!
      for (const v of adjacency[u]!) {
        if (clusterOf[v] !== -1) continue
        clusterOf[v] = c
        parent[v] = u
        order.push(v)
      }
    }
    members.push(order)
  }
  const supply = members.map(() => 0n)
  const demand = members.map(() => 0n)
  const tiers = network.demandTiers
  const clusterTiers: DemandTier[][] | undefined = tiers === undefined ? undefined : members.map(() => [])
  members.forEach((order, c) => {
    for (const v of order) {
      supply[c] = supply[c]! + network.supply[v]!
      demand[c] = demand[c]! + network.demand[v]!
      if (clusterTiers !== undefined && network.demand[v]! > 0n) {
        clusterTiers[c]!.push(...(tiers![v] ?? [{ units: network.demand[v]!, weight: 1n }]))
      }
    }
  })
  const arcOf: number[] = []
  const arcs: FixedChargeNetwork['arcs'][number][] = []
  network.arcs.forEach((a, r) => {
    const from = clusterOf[a.from]!
    const to = clusterOf[a.to]!
    // Arcs inside a cluster are never needed: moving funds there is already free.
    if (from === to) return
    arcOf.push(r)
    arcs.push({ ...a, from, to })
  })
  const contracted: FixedChargeNetwork = {
    nodeCount: members.length,
    supply,
    demand,
    arcs,
    ...(clusterTiers === undefined ? {} : { demandTiers: clusterTiers }),
  }

  const expand = (flows: readonly bigint[]): bigint[] => {
    const out = network.arcs.map(() => 0n)
    const excess = [...network.supply].map((s, v) => s - network.demand[v]!)
    flows.forEach((f, k) => {
      if (f === 0n) return
      const r = arcOf[k]!
      out[r] = f
      const a = network.arcs[r]!
      excess[a.from] = excess[a.from]! - f
      excess[a.to] = excess[a.to]! + f
    })
    // Per node (clusters are disjoint, so one array serves them all): what it holds after the
    // contracted flows (`avail`: own supply plus inflows less outflows), what it keeps, its net
    // (gives > 0, receives < 0), and the sum of its subtree of the spanning tree.
    const keep = new Array<bigint>(n).fill(0n)
    const net = new Array<bigint>(n).fill(0n)
    const subtree = new Array<bigint>(n).fill(0n)
    for (const order of members) {
      if (order.length === 1) continue
      // The cluster as a whole never sends more than it holds: the members' holdings sum >= 0.
      let budget = 0n
      for (const v of order) budget += excess[v]! + network.demand[v]!
      const avail = (v: number) => excess[v]! + network.demand[v]!
      const give = (v: number, want: bigint) => {
        const amount = want < budget ? want : budget
        if (amount <= 0n) return
        keep[v] = keep[v]! + amount
        budget -= amount
      }
      // Demand tiers of the members, heaviest first (the cluster's tiers are valued so); within a
      // weight, members keep what they hold first, then the rest is shared out.
      const entries: { v: number; units: bigint; weight: bigint; filled: bigint }[] = []
      for (const v of order) {
        if (network.demand[v]! === 0n) continue
        for (const t of tiers?.[v] ?? [{ units: network.demand[v]!, weight: 1n }]) {
          entries.push({ v, units: t.units, weight: t.weight, filled: 0n })
        }
      }
      entries.sort((x, y) => (y.weight > x.weight ? 1 : y.weight < x.weight ? -1 : 0))
      for (let i = 0; i < entries.length; ) {
        let j = i
        while (j < entries.length && entries[j]!.weight === entries[i]!.weight) j++
        for (let pass = 0; pass < 2; pass++) {
          for (let k = i; k < j; k++) {
            const e = entries[k]!
            const own = avail(e.v) - keep[e.v]!
            let want = e.units - e.filled
            if (pass === 0 && own < want) want = own <= 0n ? 0n : own
            const before = budget
            give(e.v, want)
            e.filled += before - budget
          }
        }
        i = j
      }
      // What is left stays where it is (never more than a member holds).
      for (const v of order) {
        const spare = avail(v) - keep[v]!
        if (spare > 0n) give(v, spare)
      }
      for (const v of order) net[v] = avail(v) - keep[v]!
      // Subtree sums, leaves first (reverse BFS order): the edge to the parent carries them.
      for (let i = order.length - 1; i > 0; i--) {
        const v = order[i]!
        const sum = subtree[v]! + net[v]!
        const p = parent[v]!
        subtree[p] = subtree[p]! + sum
        if (sum > 0n) {
          const up = freeArc.get(v * n + p)!
          out[up] = out[up]! + sum
        } else if (sum < 0n) {
          const down = freeArc.get(p * n + v)!
          out[down] = out[down]! - sum
        }
      }
    }
    return out
  }
  return { network: contracted, arcOf, clusterOf, expand }
}
