import { evaluateFlows } from './evaluateFlows.js'
import { type FixedChargeContext, OFF, ON, type Relaxation } from './fixedChargeContext.js'
import { addArc, arcFlow, createFlowGraph, minCostFlow } from './minCostFlow.js'

/**
 * Solves the relaxation of a branch-and-bound node (see {@link solveFixedCharge}) as one min-cost
 * flow: arcs switched off are removed; arcs switched on pay their fixed cost and carry at least
 * their minimum (mandatory units rewarded above any shortfall); free arcs pay `unitCosts` (slope
 * scaling) or the relaxed unit cost `c + floor(F / u)`.
 *
 * @param ctx - the network's context
 * @param state - per arc FREE, OFF or ON
 * @param unitCosts - unit costs of free arcs instead of the relaxed ones; the value is then the
 *   flows' true objective (not a bound)
 * @returns flows and value (a lower bound under `state` without `unitCosts`), or `undefined` when
 *   the arcs switched on cannot all carry their minimum
 * @example
 * ```ts
 * const root = solveRelaxation(ctx, new Int8Array(ctx.network.arcs.length))
 * ```
 */
export function solveRelaxation(
  ctx: FixedChargeContext,
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
  if (unitCosts !== undefined) value = evaluateFlows(ctx, flows).value
  return { flows, value }
}
