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
 * blocking flow (BFS levels + current-arc DFS over the phase's arcs of reduced cost 0, listed once
 * per phase) then saturates all shortest paths at once. The result is exact for any amounts: the
 * search runs on doubles in typed arrays only when every value it meets is an integer below 2^53
 * (see `numberCosts`: costs over their gcd, a cost shared by all arcs into the sink shifted out),
 * and on bigints otherwise; both take the same steps.
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
  // Every source-sink path ends with exactly one arc into the sink (the search stops there), so a
  // cost shared by all arcs into the sink shifts every path by the same amount: it is taken out
  // of the arcs (potentials absorb it at the sink) and added back to each path's cost. That keeps
  // a shortfall penalty far above 2^53 out of the arithmetic.
  const sinkShift = uniformSinkCost(graph, sink)
  const scaled = numberCosts(graph, source, sink, sinkShift)
  if (scaled !== undefined) return minCostFlowNumber(graph, source, sink, sinkShift, scaled)
  return minCostFlowBigint(graph, source, sink)
}

/**
 * The cost shared by every forward arc into `sink` (0n when they differ, or when arcs leave the
 * sink: then paths could pass through it).
 */
function uniformSinkCost(graph: FlowGraph, sink: number): bigint {
  const { head, cost } = graph
  let shared: bigint | undefined
  for (let a = 0; a < head.length; a += 2) {
    if (head[a ^ 1] === sink) return 0n
    if (head[a] !== sink) continue
    if (shared === undefined) shared = cost[a]!
    else if (cost[a] !== shared) return 0n
  }
  return shared ?? 0n
}

/** Doubles represent every integer of magnitude up to 2^53 exactly. */
const EXACT = 2 ** 53

/** Costs divided by their common factor, as doubles, when every value the search meets stays exact. */
type NumberCosts = { cost: Float64Array; residual: Float64Array; factor: bigint }

/**
 * Number-typed costs and capacities when exact: costs (less the sink shift) divided by their
 * greatest common divisor (a common factor changes no comparison, so the search is the same),
 * with `16 (n + 2) C <= 2^53` for the largest scaled cost `C` (potentials and distances stay
 * within a few `n C`: they are shortest-path lengths over at most `n` arcs, plus the sink
 * distance added up over the phases, itself a path length), every residual capacity and the
 * total capacity out of the source at most 2^53. `undefined` otherwise (bigint search).
 */
function numberCosts(
  graph: FlowGraph,
  source: number,
  sink: number,
  sinkShift: bigint,
): NumberCosts | undefined {
  const { head, residual } = graph
  const m = head.length
  const limit = BigInt(EXACT)
  // Twins carry the negated cost and no more capacity than their forward arc: forward arcs decide.
  const forward = new Array<bigint>(m >> 1)
  let factor = 0n
  let largest = 0n
  let out = 0n
  for (let a = 0; a < m; a += 2) {
    const c = shifted(graph, a, sink, sinkShift)
    forward[a >> 1] = c
    const r = residual[a]!
    if (r > limit || residual[a + 1]! > limit) return undefined
    if (head[a + 1] === source) out += r
    if (c === 0n) continue
    const abs = c < 0n ? -c : c
    if (abs > largest) largest = abs
    if (factor !== 1n && (factor === 0n || abs % factor !== 0n))
      factor = factor === 0n ? abs : gcd(factor, abs)
  }
  if (out > limit) return undefined
  if (factor === 0n) factor = 1n
  if (16n * BigInt(graph.nodeCount + 2) * (largest / factor) > limit) return undefined
  const scaledCost = new Float64Array(m)
  const scaledResidual = new Float64Array(m)
  for (let a = 0; a < m; a += 2) {
    const c = forward[a >> 1]!
    const x = c === 0n ? 0 : factor === 1n ? Number(c) : Number(c / factor)
    scaledCost[a] = x
    scaledCost[a + 1] = -x
    scaledResidual[a] = Number(residual[a]!)
    scaledResidual[a + 1] = Number(residual[a + 1]!)
  }
  return { cost: scaledCost, residual: scaledResidual, factor }
}

/** Cost of arc `a` with the sink shift taken out (arcs into the sink and their twins). */
function shifted(graph: FlowGraph, a: number, sink: number, sinkShift: bigint): bigint {
  const c = graph.cost[a]!
  if (sinkShift === 0n) return c
  if ((a & 1) === 0) return graph.head[a] === sink ? c - sinkShift : c
  return graph.head[a ^ 1] === sink ? c + sinkShift : c
}

/** Greatest common divisor of two positive bigints. */
function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/**
 * {@link minCostFlow} on doubles (see {@link numberCosts} for why it is exact): the same steps as
 * {@link minCostFlowBigint}, on typed arrays and a preallocated heap; residual capacities are
 * written back to the graph as bigints at the end.
 */
function minCostFlowNumber(
  graph: FlowGraph,
  source: number,
  sink: number,
  sinkShift: bigint,
  scaled: NumberCosts,
): MinCostFlowResult {
  const n = graph.nodeCount
  const m = graph.head.length
  const head = Int32Array.from(graph.head)
  const next = Int32Array.from(graph.next)
  const first = Int32Array.from(graph.first)
  const { cost, residual } = scaled
  // Bellman-Ford exactly when the bigint search would run it (some usable arc of negative cost).
  const negative = graph.cost.some((c, a) => c < 0n && graph.residual[a]! > 0n)
  const potential = negative
    ? initialPotentialsNumber(n, head, next, first, residual, cost, source)
    : new Float64Array(n)
  const dist = new Float64Array(n)
  const settled = new Uint8Array(n)
  const reached = new Uint8Array(n)
  const level = new Int32Array(n)
  const current = new Int32Array(n)
  const queue = new Int32Array(n)
  const pathArcs = new Int32Array(n + 1)
  // Arcs of reduced cost 0 grouped by tail: tight[start[u] .. start[u + 1]).
  const tight = new Int32Array(m)
  const start = new Int32Array(n + 1)
  // Lazy-deletion heap: at most one entry per relaxation, so m + 1 slots suffice.
  const heapKey = new Float64Array(m + 1)
  const heapNode = new Int32Array(m + 1)
  const { factor } = scaled
  let flow = 0
  let totalCost = 0n
  let phases = 0

  for (;;) {
    settled.fill(0)
    reached.fill(0)
    dist[source] = 0
    reached[source] = 1
    let size = 1
    heapKey[0] = 0
    heapNode[0] = source
    let sinkDist = -1
    while (size > 0) {
      const d: number = heapKey[0]!
      const u: number = heapNode[0]!
      // Pop: move the last entry down from the root.
      size--
      if (size > 0) {
        const lastKey = heapKey[size]!
        const lastNode = heapNode[size]!
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          if (l >= size) break
          const r = l + 1
          const c = r < size && heapKey[r]! < heapKey[l]! ? r : l
          if (heapKey[c]! >= lastKey) break
          heapKey[i] = heapKey[c]!
          heapNode[i] = heapNode[c]!
          i = c
        }
        heapKey[i] = lastKey
        heapNode[i] = lastNode
      }
      if (settled[u] === 1 || d !== dist[u]) continue
      settled[u] = 1
      if (u === sink) {
        sinkDist = d
        break
      }
      const pu = potential[u]!
      for (let a: number = first[u]!; a !== -1; a = next[a]!) {
        if (residual[a]! <= 0) continue
        const v = head[a]!
        if (settled[v] === 1) continue
        const nd = d + cost[a]! + pu - potential[v]!
        if (reached[v] === 0 || nd < dist[v]!) {
          reached[v] = 1
          dist[v] = nd
          // Push: sift up from the end.
          let i = size++
          while (i > 0) {
            const parent = (i - 1) >> 1
            if (heapKey[parent]! <= nd) break
            heapKey[i] = heapKey[parent]!
            heapNode[i] = heapNode[parent]!
            i = parent
          }
          heapKey[i] = nd
          heapNode[i] = v
        }
      }
    }
    if (sinkDist < 0) break
    for (let v = 0; v < n; v++) {
      potential[v] = potential[v]! + (settled[v] === 1 && dist[v]! < sinkDist ? dist[v]! : sinkDist)
    }
    const pathCost = BigInt(potential[sink]! - potential[source]!) * factor + sinkShift
    if (pathCost >= 0n) break
    phases++

    // The arcs of reduced cost 0 stay the same through the phase (potentials are fixed): list
    // them once per tail, in adjacency order, so the blocking flows scan only them.
    let k = 0
    for (let u = 0; u < n; u++) {
      start[u] = k
      const pu = potential[u]!
      for (let a = first[u]!; a !== -1; a = next[a]!) {
        if (cost[a]! + pu - potential[head[a]!]! === 0) tight[k++] = a
      }
    }
    start[n] = k
    for (;;) {
      level.fill(-1)
      level[source] = 0
      let qh = 0
      let qt = 0
      queue[qt++] = source
      while (qh < qt) {
        const u = queue[qh++]!
        for (let i = start[u]!, end = start[u + 1]!; i < end; i++) {
          const a = tight[i]!
          const v = head[a]!
          if (level[v] !== -1 || residual[a]! <= 0) continue
          level[v] = level[u]! + 1
          queue[qt++] = v
        }
      }
      if (level[sink] === -1) break
      current.set(start.subarray(0, n))
      for (;;) {
        // One augmenting path in the level graph (iterative DFS with current-arc pointers).
        let pushed = 0
        let depth = 0
        let u = source
        for (;;) {
          if (u === sink) {
            let bottleneck = Number.POSITIVE_INFINITY
            for (let i = 0; i < depth; i++) {
              const r = residual[pathArcs[i]!]!
              if (r < bottleneck) bottleneck = r
            }
            for (let i = 0; i < depth; i++) {
              const a = pathArcs[i]!
              residual[a] = residual[a]! - bottleneck
              residual[a ^ 1] = residual[a ^ 1]! + bottleneck
            }
            pushed = bottleneck
            break
          }
          let i = current[u]!
          const end = start[u + 1]!
          const nextLevel = level[u]! + 1
          for (; i < end; i++) {
            const a = tight[i]!
            if (residual[a]! > 0 && level[head[a]!] === nextLevel) break
          }
          current[u] = i
          if (i < end) {
            const a = tight[i]!
            pathArcs[depth++] = a
            u = head[a]!
            continue
          }
          if (u === source) break
          level[u] = -1
          const back = pathArcs[--depth]!
          u = head[back ^ 1]!
          current[u] = current[u]! + 1
        }
        if (pushed === 0) break
        flow += pushed
        totalCost += BigInt(pushed) * pathCost
      }
    }
  }
  const out = graph.residual
  for (let a = 0; a < m; a++) {
    const r = residual[a]!
    // Unchanged entries keep their bigint (no allocation).
    if (Number(out[a]!) !== r) out[a] = BigInt(r)
  }
  return { flow: BigInt(flow), cost: totalCost, phases }
}

/** {@link initialPotentials} on doubles. */
function initialPotentialsNumber(
  n: number,
  head: Int32Array,
  next: Int32Array,
  first: Int32Array,
  residual: Float64Array,
  cost: Float64Array,
  source: number,
): Float64Array {
  const potential = new Float64Array(n)
  const known = new Uint8Array(n)
  const inQueue = new Uint8Array(n)
  const queue: number[] = [source]
  known[source] = 1
  inQueue[source] = 1
  for (let qh = 0; qh < queue.length; qh++) {
    const u = queue[qh]!
    inQueue[u] = 0
    for (let a = first[u]!; a !== -1; a = next[a]!) {
      if (residual[a]! <= 0) continue
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
  let top = 0
  for (let v = 0; v < n; v++) if (known[v] === 1 && potential[v]! > top) top = potential[v]!
  for (let v = 0; v < n; v++) if (known[v] === 0) potential[v] = top
  return potential
}

function minCostFlowBigint(graph: FlowGraph, source: number, sink: number): MinCostFlowResult {
  const n = graph.nodeCount
  const { head, next, first, residual, cost } = graph
  const potential = initialPotentials(graph, source)
  const dist: bigint[] = new Array<bigint>(n).fill(0n)
  const settled = new Uint8Array(n)
  const level = new Int32Array(n)
  const current = new Int32Array(n)
  const queue = new Int32Array(n)
  const tight = new Int32Array(head.length)
  const start = new Int32Array(n + 1)
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

    // Blocking flows on the admissible subgraph (residual > 0 and reduced cost 0). The arcs of
    // reduced cost 0 stay the same through the phase (potentials are fixed): list them once per
    // tail, in adjacency order, so the blocking flows scan only them.
    let k = 0
    for (let u = 0; u < n; u++) {
      start[u] = k
      const pu = potential[u]!
      for (let a = first[u]!; a !== -1; a = next[a]!) {
        if (cost[a]! + pu === potential[head[a]!]!) tight[k++] = a
      }
    }
    start[n] = k
    for (;;) {
      level.fill(-1)
      level[source] = 0
      let qh = 0
      let qt = 0
      queue[qt++] = source
      while (qh < qt) {
        const u = queue[qh++]!
        for (let i = start[u]!, end = start[u + 1]!; i < end; i++) {
          const a = tight[i]!
          const v = head[a]!
          if (level[v] !== -1 || residual[a]! <= 0n) continue
          level[v] = level[u]! + 1
          queue[qt++] = v
        }
      }
      if (level[sink] === -1) break
      current.set(start.subarray(0, n))
      for (;;) {
        const pushed = augment(graph, tight, start, level, current, source, sink)
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

/**
 * One augmenting path in the level graph by iterative DFS with current-arc pointers (positions in
 * the phase's list of arcs of reduced cost 0).
 */
function augment(
  graph: FlowGraph,
  tight: Int32Array,
  start: Int32Array,
  level: Int32Array,
  current: Int32Array,
  source: number,
  sink: number,
): bigint {
  const { head, residual } = graph
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
    let i = current[u]!
    const end = start[u + 1]!
    const nextLevel = level[u]! + 1
    for (; i < end; i++) {
      const a = tight[i]!
      if (residual[a]! > 0n && level[head[a]!] === nextLevel) break
    }
    current[u] = i
    if (i < end) {
      const a = tight[i]!
      pathArcs.push(a)
      u = head[a]!
      continue
    }
    // Dead end: retreat and skip the arc that led here.
    if (u === source) return 0n
    level[u] = -1
    const back = pathArcs.pop()!
    u = head[back ^ 1]!
    current[u] = current[u]! + 1
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
