import { addArc, arcFlow, createFlowGraph, minCostFlow } from './minCostFlow.js'

/**
 * One arc of a {@link FixedChargeNetwork}: a route that costs `fixedCost` once if it carries any
 * flow, plus `unitCost` per unit, and carries either nothing or between `minFlow` and `capacity`.
 */
export type FixedChargeArc = {
  from: number
  to: number
  /** Most units the arc can carry (>= 0). */
  capacity: bigint
  /** Cost per unit (>= 0). */
  unitCost: bigint
  /** Cost paid once when the arc carries flow (>= 0). */
  fixedCost: bigint
  /** Smallest positive flow allowed (>= 1; 1 means no minimum). */
  minFlow: bigint
  /**
   * Arcs with the same `pair` and opposite `direction` may not both carry flow (never send the
   * same asset both ways between two chains). Omit for arcs without that rule.
   */
  pair?: string | undefined
  direction?: 1 | -1 | undefined
}

/** Supplies, demands and arcs of one asset, in abstract units. */
export type FixedChargeNetwork = {
  nodeCount: number
  /** Units each node can give (>= 0). */
  supply: readonly bigint[]
  /** Units each node needs (>= 0). */
  demand: readonly bigint[]
  arcs: readonly FixedChargeArc[]
  /**
   * What each unit of a node's demand is worth, for a shortfall measured in tokens rather than
   * units: per node, tiers of `units` units worth `weight` each (their units sum to the node's
   * demand), filled heaviest first. Omitted (or a node without tiers): every unit weighs 1.
   */
  demandTiers?: readonly (readonly DemandTier[] | undefined)[] | undefined
}

/** A tier of a node's demand: `units` units worth `weight` each. */
export type DemandTier = { units: bigint; weight: bigint }

/**
 * The shortfall of a network when nothing is delivered: its demand, weighted by its tiers.
 *
 * @param network - the network
 * @returns `sum_i sum_tiers units * weight` (the demand itself without tiers)
 * @example
 * ```ts
 * demandWeight({ nodeCount: 1, supply: [0n], demand: [3n], arcs: [] }) // 3n
 * ```
 */
export function demandWeight(network: FixedChargeNetwork): bigint {
  let total = 0n
  network.demand.forEach((d, i) => {
    const tiers = network.demandTiers?.[i]
    if (tiers === undefined) total += d
    else for (const t of tiers) total += t.units * t.weight
  })
  return total
}

/** A solution of {@link solveFixedCharge}. */
export type FixedChargeSolution = {
  /** Flow per arc, in the order of `network.arcs`. */
  flows: bigint[]
  /** Demand left unmet, weighted by `demandTiers` (minimised first). */
  shortfall: bigint
  /** Total cost: unit costs plus fixed costs of arcs with flow (minimised second). */
  cost: bigint
  /** Proven lower bound on the cost of any plan with this shortfall. */
  costLowerBound: bigint
  /** True when the branch and bound finished: the solution is optimal. */
  exact: boolean
  /** Relaxations solved (branch-and-bound nodes plus heuristic iterations). */
  relaxations: number
  /** Which method produced the returned solution. */
  method: 'linear' | 'branch-and-bound' | 'slope-scaling'
}

/** Options of {@link solveFixedCharge}. */
export type SolveFixedChargeOptions = {
  /** Branch-and-bound nodes to explore at most (0: heuristic only). */
  maxBranchNodes: number
  /** Dynamic slope scaling iterations for the initial incumbent. Default 12. */
  slopeScalingIterations?: number | undefined
  /** Arcs the drop local search tries to close after slope scaling. Default 24. */
  dropTries?: number | undefined
}

/** Arc state in a branch-and-bound node. */
const FREE = 0
const OFF = -1
const ON = 1

/**
 * Minimum-shortfall, then minimum-cost flow with fixed charges, minimum flows and the
 * no-both-ways rule: a mixed-integer program
 *
 *   min  PEN * shortfall + sum_r (c_r f_r + F_r y_r)
 *   s.t. flow conservation, f_r <= u_r y_r, f_r >= m_r y_r, y_r in {0, 1},
 *        no pair carries flow in both directions,
 *
 * where PEN exceeds any possible cost, so shortfall is minimised first.
 *
 * Method: exact LP-based branch and bound over arc activation, with a dynamic slope scaling
 * heuristic for the incumbent.
 * - Relaxation at a node (a min-cost flow, {@link minCostFlow}): arcs switched off are removed;
 *   arcs switched on pay `F_r` and must carry at least `m_r` (lower bounds become mandatory
 *   source/sink arcs with a reward larger than any shortfall); free arcs pay the classic
 *   fixed-charge LP relaxation `c_r + floor(F_r / u_r)` per unit (`y_r >= f_r / u_r`, rounded
 *   down so the bound stays valid in integers) and have no minimum. Its value is a lower bound.
 * - Branching: first on a both-ways conflict (one direction off / the other off), otherwise on
 *   the free arc with flow whose relaxed charge is furthest from its true charge or whose flow is
 *   under its minimum (off / on). Best-first by lower bound; a node is pruned when its bound is
 *   not below the incumbent. When the queue empties the incumbent is optimal (`exact`).
 * - Incumbent: dynamic slope scaling (Kim & Pardalos, "A solution approach to the fixed charge
 *   network flow problem using a dynamic slope scaling procedure", Oper. Res. Letters 24, 1999):
 *   re-solve the min-cost flow with unit costs `c_r + ceil(F_r / f_r)` from the previous flows,
 *   closing arcs below their minimum and the lighter direction of a both-ways conflict, and keep
 *   the best feasible flow. With `maxBranchNodes: 0` this heuristic alone is the method; its gap
 *   against an independent MIP solver is measured by the planner's optimality test.
 *
 * Networks without fixed costs, minimum flows or conflicts are solved by one min-cost flow
 * (`method: 'linear'`, exact).
 *
 * @param network - supplies, demands and arcs in units
 * @param options - branch-and-bound budget
 * @returns flows per arc, shortfall, cost, lower bound and whether optimality is proven
 * @example
 * ```ts
 * const solution = solveFixedCharge(
 *   {
 *     nodeCount: 2,
 *     supply: [10n, 0n],
 *     demand: [0n, 4n],
 *     arcs: [{ from: 0, to: 1, capacity: 10n, unitCost: 1n, fixedCost: 5n, minFlow: 1n }],
 *   },
 *   { maxBranchNodes: 100 },
 * )
 * // solution.flows: [4n], solution.cost: 9n, solution.exact: true
 * ```
 */
export function solveFixedCharge(
  network: FixedChargeNetwork,
  options: SolveFixedChargeOptions,
): FixedChargeSolution {
  const ctx = createContext(network)
  let relaxations = 0
  const relax = (state: Int8Array, unitCosts?: readonly bigint[]): Relaxation | undefined => {
    relaxations++
    return solveRelaxation(ctx, state, unitCosts)
  }

  const rootState = new Int8Array(network.arcs.length)
  const root = relax(rootState)
  // The root has no mandatory arcs, so it always has a solution.
  if (root === undefined) throw new Error('unreachable: root relaxation without mandatory arcs failed')
  const rootFlows = cancelCycles(network, root.flows).flows
  const rootEval = evaluate(ctx, rootFlows)
  if (rootEval.feasible && root.value === rootEval.value) {
    return {
      ...solutionOf(ctx, rootFlows),
      costLowerBound: rootEval.cost,
      exact: true,
      relaxations,
      method: 'linear',
    }
  }

  // Incumbent from dynamic slope scaling.
  let best = slopeScaling(ctx, root, relax, options.slopeScalingIterations ?? 12, options.dropTries ?? 24)
  let method: FixedChargeSolution['method'] = 'slope-scaling'
  if (rootEval.feasible && (best === undefined || rootEval.value < best.value)) {
    best = { flows: rootFlows, value: rootEval.value }
  }

  // Best-first branch and bound.
  const open: BranchNode[] = [{ state: rootState, relaxation: root }]
  let explored = 0
  let lowerBound = root.value
  while (open.length > 0) {
    let k = 0
    for (let i = 1; i < open.length; i++) if (open[i]!.relaxation.value < open[k]!.relaxation.value) k = i
    const node = open[k]!
    open[k] = open[open.length - 1]!
    open.pop()
    lowerBound = node.relaxation.value
    if (best !== undefined && node.relaxation.value >= best.value) {
      open.length = 0
      break
    }
    if (explored >= options.maxBranchNodes) {
      open.push(node)
      break
    }
    explored++
    let branch = chooseBranch(ctx, node.state, node.relaxation.flows)
    if (branch === undefined) {
      // Every arc rule holds and the relaxed charges are exact. Cancelling cycles never raises the
      // value, so an acyclic result is the best plan under this node: an incumbent candidate.
      const acyclic = cancelCycles(network, node.relaxation.flows)
      if (acyclic.cycle === undefined) {
        const value = evaluate(ctx, acyclic.flows).value
        if (best === undefined || value < best.value) {
          best = { flows: acyclic.flows, value }
          method = 'branch-and-bound'
        }
        continue
      }
      // A cycle that only minimum flows hold up: some arc of it must go unused. Child i leaves
      // arc i unused and the arcs before it used (disjoint children covering every acyclic plan).
      const cycle = acyclic.cycle
      branch = cycle.map((r, i) => [
        ...cycle.slice(0, i).map((q): [number, number] => [q, ON]),
        [r, OFF] as [number, number],
      ])
    }
    for (const child of branch) {
      const state = node.state.slice()
      let valid = true
      for (const [arc, s] of child) {
        if (state[arc] !== FREE && state[arc] !== s) valid = false
        state[arc] = s
      }
      if (!valid) continue
      const relaxation = relax(state)
      if (relaxation === undefined) continue
      if (best !== undefined && relaxation.value >= best.value) continue
      open.push({ state, relaxation })
    }
  }
  const exact = open.length === 0
  if (best === undefined) {
    // Only possible when the budget ran out before any feasible plan: fall back to shipping
    // nothing, which is always feasible.
    best = {
      flows: network.arcs.map(() => 0n),
      value: evaluate(
        ctx,
        network.arcs.map(() => 0n),
      ).value,
    }
  }
  const solution = solutionOf(ctx, best.flows)
  const boundValue = exact ? best.value : lowerBound
  const boundShortfall = boundValue / ctx.penalty
  const costLowerBound =
    boundShortfall < solution.shortfall ? 0n : boundValue - solution.shortfall * ctx.penalty
  return {
    ...solution,
    costLowerBound: costLowerBound > solution.cost ? solution.cost : costLowerBound,
    exact,
    relaxations,
    method,
  }
}

type Context = {
  network: FixedChargeNetwork
  /** Per-unit (of weight) shortfall penalty: larger than any total cost. */
  penalty: bigint
  /** Reward for mandatory (lower-bound) units: larger than any shortfall penalty. */
  mandatory: bigint
  /** Capacities tightened to the most an arc carries in some optimal plan ({@link tightCapacities}). */
  capacity: bigint[]
  /** Relaxed unit cost of free arcs: c + floor(F / u). */
  relaxedUnitCost: bigint[]
  /** Sink tiers: node, units and weight per unit, heaviest first per node. */
  tiers: { node: number; units: bigint; weight: bigint }[]
  totalDemand: bigint
  /** Sum of the tiers' units x weights: the shortfall when nothing is delivered. */
  totalWeight: bigint
  hasRule: boolean
}

type Relaxation = { flows: bigint[]; value: bigint }
type BranchNode = { state: Int8Array; relaxation: Relaxation }

function createContext(network: FixedChargeNetwork): Context {
  const totalDemand = network.demand.reduce((a, b) => a + b, 0n)
  const capacity = tightCapacities(network)
  let penalty = 1n
  network.arcs.forEach((a, r) => {
    const charge = a.unitCost + a.fixedCost
    if (charge !== 0n) penalty += charge * (capacity[r]! + 1n)
  })
  const relaxedUnitCost = network.arcs.map((a, r) =>
    a.fixedCost === 0n ? a.unitCost : a.unitCost + (capacity[r]! > 0n ? a.fixedCost / capacity[r]! : 0n),
  )
  const hasRule = network.arcs.some((a) => a.fixedCost > 0n || a.minFlow > 1n || a.pair !== undefined)
  const tiers: Context['tiers'] = []
  let totalWeight = 0n
  for (let i = 0; i < network.nodeCount; i++) {
    const d = network.demand[i]!
    if (d === 0n) continue
    const own = network.demandTiers?.[i]
    const list =
      own === undefined
        ? [{ units: d, weight: 1n }]
        : [...own].sort((x, y) => (y.weight > x.weight ? 1 : y.weight < x.weight ? -1 : 0))
    for (const t of list) {
      if (t.units === 0n) continue
      tiers.push({ node: i, units: t.units, weight: t.weight })
      totalWeight += t.units * t.weight
    }
  }
  return {
    network,
    penalty,
    mandatory: penalty * (totalWeight + 2n),
    capacity,
    relaxedUnitCost,
    tiers,
    totalDemand,
    totalWeight,
    hasRule,
  }
}

/**
 * Arc capacities tightened to the most the arc carries in some optimal (acyclic) plan:
 * `min(u_r, S(from), D(to))`, where `S(v)` is the supply of the nodes that reach `v` (an acyclic
 * flow through an arc comes from them) and `D(v)` the demand of the nodes `v` reaches (flow beyond
 * it is stranded and can be taken back at no higher cost). `D` applies only without minimum flows:
 * a minimum may force flow beyond the demand downstream. Reachability uses arcs of capacity > 0.
 * A tighter `u_r` makes the relaxed charge `F_r / u_r` a stronger bound.
 */
function tightCapacities(network: FixedChargeNetwork): bigint[] {
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

/**
 * Solves the relaxation of a branch-and-bound node (see {@link solveFixedCharge}); `undefined`
 * when the arcs switched on cannot all carry their minimum.
 */
function solveRelaxation(
  ctx: Context,
  state: Int8Array,
  unitCosts?: readonly bigint[],
): Relaxation | undefined {
  const { network } = ctx
  const n = network.nodeCount
  const source = n
  const sink = n + 1
  const graph = createFlowGraph(n + 2)
  for (let i = 0; i < n; i++) {
    if (network.supply[i]! > 0n) addArc(graph, source, i, network.supply[i]!, 0n)
  }
  const tierArcs = ctx.tiers.map((t) => addArc(graph, t.node, sink, t.units, -ctx.penalty * t.weight))
  const arcIds: number[] = []
  const lower: bigint[] = []
  const mandatoryArcs: number[] = []
  let anyOn = false
  network.arcs.forEach((a, r) => {
    const s = state[r]!
    if (s === OFF || ctx.capacity[r]! <= 0n) {
      if (s === ON) anyOn = true
      arcIds.push(-1)
      lower.push(s === ON ? a.minFlow : 0n)
      return
    }
    if (s === ON) {
      anyOn = true
      const lb = a.minFlow > 1n ? a.minFlow : 1n
      lower.push(lb)
      arcIds.push(
        lb <= ctx.capacity[r]! ? addArc(graph, a.from, a.to, ctx.capacity[r]! - lb, a.unitCost) : -1,
      )
      mandatoryArcs.push(addArc(graph, source, a.to, lb, -ctx.mandatory))
      mandatoryArcs.push(addArc(graph, a.from, sink, lb, -ctx.mandatory))
      return
    }
    lower.push(0n)
    arcIds.push(addArc(graph, a.from, a.to, ctx.capacity[r]!, unitCosts?.[r] ?? ctx.relaxedUnitCost[r]!))
  })
  // An arc switched on that cannot carry its minimum makes the node infeasible.
  for (let r = 0; r < network.arcs.length; r++) if (state[r] === ON && arcIds[r] === -1) return undefined
  if (anyOn) {
    // Forced flow may exceed what the head needs: let it stay there (over target, never under).
    for (let i = 0; i < n; i++) addArc(graph, i, sink, ctx.totalDemand + ctx.mandatory, 0n)
  }
  minCostFlow(graph, source, sink)
  for (const m of mandatoryArcs) if (graph.residual[m]! > 0n) return undefined
  const flows = arcIds.map((id, r) => {
    if (id === -1) return 0n
    const lb = lower[r]!
    return lb === 0n ? arcFlow(graph, id) : arcFlow(graph, id) + lb
  })
  let met = 0n
  tierArcs.forEach((id, k) => {
    met += arcFlow(graph, id) * ctx.tiers[k]!.weight
  })
  let value = (ctx.totalWeight - met) * ctx.penalty
  network.arcs.forEach((a, r) => {
    const f = flows[r]!
    if (f === 0n && state[r] !== ON) return
    if (state[r] === ON) value += a.fixedCost + a.unitCost * f
    else value += (unitCosts === undefined ? ctx.relaxedUnitCost[r]! : a.unitCost) * f
  })
  if (unitCosts !== undefined) value = evaluate(ctx, flows).value
  return { flows, value }
}

/**
 * True objective (penalty x shortfall + cost) of flows, and whether they obey every rule: minimum
 * flows, no both-ways pair, and no cycle (an acyclic plan runs in topological order, every sender
 * holding what it sends).
 */
function evaluate(
  ctx: Context,
  flows: readonly bigint[],
): { value: bigint; cost: bigint; feasible: boolean } {
  const { shortfall, cost } = solutionOf(ctx, flows)
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

/** Shortfall and true cost of flows (demand met is what flows into a node beyond what leaves). */
function solutionOf(
  ctx: Context,
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

/**
 * A directed cycle of arcs with flow (arc indices in order), or `undefined` when the flows are
 * acyclic. Iterative depth-first search with three colours.
 */
function findCycle(network: FixedChargeNetwork, flows: readonly bigint[]): number[] | undefined {
  const n = network.nodeCount
  const first = new Int32Array(n).fill(-1)
  const next = new Int32Array(network.arcs.length)
  let any = false
  network.arcs.forEach((a, r) => {
    if (flows[r]! <= 0n) return
    any = true
    next[r] = first[a.from]!
    first[a.from] = r
  })
  if (!any) return undefined
  // 0 unvisited, 1 on the stack, 2 done; `via` is the arc that reached a node on the stack.
  const colour = new Uint8Array(n)
  const cursor = new Int32Array(n)
  const via = new Int32Array(n).fill(-1)
  for (let root = 0; root < n; root++) {
    if (colour[root] !== 0 || first[root] === -1) continue
    const stack = [root]
    colour[root] = 1
    cursor[root] = first[root]!
    while (stack.length > 0) {
      const u = stack[stack.length - 1]!
      const r = cursor[u]!
      if (r === -1) {
        colour[u] = 2
        stack.pop()
        continue
      }
      cursor[u] = next[r]!
      const v = network.arcs[r]!.to
      if (colour[v] === 1) {
        // Back arc u -> v: the cycle is v ... u -> v along `via`.
        const cycle = [r]
        for (let w = u; w !== v; w = network.arcs[via[w]!]!.from) cycle.push(via[w]!)
        return cycle.reverse()
      }
      if (colour[v] === 0) {
        colour[v] = 1
        via[v] = r
        cursor[v] = first[v]!
        stack.push(v)
      }
    }
  }
  return undefined
}

/**
 * Cancels cycles of flows: takes the smallest flow of a cycle off all its arcs, which keeps every
 * node's net flow (so the shortfall) and never raises the cost (unit costs are >= 0; an arc taken
 * to 0 no longer pays its fixed cost). Stops at a cycle whose cancelling would leave some arc
 * under its minimum flow, and returns it.
 */
function cancelCycles(
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

/** The branching decision for a relaxation, or `undefined` when its flows obey every rule. */
function chooseBranch(
  ctx: Context,
  state: Int8Array,
  flows: readonly bigint[],
): Array<Array<[number, number]>> | undefined {
  const { arcs } = ctx.network
  if (ctx.hasRule) {
    const conflict = findConflict(arcs, flows)
    if (conflict !== undefined) {
      const [pair] = conflict
      const forward: Array<[number, number]> = []
      const backward: Array<[number, number]> = []
      arcs.forEach((a, r) => {
        if (a.pair !== pair) return
        ;((a.direction ?? 1) === 1 ? forward : backward).push([r, OFF])
      })
      return [forward, backward]
    }
  }
  let pick = -1
  let pickScore = -1n
  arcs.forEach((a, r) => {
    const f = flows[r]!
    if (state[r] !== FREE || f === 0n) return
    // How far the relaxed charge is from the true one; a flow under its minimum always branches.
    const charged = ctx.relaxedUnitCost[r]! - a.unitCost
    let score = a.fixedCost - charged * f
    if (f < a.minFlow) score += ctx.penalty
    if (score > 0n && score > pickScore) {
      pick = r
      pickScore = score
    }
  })
  if (pick === -1) return undefined
  return [[[pick, OFF]], [[pick, ON]]]
}

/** The first pair with flow in both directions, if any. */
function findConflict(arcs: readonly FixedChargeArc[], flows: readonly bigint[]): [string] | undefined {
  const directions = new Map<string, number>()
  for (let r = 0; r < arcs.length; r++) {
    const a = arcs[r]!
    if (flows[r] === 0n || a.pair === undefined) continue
    const seen = directions.get(a.pair) ?? 0
    const dir = a.direction ?? 1
    if (seen !== 0 && seen !== dir) return [a.pair]
    directions.set(a.pair, dir)
  }
  return undefined
}

/**
 * Dynamic slope scaling from the root relaxation, then a drop local search; the best feasible
 * flows found.
 *
 * Repair inside the iterations: an arc under its minimum is either closed or switched on (forced
 * to its minimum), whichever leaves less shortfall; of a both-ways conflict the lighter direction
 * is closed. The drop search then tries closing each used arc with a fixed cost (largest first)
 * and keeps the closure when the re-solved flow is cheaper.
 */
function slopeScaling(
  ctx: Context,
  root: Relaxation,
  relax: (state: Int8Array, unitCosts?: readonly bigint[]) => Relaxation | undefined,
  iterations: number,
  dropTries: number,
): Relaxation | undefined {
  const { arcs } = ctx.network
  const state = new Int8Array(arcs.length)
  const unitCosts = [...ctx.relaxedUnitCost]
  let flows = root.flows
  let best: Relaxation | undefined
  let bestState: Int8Array | undefined
  const consider = (flows: readonly bigint[], at: Int8Array) => {
    const candidate = cancelCycles(ctx.network, flows).flows
    const evaluation = evaluate(ctx, candidate)
    if (evaluation.feasible && (best === undefined || evaluation.value < best.value)) {
      best = { flows: [...candidate], value: evaluation.value }
      bestState = at.slice()
    }
  }
  for (let it = 0; it < iterations; it++) {
    consider(flows, state)
    let changed = false
    const under: number[] = []
    arcs.forEach((a, r) => {
      const f = flows[r]!
      if (f > 0n && f < a.minFlow && state[r] === FREE) under.push(r)
    })
    const conflict = findConflict(arcs, flows)
    if (conflict !== undefined) {
      let forward = 0n
      let backward = 0n
      arcs.forEach((a, r) => {
        if (a.pair !== conflict[0]) return
        if ((a.direction ?? 1) === 1) forward += flows[r]!
        else backward += flows[r]!
      })
      const closeDirection = forward < backward ? 1 : -1
      arcs.forEach((a, r) => {
        if (a.pair === conflict[0] && (a.direction ?? 1) === closeDirection && state[r] !== ON) state[r] = OFF
      })
      changed = true
    }
    arcs.forEach((a, r) => {
      const f = flows[r]!
      if (f === 0n) return
      const slope = a.unitCost + (a.fixedCost + f - 1n) / f
      if (slope !== unitCosts[r]) {
        unitCosts[r] = slope
        changed = true
      }
    })
    if (under.length > 0) {
      changed = true
      for (const r of under) state[r] = OFF
      const closed = relax(state, unitCosts)
      const onState = state.slice()
      for (const r of under) onState[r] = ON
      const closedShortfall = closed === undefined ? undefined : solutionOf(ctx, closed.flows).shortfall
      if (closedShortfall === undefined || closedShortfall > solutionOf(ctx, flows).shortfall) {
        const forced = relax(onState, unitCosts)
        if (
          forced !== undefined &&
          (closed === undefined || solutionOf(ctx, forced.flows).shortfall < closedShortfall!)
        ) {
          state.set(onState)
          flows = forced.flows
          continue
        }
      }
      if (closed === undefined) break
      flows = closed.flows
      continue
    }
    if (!changed) break
    const next = relax(state, unitCosts)
    if (next === undefined) break
    flows = next.flows
  }
  consider(flows, state)
  if (best === undefined || bestState === undefined) return best

  // Drop search: close used fixed-cost arcs one at a time, largest fixed cost first.
  const current: Relaxation = best
  const dropState = bestState.slice()
  const candidates = arcs
    .map((_a, r) => r)
    .filter((r) => current.flows[r]! > 0n && arcs[r]!.fixedCost > 0n && dropState[r] !== ON)
    .sort((x, y) =>
      arcs[y]!.fixedCost > arcs[x]!.fixedCost ? 1 : arcs[y]!.fixedCost < arcs[x]!.fixedCost ? -1 : 0,
    )
    .slice(0, dropTries)
  for (const r of candidates) {
    if (best.flows[r] === 0n) continue
    dropState[r] = OFF
    const slopes = arcs.map((a, k) => {
      const f = best!.flows[k]!
      return f > 0n ? a.unitCost + (a.fixedCost + f - 1n) / f : unitCosts[k]!
    })
    const trial = relax(dropState, slopes)
    const before = best.value
    if (trial !== undefined) consider(trial.flows, dropState)
    if (best.value === before) dropState[r] = FREE
  }
  return best
}
