/**
 * A directed graph with bigint capacities and costs, for {@link minCostFlow}. Arcs are stored in
 * pairs: arc `2k` is the forward arc, `2k + 1` its residual twin (capacity 0, negated cost), so the
 * twin of arc `a` is `a ^ 1`.
 */
export type FlowGraph = {
  readonly nodeCount: number
  /** Head (target node) of each arc. */
  readonly head: number[]
  /** Next arc leaving the same tail (adjacency lists as linked lists; -1 ends a list). */
  readonly next: number[]
  /** First arc leaving each node, -1 if none. */
  readonly first: number[]
  /** Remaining (residual) capacity of each arc. */
  readonly residual: bigint[]
  /** Cost per unit of flow of each arc. */
  readonly cost: bigint[]
  /** Capacity each forward arc was created with (twins: 0). */
  readonly capacity: bigint[]
}

/**
 * Creates an empty {@link FlowGraph} with `nodeCount` nodes.
 *
 * @param nodeCount - number of nodes, addressed `0 .. nodeCount - 1`
 * @returns the graph
 * @example
 * ```ts
 * const g = createFlowGraph(2)
 * const arc = addArc(g, 0, 1, 10n, 3n)
 * ```
 */
export function createFlowGraph(nodeCount: number): FlowGraph {
  return {
    nodeCount,
    head: [],
    next: [],
    first: new Array<number>(nodeCount).fill(-1),
    residual: [],
    cost: [],
    capacity: [],
  }
}

/**
 * Adds an arc `from -> to` with a capacity and a cost per unit, and its residual twin.
 *
 * @param graph - the graph
 * @param from - tail node
 * @param to - head node
 * @param capacity - maximum flow (>= 0)
 * @param cost - cost per unit of flow (may be negative; the graph must have no negative cycle)
 * @returns the id of the forward arc; its flow after solving is {@link arcFlow}
 * @example
 * ```ts
 * const arc = addArc(createFlowGraph(2), 0, 1, 5n, 1n)
 * ```
 */
export function addArc(graph: FlowGraph, from: number, to: number, capacity: bigint, cost: bigint): number {
  const id = graph.head.length
  graph.head.push(to, from)
  graph.next.push(graph.first[from]!, graph.first[to]!)
  graph.first[from] = id
  graph.first[to] = id + 1
  graph.residual.push(capacity, 0n)
  graph.cost.push(cost, -cost)
  graph.capacity.push(capacity, 0n)
  return id
}

/**
 * Flow on a forward arc after {@link minCostFlow}: its capacity minus its residual capacity.
 *
 * @param graph - the solved graph
 * @param arc - id returned by {@link addArc}
 * @returns the flow on the arc
 * @example
 * ```ts
 * const f = arcFlow(g, arc)
 * ```
 */
export function arcFlow(graph: FlowGraph, arc: number): bigint {
  return graph.capacity[arc]! - graph.residual[arc]!
}

/** What {@link minCostFlow} found. */
export type MinCostFlowResult = {
  /** Total flow sent from source to sink. */
  flow: bigint
  /** Total cost of that flow (sum over arcs of flow x cost). */
  cost: bigint
  /** Dijkstra phases run (each followed by one or more blocking flows). */
  phases: number
}

/**
 * Min-cost flow of free amount: sends flow from `source` to `sink` along every path of negative
 * total cost, cheapest first, and stops when the cheapest remaining path costs >= 0. The result
 * is a flow of minimum total cost among all flows (of any value) — with rewards (negative costs)
 * on the arcs into the sink this is a min-cost *maximum* rewarded flow, which is how the planner
 * says "meet as many deficits as possible, then as cheaply as possible".
 *
 * Method: the primal-dual variant of successive shortest paths (Ahuja, Magnanti & Orlin,
 * "Network Flows", 1993, sections 9.7 and 9.8). Node potentials `p` keep every residual arc's
 * reduced cost `c(u,v) + p(u) - p(v)` non-negative, so shortest paths come from Dijkstra. Initial
 * potentials come from Bellman-Ford (queue-based) when some arc cost is negative. After each
 * Dijkstra the potentials move by `min(dist(v), dist(sink))`, which keeps reduced costs
 * non-negative and makes every arc of a shortest path admissible (reduced cost 0); a Dinic
 * blocking flow (BFS levels + current-arc DFS) then saturates all shortest paths at once. All
 * arithmetic is on bigints, so the result is exact for any amounts.
 *
 * Optimality: the final flow has no negative-cost augmenting path and no negative residual cycle
 * (reduced costs >= 0 under the potentials), the optimality condition of min-cost flow
 * (AMO theorem 9.3).
 *
 * @param graph - the graph; arcs' residual capacities are updated in place
 * @param source - source node
 * @param sink - sink node
 * @returns total flow, total cost and number of phases
 * @example
 * ```ts
 * const g = createFlowGraph(3)
 * addArc(g, 0, 1, 10n, 0n)
 * const a = addArc(g, 1, 2, 4n, -5n)
 * minCostFlow(g, 0, 2) // { flow: 4n, cost: -20n, phases: 1 }
 * arcFlow(g, a) // 4n
 * ```
 */
export function minCostFlow(graph: FlowGraph, source: number, sink: number): MinCostFlowResult {
  const n = graph.nodeCount
  const { head, next, first, residual, cost } = graph
  const potential = initialPotentials(graph, source)
  const dist: bigint[] = new Array<bigint>(n).fill(0n)
  const settled = new Uint8Array(n)
  const level = new Int32Array(n)
  const current = new Int32Array(n)
  const queue = new Int32Array(n)
  let flow = 0n
  let totalCost = 0n
  let phases = 0

  for (;;) {
    // Dijkstra on reduced costs, stopping once the sink is settled.
    settled.fill(0)
    const reached = new Uint8Array(n)
    const heap = new BigintHeap()
    dist[source] = 0n
    reached[source] = 1
    heap.push(0n, source)
    let sinkDist = -1n
    while (heap.size > 0) {
      const [d, u] = heap.pop()
      if (settled[u] === 1 || d !== dist[u]) continue
      settled[u] = 1
      if (u === sink) {
        sinkDist = d
        break
      }
      const pu = potential[u]!
      for (let a = first[u]!; a !== -1; a = next[a]!) {
        if (residual[a]! <= 0n) continue
        const v = head[a]!
        if (settled[v] === 1) continue
        const nd = d + cost[a]! + pu - potential[v]!
        if (reached[v] === 0 || nd < dist[v]!) {
          reached[v] = 1
          dist[v] = nd
          heap.push(nd, v)
        }
      }
    }
    if (sinkDist < 0n) break
    for (let v = 0; v < n; v++) {
      potential[v] = potential[v]! + (settled[v] === 1 && dist[v]! < sinkDist ? dist[v]! : sinkDist)
    }
    // Actual cost of every shortest source-sink path.
    const pathCost = potential[sink]! - potential[source]!
    if (pathCost >= 0n) break
    phases++

    // Blocking flows on the admissible subgraph (residual > 0 and reduced cost 0).
    for (;;) {
      level.fill(-1)
      level[source] = 0
      let qh = 0
      let qt = 0
      queue[qt++] = source
      while (qh < qt) {
        const u = queue[qh++]!
        const pu = potential[u]!
        for (let a = first[u]!; a !== -1; a = next[a]!) {
          const v = head[a]!
          if (level[v] !== -1 || residual[a]! <= 0n) continue
          if (cost[a]! + pu - potential[v]! !== 0n) continue
          level[v] = level[u]! + 1
          queue[qt++] = v
        }
      }
      if (level[sink] === -1) break
      for (let v = 0; v < n; v++) current[v] = first[v]!
      for (;;) {
        const pushed = augment(graph, potential, level, current, source, sink)
        if (pushed === 0n) break
        flow += pushed
        totalCost += pushed * pathCost
      }
    }
  }
  return { flow, cost: totalCost, phases }
}

/** Largest finite amount the DFS may push at once: more than any uint256. */
const UNBOUNDED = 1n << 512n

/** One augmenting path in the level graph by iterative DFS with current-arc pointers. */
function augment(
  graph: FlowGraph,
  potential: bigint[],
  level: Int32Array,
  current: Int32Array,
  source: number,
  sink: number,
): bigint {
  const { head, next, residual, cost } = graph
  const pathArcs: number[] = []
  let u = source
  for (;;) {
    if (u === sink) {
      let bottleneck = UNBOUNDED
      for (const a of pathArcs) if (residual[a]! < bottleneck) bottleneck = residual[a]!
      for (const a of pathArcs) {
        residual[a] = residual[a]! - bottleneck
        residual[a ^ 1] = residual[a ^ 1]! + bottleneck
      }
      return bottleneck
    }
    let a = current[u]!
    const pu = potential[u]!
    for (; a !== -1; a = next[a]!) {
      const v = head[a]!
      if (residual[a]! > 0n && level[v] === level[u]! + 1 && cost[a]! + pu - potential[v]! === 0n) break
    }
    current[u] = a
    if (a !== -1) {
      pathArcs.push(a)
      u = head[a]!
      continue
    }
    // Dead end: retreat and skip the arc that led here.
    if (u === source) return 0n
    level[u] = -1
    const back = pathArcs.pop()!
    u = head[back ^ 1]!
    current[u] = next[current[u]!]!
  }
}

/**
 * Shortest distances from the source by queue-based Bellman-Ford (only when some arc cost is
 * negative; zeros otherwise), so that every reduced cost starts non-negative.
 */
function initialPotentials(graph: FlowGraph, source: number): bigint[] {
  const n = graph.nodeCount
  const { head, next, first, residual, cost } = graph
  const potential = new Array<bigint>(n).fill(0n)
  if (!cost.some((c, a) => c < 0n && residual[a]! > 0n)) return potential
  const known = new Uint8Array(n)
  const inQueue = new Uint8Array(n)
  const queue: number[] = [source]
  known[source] = 1
  inQueue[source] = 1
  for (let qh = 0; qh < queue.length; qh++) {
    const u = queue[qh]!
    inQueue[u] = 0
    for (let a = first[u]!; a !== -1; a = next[a]!) {
      if (residual[a]! <= 0n) continue
      const v = head[a]!
      const nd = potential[u]! + cost[a]!
      if (known[v] === 0 || nd < potential[v]!) {
        known[v] = 1
        potential[v] = nd
        if (inQueue[v] === 0) {
          inQueue[v] = 1
          queue.push(v)
        }
      }
    }
  }
  // Nodes the source cannot reach stay unreachable (their residual arcs never gain capacity); a
  // potential above every reachable one keeps arcs into them non-negative.
  let top = 0n
  for (let v = 0; v < n; v++) if (known[v] === 1 && potential[v]! > top) top = potential[v]!
  for (let v = 0; v < n; v++) if (known[v] === 0) potential[v] = top
  return potential
}

/** Binary min-heap of (bigint key, node) pairs with lazy deletion by the caller. */
class BigintHeap {
  private keys: bigint[] = []
  private nodes: number[] = []
  get size(): number {
    return this.keys.length
  }
  push(key: bigint, node: number): void {
    const { keys, nodes } = this
    let i = keys.length
    keys.push(key)
    nodes.push(node)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key) break
      keys[i] = keys[parent]!
      nodes[i] = nodes[parent]!
      i = parent
    }
    keys[i] = key
    nodes[i] = node
  }
  pop(): [bigint, number] {
    const { keys, nodes } = this
    const topKey = keys[0]!
    const topNode = nodes[0]!
    const lastKey = keys.pop()!
    const lastNode = nodes.pop()!
    const n = keys.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && keys[r]! < keys[l]! ? r : l
        if (keys[c]! >= lastKey) break
        keys[i] = keys[c]!
        nodes[i] = nodes[c]!
        i = c
      }
      keys[i] = lastKey
      nodes[i] = lastNode
    }
    return [topKey, topNode]
  }
}
