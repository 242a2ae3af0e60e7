import type { FixedChargeNetwork } from './solveFixedCharge.js'

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
 * needs cancel there: a cluster is one node whose supply or demand is the net of its members'
 * (`max(0, sum supply - sum demand)` and the converse). Every solution of the contracted network
 * maps to one of the original with the same cost and shortfall and vice versa, so optimality
 * carries over; the contracted network is far smaller (50 chains x 20 members: 1,050 nodes become
 * 50 per asset).
 *
 * `expand` puts the contracted flows back on their arcs, then settles each cluster along a spanning
 * tree of its free arcs: nodes left with more than they may keep give it (funds that arrived for
 * forwarding first, then own surplus) to nodes still short, and each tree edge carries the net of the
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
  members.forEach((order, c) => {
    let net = 0n
    for (const v of order) net += network.supply[v]! - network.demand[v]!
    if (net > 0n) supply[c] = net
    else demand[c] = -net
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
  const contracted: FixedChargeNetwork = { nodeCount: members.length, supply, demand, arcs }

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
    // Per node (clusters are disjoint, so one array serves them all): what it gives inside its
    // cluster, its net (gives > 0, receives < 0), and the sum of its subtree of the spanning tree.
    const give = new Array<bigint>(n).fill(0n)
    const net = new Array<bigint>(n).fill(0n)
    const subtree = new Array<bigint>(n).fill(0n)
    for (const order of members) {
      if (order.length === 1) continue
      let need = 0n
      for (const v of order) if (excess[v]! < 0n) need -= excess[v]!
      // Funds that arrived for forwarding go first, then own surplus.
      for (let pass = 0; pass < 2; pass++) {
        for (const v of order) {
          if (need === 0n) break
          const spare = excess[v]! - give[v]!
          if (spare <= 0n) continue
          const own = network.supply[v]!
          const forward = spare > own ? spare - own : 0n
          const available = pass === 0 ? forward : spare
          const amount = available < need ? available : need
          if (amount <= 0n) continue
          give[v] = give[v]! + amount
          need -= amount
        }
      }
      let received = 0n
      for (const v of order) {
        received += give[v]!
        net[v] = give[v]!
      }
      for (const v of order) {
        if (received === 0n) break
        if (excess[v]! >= 0n) continue
        let take = -excess[v]!
        if (take > received) take = received
        net[v] = net[v]! - take
        received -= take
      }
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
