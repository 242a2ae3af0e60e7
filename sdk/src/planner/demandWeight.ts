import type { FixedChargeNetwork } from './FixedChargeNetwork.js'

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
