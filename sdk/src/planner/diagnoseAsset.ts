import type { AssetNetwork } from './buildAssetNetwork.js'
import { demandWeight } from './demandWeight.js'
import { addArc, arcFlow, createFlowGraph, minCostFlow } from './minCostFlow.js'
import type { InfeasibilityReason } from './RebalancePlan.js'
import { routeIdOf } from './routeIdOf.js'
import type { CheckedInput } from './validatePlannerInput.js'

/** Reasons an asset's targets are not all met. */
export function diagnoseAsset(
  a: AssetNetwork,
  allowed: readonly boolean[],
  shortfall: bigint,
  checked: CheckedInput,
): InfeasibilityReason[] {
  const reasons: InfeasibilityReason[] = []
  const symbol = a.asset.symbol
  if (a.totalSurplus < a.totalDeficit) {
    reasons.push({
      kind: 'insufficient-surplus',
      asset: symbol,
      totalSurplus: a.totalSurplus,
      totalDeficit: a.totalDeficit,
    })
  }
  // A cluster (a node, or members netted through free moves) with a deficit that no allowed arc
  // enters. An exhausted route (capacity 0) still exists: it shows up below as a binding capacity.
  const entered = new Uint8Array(a.network.nodeCount)
  a.network.arcs.forEach((arc, k) => {
    if (allowed[k]) entered[arc.to] = 1
  })
  a.nodes.forEach((node, i) => {
    if (a.full.demand[i]! === 0n) return
    const cluster = a.clusterOf[i]!
    if (entered[cluster] === 0 && a.network.demand[cluster]! > a.network.supply[cluster]!) {
      reasons.push({
        kind: 'no-route',
        asset: symbol,
        chainId: node.chainId,
        chainName: checked.chainName(node.chainId),
        ...(node.member === undefined ? {} : { member: node.member }),
      })
    }
  })
  // Minimum cut of the max flow: routes from the source side to the sink side are saturated and
  // bound the amount delivered.
  const { graph, routeArcs, met } = maxDeliverable(a, allowed)
  const n = a.network.nodeCount
  const reachable = new Uint8Array(n + 2)
  const stack = [n]
  reachable[n] = 1
  while (stack.length > 0) {
    const u = stack.pop()!
    for (let e = graph.first[u]!; e !== -1; e = graph.next[e]!) {
      const v = graph.head[e]!
      if (reachable[v] === 0 && graph.residual[e]! > 0n) {
        reachable[v] = 1
        stack.push(v)
      }
    }
  }
  routeArcs.forEach((id, r) => {
    if (id === -1) return
    const arc = a.network.arcs[r]!
    const route = a.routes[a.arcOf[r]!]!
    if (route.capacity === undefined) return
    if (reachable[arc.from] === 1 && reachable[arc.to] === 0) {
      reasons.push({
        kind: 'binding-capacity',
        asset: symbol,
        routeId: routeIdOf(route),
        from: {
          chainId: route.from.chainId,
          ...(route.from.member === undefined ? {} : { member: route.from.member }),
        },
        to: {
          chainId: route.to.chainId,
          ...(route.to.member === undefined ? {} : { member: route.to.member }),
        },
        capacity: route.capacity,
      })
    }
  })
  const flowShortfall = demandWeight(a.network) - met
  if (shortfall > flowShortfall && a.minTransfer > 0n) {
    reasons.push({
      kind: 'min-transfer',
      asset: symbol,
      minTransfer: a.minTransfer,
      shortfall: (shortfall - flowShortfall) * a.tokensPerWeight,
    })
  }
  return reasons
}

/**
 * Max deliverable units of an asset using only `allowed` routes (capacities, no costs), with the
 * flow graph kept for a minimum-cut diagnosis.
 */
function maxDeliverable(a: AssetNetwork, allowed: readonly boolean[]) {
  const { network } = a
  const n = network.nodeCount
  const graph = createFlowGraph(n + 2)
  const demandArcs: { id: number; weight: bigint }[] = []
  for (let i = 0; i < n; i++) {
    if (network.supply[i]! > 0n) addArc(graph, n, i, network.supply[i]!, 0n)
    if (network.demand[i]! === 0n) continue
    for (const t of network.demandTiers?.[i] ?? [{ units: network.demand[i]!, weight: 1n }]) {
      demandArcs.push({ id: addArc(graph, i, n + 1, t.units, -t.weight), weight: t.weight })
    }
  }
  const routeArcs = network.arcs.map((arc, r) =>
    allowed[r] ? addArc(graph, arc.from, arc.to, arc.capacity, 0n) : -1,
  )
  minCostFlow(graph, n, n + 1)
  let met = 0n
  for (const d of demandArcs) met += arcFlow(graph, d.id) * d.weight
  return { graph, routeArcs, met }
}
