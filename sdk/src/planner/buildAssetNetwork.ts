import { divRound } from '../money/divRound.js'
import { contractFreeArcs } from './contractFreeArcs.js'
import type { FixedChargeArc, FixedChargeNetwork } from './FixedChargeNetwork.js'
import type { PlannerAsset, PlannerNode, PlannerRoute } from './PlannerInput.js'
import { routeFeePpm, routeKind } from './routeIdOf.js'
import type { CheckedInput } from './validatePlannerInput.js'

/** Proportional fees are in parts per million. */
const PPM = 1_000_000n

/** One asset's network: its nodes and routes, the solver's network over them, and the way back. */
export type AssetNetwork = {
  asset: PlannerAsset
  unit: bigint
  /** Divides scaled costs back to USD with 18 decimals: 10^6 * 10^decimals. */
  costScale: bigint
  nodes: PlannerNode[]
  /** Position in the input's nodes of each of `nodes`. */
  positions: number[]
  routes: PlannerRoute[]
  /** One node per input node, one arc per route (arc r is route r). */
  full: FixedChargeNetwork
  /** The network the solver sees: free clusters contracted ({@link contractFreeArcs}). */
  network: FixedChargeNetwork
  /** Route of each arc of `network`. */
  arcOf: readonly number[]
  /** Node of `network` (cluster) of each input node of this asset. */
  clusterOf: readonly number[]
  /** Route flows from `network` flows. */
  expand: (flows: readonly bigint[]) => bigint[]
  totalSurplus: bigint
  totalDeficit: bigint
  minTransfer: bigint
  /** Tokens per unit of the solver's (weighted) shortfall: 1 with demand tiers, else `unit`. */
  tokensPerWeight: bigint
}

/**
 * Builds one asset's network in transfer units (see {@link planRebalance} for the model) and nets
 * members joined by free same-chain moves ({@link contractFreeArcs}).
 *
 * @param checked - the validated input
 * @param asset - the asset
 * @param positions - positions in the input's nodes of this asset's nodes
 * @param routeIndices - positions in the input's routes of this asset's routes
 * @returns the asset's network
 * @example
 * ```ts
 * const network = buildAssetNetwork(checked, checked.assets[0]!, [0, 1], [0])
 * ```
 */
export function buildAssetNetwork(
  checked: CheckedInput,
  asset: PlannerAsset,
  positions: number[],
  routeIndices: readonly number[],
): AssetNetwork {
  const unit = asset.unit ?? 1n
  // Position of each input node among this asset's nodes.
  const local = new Map<number, number>()
  const nodes = positions.map((p, i) => {
    local.set(p, i)
    return checked.nodes[p]!
  })
  const routes = routeIndices.map((i) => checked.routes[i]!)
  const ends: number[] = []
  for (const i of routeIndices) ends.push(local.get(checked.routeFrom[i]!)!, local.get(checked.routeTo[i]!)!)
  const supply = nodes.map((n) => (n.balance > n.target ? (n.balance - n.target) / unit : 0n))
  const demand = nodes.map((n) => (n.target > n.balance ? divRound(n.target - n.balance, unit, 'ceil') : 0n))
  const costScale = PPM * 10n ** BigInt(asset.decimals)
  const minTransfer = checked.minTransfer(asset)
  const minFlow = minTransfer > unit ? divRound(minTransfer, unit, 'ceil') : 1n
  const totalSupplyUnits = supply.reduce((a, b) => a + b, 0n)
  const unitPrice = asset.priceUsd * unit
  const arcs: FixedChargeArc[] = routes.map((r, k) => {
    const bridge = routeKind(r) === 'bridge'
    const fee = routeFeePpm(r)
    const fixed = (r.fixedFeeUsd ?? 0n) + (r.gasUsd ?? 0n)
    const arc: FixedChargeArc = {
      from: ends[2 * k]!,
      to: ends[2 * k + 1]!,
      capacity: r.capacity === undefined ? totalSupplyUnits : unit === 1n ? r.capacity : r.capacity / unit,
      unitCost: fee === 0n ? 0n : fee * unitPrice,
      fixedCost: fixed === 0n ? 0n : fixed * costScale,
      // The minimum transfer size is for bridge transfers; same-chain moves have none.
      minFlow: bridge ? minFlow : 1n,
    }
    if (bridge) {
      const low = Math.min(r.from.chainId, r.to.chainId)
      const high = Math.max(r.from.chainId, r.to.chainId)
      arc.pair = `${low}-${high}`
      arc.direction = r.from.chainId === low ? 1 : -1
    }
    return arc
  })
  // Shortfall in tokens: a deficit that is not a whole number of units has a last, lighter unit (its
  // remainder); without such a deficit every unit weighs the same and units count alike.
  const partial =
    unit !== 1n && nodes.some((n) => n.target > n.balance && (n.target - n.balance) % unit !== 0n)
  const demandTiers = partial
    ? nodes.map((n, i) => {
        const d = demand[i]!
        if (d === 0n) return undefined
        const last = n.target - n.balance - (d - 1n) * unit
        return last === unit
          ? [{ units: d, weight: unit }]
          : [...(d > 1n ? [{ units: d - 1n, weight: unit }] : []), { units: 1n, weight: last }]
      })
    : undefined
  const full: FixedChargeNetwork = {
    nodeCount: nodes.length,
    supply,
    demand,
    arcs,
    ...(demandTiers === undefined ? {} : { demandTiers }),
  }
  // Netting: members joined by free same-chain moves (both ways) settle among themselves first.
  const contracted = contractFreeArcs(
    full,
    routes.map(
      (r) =>
        routeKind(r) === 'internal' &&
        routeFeePpm(r) === 0n &&
        (r.fixedFeeUsd ?? 0n) === 0n &&
        (r.gasUsd ?? 0n) === 0n &&
        r.capacity === undefined &&
        r.latencySeconds === 0,
    ),
  )
  return {
    asset,
    unit,
    costScale,
    nodes,
    positions,
    routes,
    full,
    network: contracted.network,
    arcOf: contracted.arcOf,
    clusterOf: contracted.clusterOf,
    expand: contracted.expand,
    totalSurplus: nodes.reduce((s, n) => (n.balance > n.target ? s + n.balance - n.target : s), 0n),
    totalDeficit: nodes.reduce((s, n) => (n.target > n.balance ? s + n.target - n.balance : s), 0n),
    minTransfer,
    tokensPerWeight: partial ? 1n : unit,
  }
}

/**
 * Default branch-and-bound budget: a relaxation costs about arcs x nodes steps, so the budget is
 * ~2M such steps per asset (at least 4 relaxations). Small instances get thousands of nodes and are
 * solved exactly; pool-scale ones keep the slope scaling incumbent and report the proven gap.
 */
export function defaultBranchBudget(network: FixedChargeNetwork): number {
  const work = Math.max(1, network.arcs.length * Math.max(1, network.nodeCount))
  return Math.max(4, Math.min(5000, Math.floor(2_000_000 / work)))
}
