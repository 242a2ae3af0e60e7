import type { FixedChargeNetwork } from './FixedChargeNetwork.js'
import { tightCapacities } from './tightCapacities.js'

/** Arc state in a branch-and-bound node: free (relaxed), switched off, switched on. */
export const FREE = 0
export const OFF = -1
export const ON = 1

/**
 * What every step of {@link solveFixedCharge} shares about one network: the lexicographic weights,
 * tightened capacities, relaxed unit costs and the demand tiers in fill order.
 */
export type FixedChargeContext = {
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

/** Flows of a relaxation (or a plan) and their objective value. */
export type Relaxation = { flows: bigint[]; value: bigint }

/**
 * The context of a network: a shortfall penalty above any total cost (so shortfall is minimised
 * first), a reward for mandatory units above any penalty, capacities tightened
 * ({@link tightCapacities}) and the relaxed unit costs `c + floor(F / u)`.
 *
 * @param network - the network
 * @returns its context
 * @example
 * ```ts
 * const ctx = createFixedChargeContext({ nodeCount: 1, supply: [0n], demand: [0n], arcs: [] })
 * ```
 */
export function createFixedChargeContext(network: FixedChargeNetwork): FixedChargeContext {
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
  const tiers: FixedChargeContext['tiers'] = []
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
