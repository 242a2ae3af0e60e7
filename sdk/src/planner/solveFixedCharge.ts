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
}

/** A solution of {@link solveFixedCharge}. */
export type FixedChargeSolution = {
  /** Flow per arc, in the order of `network.arcs`. */
  flows: bigint[]
  /** Demand left unmet (minimised first). */
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
  const rootEval = evaluate(ctx, root.flows)
  if (rootEval.feasible && root.value === rootEval.value) {
    return {
      ...solutionOf(ctx, root.flows),
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
    best = { flows: root.flows, value: rootEval.value }
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
    const branch = chooseBranch(ctx, node.state, node.relaxation.flows)
    if (branch === undefined) {
      // The relaxation is feasible and its value is exact: an incumbent candidate.
      const value = evaluate(ctx, node.relaxation.flows).value
      if (best === undefined || value < best.value) {
        best = { flows: node.relaxation.flows, value }
        method = 'branch-and-bound'
      }
      continue
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
  /** Per-unit shortfall penalty: larger than any total cost. */
  penalty: bigint
  /** Reward for mandatory (lower-bound) units: larger than any shortfall penalty. */
  mandatory: bigint
  /** Capacities clipped to total supply (an acyclic flow never carries more). */
  capacity: bigint[]
  /** Relaxed unit cost of free arcs: c + floor(F / u). */
  relaxedUnitCost: bigint[]
  totalDemand: bigint
  hasRule: boolean
}

type Relaxation = { flows: bigint[]; value: bigint }
type BranchNode = { state: Int8Array; relaxation: Relaxation }

function createContext(network: FixedChargeNetwork): Context {
  const totalSupply = network.supply.reduce((a, b) => a + b, 0n)
  const totalDemand = network.demand.reduce((a, b) => a + b, 0n)
  // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
  const capacity = network.arcs.map((a) => (a.capacity < totalSupply ? a.capacity : totalSupply))
  let penalty = 1n
  network.arcs.forEach((a, r) => {
    const charge = a.unitCost + a.fixedCost
    if (charge !== 0n) penalty += charge * (capacity[r]! + 1n)
  })
  const relaxedUnitCost = network.arcs.map((a, r) =>
    a.fixedCost === 0n ? a.unitCost : a.unitCost + (capacity[r]! > 0n ? a.fixedCost / capacity[r]! : 0n),
  )
  const hasRule = network.arcs.some((a) => a.fixedCost > 0n || a.minFlow > 1n || a.pair !== undefined)
  return {
    network,
    penalty,
    mandatory: penalty * (totalDemand + 2n),
    capacity,
    relaxedUnitCost,
    totalDemand,
    hasRule,
  }
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
  const demandArcs: number[] = []
  for (let i = 0; i < n; i++) {
    if (network.supply[i]! > 0n) addArc(graph, source, i, network.supply[i]!, 0n)
    if (network.demand[i]! > 0n) demandArcs.push(addArc(graph, i, sink, network.demand[i]!, -ctx.penalty))
  }
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
  for (const d of demandArcs) met += arcFlow(graph, d)
  let value = (ctx.totalDemand - met) * ctx.penalty
  network.arcs.forEach((a, r) => {
    const f = flows[r]!
    if (f === 0n && state[r] !== ON) return
    if (state[r] === ON) value += a.fixedCost + a.unitCost * f
    else value += (unitCosts === undefined ? ctx.relaxedUnitCost[r]! : a.unitCost) * f
  })
  if (unitCosts !== undefined) value = evaluate(ctx, flows).value
  return { flows, value }
}

/** True objective (penalty x shortfall + cost) of flows, and whether they obey every rule. */
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
  let shortfall = 0n
  for (let i = 0; i < network.nodeCount; i++) {
    // A node ends at supply - demand + net relative to its target; supply is what it can give.
    const met = net[i]! + network.supply[i]!
    const missing = network.demand[i]! - (met < 0n ? 0n : met)
    if (missing > 0n) shortfall += missing
  }
  return { flows: [...flows], shortfall, cost }
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
  const consider = (candidate: readonly bigint[], at: Int8Array) => {
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
