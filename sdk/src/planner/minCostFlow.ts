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
  if (scaled === undefined) {
    const { residual, cost } = graph
    return primalDual(graph, residual as unknown as Scalars, cost as unknown as Scalars, BIGINT, source, sink)
  }
  const result = primalDual(
    graph,
    scaled.residual,
    scaled.cost,
    { ...DOUBLE, factor: scaled.factor, shift: sinkShift },
    source,
    sink,
  )
  const out = graph.residual
  for (let a = 0; a < out.length; a++) {
    const r = scaled.residual[a]!
    // Unchanged entries keep their bigint (no allocation).
    if (Number(out[a]!) !== r) out[a] = BigInt(r)
  }
  return result
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
 * A value of the search: a double in the double backend, a bigint in the bigint backend. The
 * skeleton below is written once with the operators `+`, `-`, `<`, `<=` and `===`, which
 * JavaScript defines alike on numbers and on bigints (never mixed: every value of one run comes
 * from one backend, constants included), so both backends take the same steps by construction.
 */
type Scalar = number

/** Residual capacities, costs, potentials, distances: a Float64Array or a bigint[]. */
type Scalars = { [index: number]: Scalar; readonly length: number }

/** What differs between the two backends: constants, storage and the way back to bigints. */
type Backend = {
  zero: Scalar
  /** More than any amount the search may push at once. */
  unbounded: Scalar
  /** `length` values, all zero. */
  zeros: (length: number) => Scalars
  toBigint: (x: Scalar) => bigint
  /** Each path cost found is `toBigint(cost) * factor + shift` (see {@link numberCosts}). */
  factor: bigint
  shift: bigint
}

const DOUBLE: Backend = {
  zero: 0,
  unbounded: Number.POSITIVE_INFINITY,
  zeros: (length) => new Float64Array(length),
  toBigint: (x) => BigInt(x),
  factor: 1n,
  shift: 0n,
}

/** Largest finite amount the bigint DFS may push at once: more than any uint256. */
const UNBOUNDED = 1n << 512n

const BIGINT: Backend = {
  zero: 0n as unknown as Scalar,
  unbounded: UNBOUNDED as unknown as Scalar,
  zeros: (length) => new Array<bigint>(length).fill(0n) as unknown as Scalars,
  toBigint: (x) => x as unknown as bigint,
  factor: 1n,
  shift: 0n,
}

/**
 * The primal-dual search of {@link minCostFlow} on one backend's values: Dijkstra on reduced costs
 * with a lazy-deletion binary heap (at most one entry per relaxation, so `m + 1` slots), potential
 * update, then Dinic blocking flows on the phase's arcs of reduced cost 0 (listed once per tail,
 * in adjacency order: potentials are fixed through the phase). `residual` is updated in place.
 */
function primalDual(
  graph: FlowGraph,
  residual: Scalars,
  cost: Scalars,
  backend: Backend,
  source: number,
  sink: number,
): MinCostFlowResult {
  const n = graph.nodeCount
  const m = graph.head.length
  const head = Int32Array.from(graph.head)
  const next = Int32Array.from(graph.next)
  const first = Int32Array.from(graph.first)
  const { zero, factor, shift } = backend
  // Bellman-Ford only when some usable arc has a negative cost.
  let negative = false
  for (let a = 0; a < m && !negative; a++) negative = cost[a]! < zero && zero < residual[a]!
  const potential = backend.zeros(n)
  if (negative) initialPotentials(n, head, next, first, residual, cost, potential, zero, source)
  const dist = backend.zeros(n)
  const settled = new Uint8Array(n)
  const reached = new Uint8Array(n)
  const level = new Int32Array(n)
  const current = new Int32Array(n)
  const queue = new Int32Array(n)
  const pathArcs = new Int32Array(n + 1)
  const tight = new Int32Array(m)
  const start = new Int32Array(n + 1)
  const heapKey = backend.zeros(m + 1)
  const heapNode = new Int32Array(m + 1)
  let flow = zero
  let totalCost = 0n
  let phases = 0

  for (;;) {
    settled.fill(0)
    reached.fill(0)
    dist[source] = zero
    reached[source] = 1
    let size = 1
    heapKey[0] = zero
    heapNode[0] = source
    let sinkReached = false
    let sinkDist = zero
    while (size > 0) {
      const d = heapKey[0]!
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
        sinkReached = true
        sinkDist = d
        break
      }
      const pu = potential[u]!
      for (let a: number = first[u]!; a !== -1; a = next[a]!) {
        if (residual[a]! <= zero) continue
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
    if (!sinkReached) break
    for (let v = 0; v < n; v++) {
      potential[v] = potential[v]! + (settled[v] === 1 && dist[v]! < sinkDist ? dist[v]! : sinkDist)
    }
    // Actual cost of every shortest source-sink path.
    const pathCost = backend.toBigint(potential[sink]! - potential[source]!) * factor + shift
    if (pathCost >= 0n) break
    phases++

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
          if (level[v] !== -1 || residual[a]! <= zero) continue
          level[v] = level[u]! + 1
          queue[qt++] = v
        }
      }
      if (level[sink] === -1) break
      current.set(start.subarray(0, n))
      for (;;) {
        // One augmenting path in the level graph (iterative DFS with current-arc pointers).
        let pushed = zero
        let depth = 0
        let u = source
        for (;;) {
          if (u === sink) {
            let bottleneck = backend.unbounded
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
            if (residual[a]! > zero && level[head[a]!] === nextLevel) break
          }
          current[u] = i
          if (i < end) {
            const a = tight[i]!
            pathArcs[depth++] = a
            u = head[a]!
            continue
          }
          // Dead end: retreat and skip the arc that led here.
          if (u === source) break
          level[u] = -1
          const back = pathArcs[--depth]!
          u = head[back ^ 1]!
          current[u] = current[u]! + 1
        }
        if (pushed === zero) break
        flow = flow + pushed
        totalCost += backend.toBigint(pushed) * pathCost
      }
    }
  }
  return { flow: backend.toBigint(flow), cost: totalCost, phases }
}

/**
 * Shortest distances from the source by queue-based Bellman-Ford, written into `potential`, so
 * that every reduced cost starts non-negative. Nodes the source cannot reach stay unreachable
 * (their residual arcs never gain capacity); a potential above every reachable one keeps arcs into
 * them non-negative.
 */
function initialPotentials(
  n: number,
  head: Int32Array,
  next: Int32Array,
  first: Int32Array,
  residual: Scalars,
  cost: Scalars,
  potential: Scalars,
  zero: Scalar,
  source: number,
): void {
  const known = new Uint8Array(n)
  const inQueue = new Uint8Array(n)
  const queue: number[] = [source]
  known[source] = 1
  inQueue[source] = 1
  for (let qh = 0; qh < queue.length; qh++) {
    const u = queue[qh]!
    inQueue[u] = 0
    for (let a = first[u]!; a !== -1; a = next[a]!) {
      if (residual[a]! <= zero) continue
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
  let top = zero
  for (let v = 0; v < n; v++) if (known[v] === 1 && potential[v]! > top) top = potential[v]!
  for (let v = 0; v < n; v++) if (known[v] === 0) potential[v] = top
}
