import { cancelCycles } from './cancelCycles.js'
import { chooseBranch } from './chooseBranch.js'
import { evaluateFlows } from './evaluateFlows.js'
import type { FixedChargeNetwork } from './FixedChargeNetwork.js'
import { createFixedChargeContext, FREE, OFF, ON, type Relaxation } from './fixedChargeContext.js'
import { lagrangianCostBound } from './lagrangianCostBound.js'
import { shortfallAndCost } from './shortfallAndCost.js'
import { slopeScaling } from './slopeScaling.js'
import { solveRelaxation } from './solveRelaxation.js'

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
  /** True when optimality is proven (the branch and bound finished, or a bound meets the cost). */
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
  /**
   * Subgradient iterations of the strong Lagrangian bound ({@link lagrangianCostBound}) run when
   * the branch and bound stops short of optimality. Default 150; 0 keeps the branch-and-bound
   * bound alone.
   */
  lagrangianIterations?: number | undefined
}

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
 * - Bound when the budget runs out: the larger of the best open node's relaxation and the strong
 *   Lagrangian bound ({@link lagrangianCostBound}, path flows bounded by their commodity's
 *   requirement), evaluated exactly in integers; a bound that meets the cost proves optimality.
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
  const ctx = createFixedChargeContext(network)
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
  const rootEval = evaluateFlows(ctx, rootFlows)
  if (rootEval.feasible && root.value === rootEval.value) {
    return {
      ...shortfallAndCost(ctx, rootFlows),
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
        const value = evaluateFlows(ctx, acyclic.flows).value
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
  let exact = open.length === 0
  if (best === undefined) {
    // Only possible when the budget ran out before any feasible plan: fall back to shipping
    // nothing, which is always feasible.
    best = {
      flows: network.arcs.map(() => 0n),
      value: evaluateFlows(
        ctx,
        network.arcs.map(() => 0n),
      ).value,
    }
  }
  const solution = shortfallAndCost(ctx, best.flows)
  const boundValue = exact ? best.value : lowerBound
  const boundShortfall = boundValue / ctx.penalty
  let costLowerBound =
    boundShortfall < solution.shortfall ? 0n : boundValue - solution.shortfall * ctx.penalty
  const lagrangianIterations = options.lagrangianIterations ?? 150
  if (!exact && lagrangianIterations > 0) {
    const strong = lagrangianCostBound(ctx, solution.shortfall, {
      iterations: lagrangianIterations,
      upperBound: solution.cost,
    })
    if (strong !== undefined && strong.bound > costLowerBound) costLowerBound = strong.bound
    if (costLowerBound >= solution.cost) exact = true
  }
  return {
    ...solution,
    costLowerBound: costLowerBound > solution.cost ? solution.cost : costLowerBound,
    exact,
    relaxations,
    method,
  }
}

/** An open node of the branch and bound: arc states and their relaxation. */
type BranchNode = { state: Int8Array; relaxation: Relaxation }
