import type { AssetNetwork } from './buildAssetNetwork.js'
import { demandWeight } from './demandWeight.js'
import { solveFixedCharge } from './solveFixedCharge.js'

/**
 * Smallest route latency that still reaches the least shortfall of all routes: binary search over
 * the routes' latencies. Each probe solves the shortfall-only problem (costs zeroed) with every
 * rule kept (minimum transfer, no both-ways), so the threshold never trades coverage for speed.
 */
export function fastestThreshold(a: AssetNetwork, budget: number): number {
  // Each arc costless, open and (when a probe needs it) closed, built once for all probes.
  const open = a.network.arcs.map((arc) => ({ ...arc, unitCost: 0n, fixedCost: 0n }))
  const closed: (typeof open)[number][] = []
  const latencyOf = a.arcOf.map((r) => a.routes[r]!.latencySeconds)
  const shortfallWithin = (limit: number) =>
    solveFixedCharge(
      {
        ...a.network,
        arcs: open.map((arc, r) => {
          if (latencyOf[r]! <= limit) return arc
          closed[r] ??= { ...arc, capacity: 0n }
          return closed[r]!
        }),
      },
      { maxBranchNodes: budget },
    ).shortfall
  const latencies = [...new Set(latencyOf)].sort((x, y) => x - y)
  if (latencies.length === 0) return 0
  const best = shortfallWithin(Number.POSITIVE_INFINITY)
  if (best === demandWeight(a.network)) return 0
  let lo = 0
  let hi = latencies.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (shortfallWithin(latencies[mid]!) === best) hi = mid
    else lo = mid + 1
  }
  return latencies[lo]!
}
