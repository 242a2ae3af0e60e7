import { cancelCycles } from './cancelCycles.js'
import { evaluateFlows } from './evaluateFlows.js'
import { findConflict } from './findConflict.js'
import { type FixedChargeContext, FREE, OFF, ON, type Relaxation } from './fixedChargeContext.js'
import { shortfallAndCost } from './shortfallAndCost.js'

/**
 * Dynamic slope scaling from the root relaxation, then a drop local search; the best feasible
 * flows found.
 *
 * Repair inside the iterations: an arc under its minimum is either closed or switched on (forced
 * to its minimum), whichever leaves less shortfall; of a both-ways conflict the lighter direction
 * is closed. The drop search then tries closing each used arc with a fixed cost (largest first)
 * and keeps the closure when the re-solved flow is cheaper.
 *
 * Source: Kim & Pardalos, "A solution approach to the fixed charge network flow problem using a
 * dynamic slope scaling procedure", Oper. Res. Letters 24 (1999).
 *
 * @param ctx - the network's context
 * @param root - the root relaxation
 * @param relax - solves a relaxation (counted by the caller)
 * @param iterations - slope scaling iterations at most
 * @param dropTries - arcs the drop search tries to close
 * @returns the best feasible (acyclic, rule-abiding) flows found, or `undefined`
 * @example
 * ```ts
 * const incumbent = slopeScaling(ctx, root, (s, c) => solveRelaxation(ctx, s, c), 12, 24)
 * ```
 */
export function slopeScaling(
  ctx: FixedChargeContext,
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
    const evaluation = evaluateFlows(ctx, candidate)
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
      const closedShortfall = closed === undefined ? undefined : shortfallAndCost(ctx, closed.flows).shortfall
      if (closedShortfall === undefined || closedShortfall > shortfallAndCost(ctx, flows).shortfall) {
        const forced = relax(onState, unitCosts)
        if (
          forced !== undefined &&
          (closed === undefined || shortfallAndCost(ctx, forced.flows).shortfall < closedShortfall!)
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
