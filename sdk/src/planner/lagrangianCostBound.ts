import type { FixedChargeContext } from './fixedChargeContext.js'
import { addArc, createFlowGraph, minCostFlow } from './minCostFlow.js'

/** Options of {@link lagrangianCostBound}. */
export type LagrangianCostBoundOptions = {
  /** Subgradient iterations at most. */
  iterations: number
  /**
   * Cost of a known plan with this shortfall (the incumbent), for the step sizes; the search stops
   * once the bound reaches it.
   */
  upperBound: bigint
}

/** What {@link lagrangianCostBound} proved. */
export type LagrangianCostBound = {
  /** Lower bound on the cost of every plan whose shortfall is at most the given one. */
  bound: bigint
  /**
   * Per arc, the least the bound rises by when the arc must carry flow: a plan using arc `r`
   * costs at least `bound + forcedRise[r]` (0 for arcs the subproblem opens).
   */
  forcedRise: bigint[]
  /** Subgradient iterations run. */
  iterations: number
}

/**
 * A lower bound on the cost of any plan with the least possible shortfall, from the Lagrangian
 * dual of the disaggregated ("strong") formulation of the fixed-charge network flow; far tighter
 * than the aggregated relaxation `f_r <= u_r y_r` when capacities are far above the flows (the
 * bench's full mesh, where every arc could carry everything).
 *
 * Reduction (each step keeps a plan's arcs or empties some, never raises its cost and never
 * raises its shortfall, so the least cost over reduced plans is at most that of any plan): a
 * node's own supply meets its own demand first (net supply `s_v = max(0, S_v - D_v)`, net demand
 * `d_v = max(0, D_v - S_v)`: the arc flows are the same, only read differently); flow beyond a
 * node's net demand, flow a node sends beyond its net supply, and circulations are taken back
 * along their paths (unit costs `>= 0`; an arc emptied stops paying its fixed cost; every unit of
 * demand weighs the same, so moving a shortfall between nodes never lowers it). A reduced plan is
 * a sum of paths from net suppliers to net demanders. At the least shortfall one side is used up:
 * every net demand is met (shortfall 0, `sum d <= sum s`), or every net supply is sent (shortfall
 * `sum d - sum s`). Paths are grouped by the node of that side ("commodity" `k`, requiring `R_k`:
 * `d_k`, or `s_k` with every arc reversed), the other side offering `O_v`:
 *
 *   min  sum_r (c_r x_r + F_r y_r)
 *   s.t. per commodity k: flow conservation, R_k units into k, origins g_v^k >= 0 with
 *        sum_k g_v^k <= O_v; x_r^k <= min(R_k, U_r) y_r, sum_k x_r^k <= U_r y_r, y_r in {0, 1},
 *
 * with `U_r = min(u_r, sum_k R_k)` (a path through an arc carries at most its commodity's
 * requirement; an acyclic flow at most the total). Dualising conservation with multipliers
 * `w_v^k` (the worth of a unit of commodity `k` at node `v`) separates it by node and by arc
 * (Geoffrion, "Lagrangean relaxation for integer programming", Math. Prog. Study 2, 1974; the
 * formulation: Balakrishnan, Magnanti & Wong, "A dual-ascent procedure for large-scale
 * uncapacitated network design", Oper. Res. 37, 1989):
 *
 *   L(w) = sum_k R_k w_k^k - sum_v O_v max(0, max_k w_v^k) + sum_r min(0, F_r + knap_r(w)),
 *
 * where `knap_r` fills the commodities of negative reduced cost `c_r + w_tail^k - w_head^k`, most
 * negative first, each up to `min(R_k, U_r)`, all together up to `U_r` (a fractional knapsack). By
 * weak duality every `w` gives `L(w) <=` the optimum. The multipliers are searched by subgradient
 * steps (Polyak's step towards `upperBound`; Held, Wolfe & Crowder, "Validation of subgradient
 * optimization", Math. Prog. 6, 1974) in doubles, from shortest-path worths under unit costs (the
 * bound without fixed costs). Floats only steer the search: the best multipliers are rounded to
 * integers and `L` is evaluated at them exactly in bigints, so the returned bound is proven
 * whatever the rounding.
 *
 * Applies to networks without minimum flows (a minimum can force flow past a demand) whose demand
 * units all weigh the same, at the least shortfall; `undefined` otherwise.
 *
 * @param ctx - the network's context (tiers)
 * @param shortfall - the weighted shortfall of the plans to bound
 * @param options - iterations and the incumbent's cost
 * @returns the bound and per-arc forced rises, or `undefined` when it does not apply
 * @example
 * ```ts
 * const proven = lagrangianCostBound(ctx, solution.shortfall, { iterations: 300, upperBound: solution.cost })
 * // proven.bound <= the cost of every plan with that shortfall
 * ```
 */
export function lagrangianCostBound(
  ctx: FixedChargeContext,
  shortfall: bigint,
  options: LagrangianCostBoundOptions,
): LagrangianCostBound | undefined {
  const { network } = ctx
  const n = network.nodeCount
  if (ctx.tiers.length === 0) return undefined
  const weight = ctx.tiers[0]!.weight
  if (weight <= 0n || ctx.tiers.some((t) => t.weight !== weight)) return undefined
  if (network.arcs.some((a) => a.minFlow > 1n)) return undefined
  if (shortfall % weight !== 0n) return undefined
  const shortUnits = shortfall / weight

  const netSupply: bigint[] = []
  const netDemand: bigint[] = []
  let totalSupply = 0n
  let totalDemand = 0n
  for (let v = 0; v < n; v++) {
    const net = network.supply[v]! - network.demand[v]!
    netSupply.push(net > 0n ? net : 0n)
    netDemand.push(net < 0n ? -net : 0n)
    if (net > 0n) totalSupply += net
    else totalDemand -= net
  }
  // Which side is used up at this shortfall: every demand met, or every supply sent (reversed).
  let reversed: boolean
  if (shortUnits === 0n && totalDemand <= totalSupply) reversed = false
  else if (totalSupply <= totalDemand && shortUnits === totalDemand - totalSupply) reversed = true
  else return undefined
  const required = reversed ? netSupply : netDemand
  const offered = reversed ? netDemand : netSupply
  const total = reversed ? totalSupply : totalDemand
  const commodities: number[] = []
  for (let v = 0; v < n; v++) if (required[v]! > 0n) commodities.push(v)
  const K = commodities.length
  if (K === 0) return undefined
  const arcs: DualArc[] = []
  network.arcs.forEach((a, index) => {
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
    const cap = a.capacity < total ? a.capacity : total
    if (cap <= 0n || a.from === a.to) return
    arcs.push({
      index,
      tail: reversed ? a.to : a.from,
      head: reversed ? a.from : a.to,
      unitCost: a.unitCost,
      fixedCost: a.fixedCost,
      cap,
    })
  })
  const m = arcs.length

  // Doubles: costs over a scale that puts them near 1 (steering only).
  let largest = 1n
  for (const a of arcs) {
    if (a.fixedCost > largest) largest = a.fixedCost
    const c = a.unitCost * total
    if (c > largest) largest = c
  }
  const scale = Number(largest)
  const unitCost = Float64Array.from(arcs, (a) => Number(a.unitCost) / scale)
  const fixedCost = Float64Array.from(arcs, (a) => Number(a.fixedCost) / scale)
  const tail = Int32Array.from(arcs, (a) => a.tail)
  const head = Int32Array.from(arcs, (a) => a.head)
  const cap = Float64Array.from(arcs, (a) => Number(a.cap))
  const need = Float64Array.from(commodities, (k) => Number(required[k]!))
  const offer = Float64Array.from(offered, (s) => Number(s))

  // w[j * n + v]: worth at v of commodity j (node commodities[j]). Start: the same worths for
  // every commodity, the potentials of the aggregated relaxation (where L equals that relaxation's
  // bound, the planner's weak one), so the search starts no lower than it.
  const start = aggregatedWorths(n, arcs, required, offered)
  const w = new Float64Array(K * n)
  for (let j = 0; j < K; j++) for (let v = 0; v < n; v++) w[j * n + v] = Number(start[v]!) / scale

  const grad = new Float64Array(K * n)
  const reduced = new Float64Array(K)
  const order = new Int32Array(K)
  const upper = Number(options.upperBound) / scale
  const best = new Float64Array(K * n)
  let bestValue = Number.NEGATIVE_INFINITY
  let theta = 2
  let sinceBest = 0
  let iterations = 0
  for (let it = 0; it < options.iterations; it++) {
    iterations++
    grad.fill(0)
    let value = 0
    for (let j = 0; j < K; j++) {
      const k = commodities[j]!
      value += need[j]! * w[j * n + k]!
      grad[j * n + k] = need[j]!
    }
    for (let v = 0; v < n; v++) {
      const s = offer[v]!
      if (s === 0) continue
      let top = 0
      let pick = -1
      for (let j = 0; j < K; j++) {
        if (w[j * n + v]! > top) {
          top = w[j * n + v]!
          pick = j
        }
      }
      if (pick === -1) continue
      value -= s * top
      grad[pick * n + v] = grad[pick * n + v]! - s
    }
    for (let e = 0; e < m; e++) {
      const a = tail[e]!
      const b = head[e]!
      const ce = unitCost[e]!
      let count = 0
      let room = 0
      const u = cap[e]!
      for (let j = 0; j < K; j++) {
        const r = ce + w[j * n + a]! - w[j * n + b]!
        if (r < 0) {
          reduced[j] = r
          order[count++] = j
          room += Math.min(need[j]!, u)
        }
      }
      if (count === 0) continue
      if (room > u) sortBy(order, count, reduced)
      let knap = fixedCost[e]!
      let left = u
      for (let i = 0; i < count && left > 0; i++) {
        const j = order[i]!
        const x = Math.min(need[j]!, left)
        knap += reduced[j]! * x
        left -= x
      }
      if (knap >= 0) continue
      value += knap
      left = u
      for (let i = 0; i < count && left > 0; i++) {
        const j = order[i]!
        const x = Math.min(need[j]!, left)
        left -= x
        grad[j * n + a] = grad[j * n + a]! + x
        grad[j * n + b] = grad[j * n + b]! - x
      }
    }
    if (it === 0 || value > bestValue) {
      bestValue = value
      best.set(w)
      sinceBest = 0
    } else if (++sinceBest >= 15) {
      theta /= 2
      sinceBest = 0
      if (theta < 1e-3) break
    }
    if (value >= upper) break
    let norm = 0
    for (let i = 0; i < K * n; i++) norm += grad[i]! * grad[i]!
    if (norm === 0) break
    const step = (theta * (upper - value)) / norm
    for (let i = 0; i < K * n; i++) w[i] = w[i]! + step * grad[i]!
  }

  // The claim: L at the best multipliers rounded to integers, evaluated exactly.
  const W = Array.from(best, (x) => BigInt(Math.round(x * scale)))
  return { ...exactDual(network.arcs.length, n, arcs, commodities, required, offered, W), iterations }
}

/** An arc as the dual sees it (reversed when the supply side is the one used up). */
type DualArc = { index: number; tail: number; head: number; unitCost: bigint; fixedCost: bigint; cap: bigint }

/**
 * Node potentials of the aggregated relaxation (arc cost `c_r + floor(F_r / U_r)`, capacity `U_r`,
 * offers from a source, requirements to a sink with a reward above any path cost): shortest
 * distances from the source in the optimal residual graph (queue-based Bellman-Ford; no negative
 * cycle at an optimum), so every residual arc has a reduced cost >= 0. Nodes the source does not
 * reach get the largest distance found.
 */
function aggregatedWorths(
  n: number,
  arcs: readonly DualArc[],
  required: readonly bigint[],
  offered: readonly bigint[],
): bigint[] {
  const source = n
  const sink = n + 1
  const graph = createFlowGraph(n + 2)
  let reward = 1n
  for (const a of arcs) {
    const c = a.unitCost + a.fixedCost / a.cap
    reward += c * BigInt(n + 1)
    addArc(graph, a.tail, a.head, a.cap, c)
  }
  for (let v = 0; v < n; v++) {
    if (offered[v]! > 0n) addArc(graph, source, v, offered[v]!, 0n)
    if (required[v]! > 0n) addArc(graph, v, sink, required[v]!, -reward)
  }
  minCostFlow(graph, source, sink)
  const dist = new Array<bigint | undefined>(n + 2).fill(undefined)
  dist[source] = 0n
  const queue = [source]
  const queued = new Uint8Array(n + 2)
  queued[source] = 1
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!
    queued[u] = 0
    if (u === sink) continue
    for (let e = graph.first[u]!; e !== -1; e = graph.next[e]!) {
      if (graph.residual[e]! <= 0n) continue
      const v = graph.head[e]!
      const d = dist[u]! + graph.cost[e]!
      if (dist[v] === undefined || d < dist[v]!) {
        dist[v] = d
        if (queued[v] === 0) {
          queued[v] = 1
          queue.push(v)
        }
      }
    }
  }
  let top = 0n
  for (let v = 0; v < n; v++) if (dist[v] !== undefined && dist[v]! > top) top = dist[v]!
  return Array.from({ length: n }, (_, v) => dist[v] ?? top)
}

/** Sorts `order[0..count)` by `key[order[i]]` ascending (insertion sort: few entries). */
function sortBy(order: Int32Array, count: number, key: Float64Array): void {
  for (let i = 1; i < count; i++) {
    const x = order[i]!
    const kx = key[x]!
    let j = i - 1
    while (j >= 0 && key[order[j]!]! > kx) {
      order[j + 1] = order[j]!
      j--
    }
    order[j + 1] = x
  }
}

/**
 * `L(w)` of {@link lagrangianCostBound} in exact integers, and per arc the rise of `L` when the arc
 * must be open (`max(0, F_r + knap_r)`).
 */
function exactDual(
  arcCount: number,
  n: number,
  arcs: readonly DualArc[],
  commodities: readonly number[],
  required: readonly bigint[],
  offered: readonly bigint[],
  w: readonly bigint[],
): { bound: bigint; forcedRise: bigint[] } {
  const K = commodities.length
  let value = 0n
  commodities.forEach((k, j) => {
    value += required[k]! * w[j * n + k]!
  })
  for (let v = 0; v < n; v++) {
    if (offered[v] === 0n) continue
    let top = 0n
    for (let j = 0; j < K; j++) if (w[j * n + v]! > top) top = w[j * n + v]!
    value -= offered[v]! * top
  }
  // Arcs the relaxation cannot use (capacity 0) carry nothing in any plan: their rise is unused.
  const forcedRise = new Array<bigint>(arcCount).fill(0n)
  const negatives: { r: bigint; x: bigint }[] = []
  for (const a of arcs) {
    negatives.length = 0
    let room = 0n
    for (let j = 0; j < K; j++) {
      const r = a.unitCost + w[j * n + a.tail]! - w[j * n + a.head]!
      if (r < 0n) {
        const d = required[commodities[j]!]!
        // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
        const x = d < a.cap ? d : a.cap
        negatives.push({ r, x })
        room += x
      }
    }
    if (room > a.cap) negatives.sort((p, q) => (p.r < q.r ? -1 : p.r > q.r ? 1 : 0))
    let knap = a.fixedCost
    let left = a.cap
    for (const { r, x } of negatives) {
      if (left === 0n) break
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
      const take = x < left ? x : left
      knap += r * take
      left -= take
    }
    if (knap < 0n) value += knap
    else forcedRise[a.index] = knap
  }
  return { bound: value, forcedRise }
}
