import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import type { PlannerInput, PlannerNode, PlannerRoute } from '@ballast/sdk/planner'

/** Route assumptions the state does not carry (fees and latency of the bridges). */
export type RouteAssumptions = {
  /** Fixed fee per transfer (messaging fee + gas), USD with 18 decimals. */
  fixedFeeUsd: bigint
  /** Proportional fee, parts per million. */
  feePpm: bigint
  /** Seconds from send to delivery. */
  latencySeconds: number
}

/**
 * The planner's input for a pool: one pool-level book per (chain, erc20 reserve asset) held on
 * two or more chains, with the target that each chain holds the asset in proportion to the
 * liabilities circulating there (`target[c,a] = total[a] * L_c / L`, remainders to the largest
 * chain), so redemptions on a chain can be paid from reserves on that chain; bridge routes
 * between every pair of those chains with the given fees and latency.
 *
 * @param state - the pool state (holdings per chain).
 * @param evaluation - the pool's evaluation (liabilities per chain, prices).
 * @param routes - fee and latency assumptions.
 * @returns the planner input.
 * @example
 * ```ts
 * planRebalance(plannerInputOf(state, evaluatePool(state), { fixedFeeUsd: 10n ** 17n, feePpm: 0n, latencySeconds: 60 }))
 * ```
 */
export function plannerInputOf(
  state: PoolState,
  evaluation: PoolEvaluation,
  routes: RouteAssumptions,
): PlannerInput {
  const liabilities = new Map(evaluation.chains.map((c) => [c.chainId, c.liabilitiesUsd]))
  const totalLiabilities = [...liabilities.values()].reduce((a, b) => a + b, 0n)
  const prices = new Map(evaluation.prices.map((p) => [p.asset, p.priceUsd]))
  const nodes: PlannerNode[] = []
  const plannerRoutes: PlannerRoute[] = []
  const assets: PlannerInput['assets'][number][] = []
  const members = state.members.filter((m) => m.poolId === evaluation.poolId)
  for (const asset of state.assets) {
    if (asset.kind !== 'erc20') continue
    const balances = new Map<number, bigint>()
    for (const m of members) {
      for (const h of m.holdings) {
        if (h.asset !== asset.symbol) continue
        // Books are kept in the canonical decimals (OFTs share them across chains here).
        const amount =
          h.decimals === asset.decimals
            ? h.amount
            : h.decimals > asset.decimals
              ? h.amount / 10n ** BigInt(h.decimals - asset.decimals)
              : h.amount * 10n ** BigInt(asset.decimals - h.decimals)
        balances.set(h.chainId, (balances.get(h.chainId) ?? 0n) + amount)
      }
    }
    if (balances.size < 2 || totalLiabilities === 0n) continue
    const chains = state.chains.map((c) => c.chainId).filter((id) => balances.has(id))
    const total = chains.reduce((sum, id) => sum + (balances.get(id) ?? 0n), 0n)
    const chainLiabilities = chains.reduce((sum, id) => sum + (liabilities.get(id) ?? 0n), 0n)
    if (chainLiabilities === 0n) continue
    const targets = new Map(
      chains.map((id) => [id, (total * (liabilities.get(id) ?? 0n)) / chainLiabilities]),
    )
    const largest = chains.reduce((a, b) => ((liabilities.get(b) ?? 0n) > (liabilities.get(a) ?? 0n) ? b : a))
    const assigned = [...targets.values()].reduce((a, b) => a + b, 0n)
    targets.set(largest, (targets.get(largest) ?? 0n) + total - assigned)
    assets.push({ symbol: asset.symbol, decimals: asset.decimals, priceUsd: prices.get(asset.symbol) ?? 0n })
    for (const chainId of chains) {
      nodes.push({
        chainId,
        asset: asset.symbol,
        balance: balances.get(chainId) ?? 0n,
        target: targets.get(chainId) ?? 0n,
      })
      for (const to of chains) {
        if (to === chainId) continue
        plannerRoutes.push({
          asset: asset.symbol,
          from: { chainId },
          to: { chainId: to },
          kind: 'bridge',
          fixedFeeUsd: routes.fixedFeeUsd,
          feePpm: routes.feePpm,
          latencySeconds: routes.latencySeconds,
        })
      }
    }
  }
  return {
    chains: state.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets,
    nodes,
    routes: plannerRoutes,
  }
}
