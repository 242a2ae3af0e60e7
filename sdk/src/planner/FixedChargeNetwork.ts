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
