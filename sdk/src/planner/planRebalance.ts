import { divRound } from '../money/divRound.js'
import { buildAssetNetwork, defaultBranchBudget } from './buildAssetNetwork.js'
import { chainOutcomes, coverageBps } from './chainOutcomes.js'
import { diagnoseAsset } from './diagnoseAsset.js'
import type { FixedChargeNetwork } from './FixedChargeNetwork.js'
import { fastestThreshold } from './fastestThreshold.js'
import type { PlannerInput, PlannerNode, PlanObjective, PlanOptions } from './PlannerInput.js'
import { planWithSwaps } from './planWithSwaps.js'
import type {
  InfeasibilityReason,
  NodeOutcome,
  PlannedTransfer,
  PlanOptimality,
  RebalancePlan,
} from './RebalancePlan.js'
import { routeFeePpm, routeIdOf, routeKind } from './routeIdOf.js'
import { scheduleTransfers } from './scheduleTransfers.js'
import { solveFixedCharge } from './solveFixedCharge.js'
import { validatePlannerInput } from './validatePlannerInput.js'

/**
 * Plans the transfers that bring every node to its target, at least cost (or soonest).
 *
 * Model (one independent network per asset, since assets never mix):
 * - each node with `balance > target` can give `floor((balance - target) / unit)` units; each with
 *   `balance < target` needs `ceil((target - balance) / unit)` units (`unit` = the asset's transfer
 *   granularity, so amounts survive OFT dust removal);
 * - each route is an arc with capacity `floor(capacity / unit)`, a unit cost
 *   `feePpm * priceUsd * unit` and a fixed cost `(fixedFeeUsd + gasUsd) * 10^6 * 10^decimals`:
 *   both scaled by `10^6 * 10^decimals` so that proportional fees (ppm of token amounts) and fixed
 *   fees (USD) add up exactly in integers;
 * - the solver ({@link solveFixedCharge}) minimises the total shortfall first, then the cost:
 *   an exact min-cost flow when no route has a fixed cost or minimum, otherwise branch and bound
 *   over route activation with a dynamic slope scaling incumbent (exact within `maxBranchNodes`;
 *   the returned `optimality` says whether optimality was proven and the gap otherwise).
 * - Netting: opposing needs cancel before anything is bridged. Surpluses and deficits of members
 *   on the same chain settle through `internal` routes, and bridge routes between two chains form
 *   a pair that may carry the asset in one direction only (branched on, never violated), so no
 *   plan sends the same asset both ways between two chains.
 * - Executable by construction: plans are acyclic (members netted on a chain count as one place),
 *   so in wave order every sender holds what it sends; capacities are capped at the supply that
 *   can reach a route ({@link solveFixedCharge}); the shortfall is counted in tokens (a deficit's
 *   last partial unit weighs its remainder); `totalCostUsd` is the sum of the transfers' costs.
 * - `fastest`: the smallest latency threshold `L` whose routes still reach the least shortfall
 *   (binary search over route latencies with a max-flow per asset), then the cheapest plan on
 *   routes with latency <= `L`: the slowest leg is minimised, then the cost.
 * - Infeasible targets give the plan of least total shortfall plus a diagnosis: short nodes,
 *   assets without enough surplus, deficit nodes no route reaches, and the routes whose capacity
 *   binds (saturated arcs of a minimum cut of the max-flow network).
 *
 * The proportional fee is a cost the sender pays; the route delivers the full amount (as a
 * LayerZero OFT does).
 *
 * With `input.swaps`, swaps on constant-product venues join the plan to meet composition targets
 * ({@link planWithSwaps}: swaps sized first, this flow on the post-swap books, top-up swaps after).
 *
 * @param input - chains, assets, nodes (balances and targets) and routes
 * @param options - objective, minimum transfer size, branch-and-bound budget
 * @returns the plan: transfers, costs, time, outcomes per node and chain, diagnosis
 * @throws {PlannerInputError} on negative amounts, unknown chains, assets or nodes, bad routes
 * @example
 * ```ts
 * const plan = planRebalance({
 *   chains: [{ chainId: 1, name: 'ethereum' }, { chainId: 42161, name: 'arbitrum' }],
 *   assets: [{ symbol: 'USDC', decimals: 6, priceUsd: 10n ** 18n }],
 *   nodes: [
 *     { chainId: 1, asset: 'USDC', balance: 900_000000n, target: 500_000000n },
 *     { chainId: 42161, asset: 'USDC', balance: 100_000000n, target: 400_000000n },
 *   ],
 *   routes: [{ asset: 'USDC', from: { chainId: 1 }, to: { chainId: 42161 }, feePpm: 500n, latencySeconds: 60 }],
 * })
 * // plan.transfers[0].amount === 300_000000n
 * ```
 */
export function planRebalance(input: PlannerInput, options: PlanOptions = {}): RebalancePlan {
  if (input.swaps !== undefined) return planWithSwaps(input, options, planRebalance)
  const objective: PlanObjective = options.objective ?? 'cheapest'
  const checked = validatePlannerInput(input, options)
  // One pass over nodes and routes puts each in its asset's bucket.
  const nodesOf = new Map<string, number[]>(checked.assets.map((a) => [a.symbol, []]))
  const routesOf = new Map<string, number[]>(checked.assets.map((a) => [a.symbol, []]))
  checked.nodes.forEach((n, i) => {
    nodesOf.get(n.asset)!.push(i)
  })
  checked.routes.forEach((r, i) => {
    routesOf.get(r.asset)!.push(i)
  })
  const assets = checked.assets.map((asset) =>
    buildAssetNetwork(checked, asset, nodesOf.get(asset.symbol)!, routesOf.get(asset.symbol)!),
  )

  // `fastest`: one latency threshold for the whole plan (the slowest leg is plan-wide).
  let threshold = Number.POSITIVE_INFINITY
  if (objective === 'fastest') {
    threshold = 0
    for (const a of assets) {
      const budget = options.maxBranchNodes ?? defaultBranchBudget(a.network)
      threshold = Math.max(threshold, fastestThreshold(a, budget))
    }
  }

  const transfers: PlannedTransfer[] = []
  const optimality: PlanOptimality[] = []
  const netting: RebalancePlan['netting'][number][] = []
  const reasons: InfeasibilityReason[] = []
  // Balance after the plan of each input node, and the input nodes each transfer joins.
  const after = checked.nodes.map((n) => n.balance)
  const fromOf: number[] = []
  const toOf: number[] = []
  let totalCostUsd = 0n

  for (const a of assets) {
    const allowed = a.arcOf.map((r) => a.routes[r]!.latencySeconds <= threshold)
    const network: FixedChargeNetwork = {
      ...a.network,
      arcs: a.network.arcs.map((arc, k) => (allowed[k] ? arc : { ...arc, capacity: 0n })),
    }
    const budget = options.maxBranchNodes ?? defaultBranchBudget(network)
    const solution = solveFixedCharge(network, {
      maxBranchNodes: budget,
      dropTries: Math.min(24, defaultBranchBudget(network)),
    })
    let nettedOnChain = 0n
    let bridged = 0n
    // The plan's cost is the sum of its transfers' costs (each rounded up on its own).
    let assetCostUsd = 0n
    a.expand(solution.flows).forEach((units, r) => {
      if (units === 0n) return
      const route = a.routes[r]!
      const arc = a.full.arcs[r]!
      const amount = units * a.unit
      const from = a.nodes[arc.from]!
      const to = a.nodes[arc.to]!
      const fromPosition = a.positions[arc.from]!
      const toPosition = a.positions[arc.to]!
      after[fromPosition] = after[fromPosition]! - amount
      after[toPosition] = after[toPosition]! + amount
      const kind = routeKind(route)
      if (kind === 'internal') {
        if (to.balance < to.target) nettedOnChain += amount
      } else bridged += amount
      const fixedFeeUsd = route.fixedFeeUsd ?? 0n
      const gasUsd = route.gasUsd ?? 0n
      const fee = routeFeePpm(route)
      // costScale is PPM * 10^decimals.
      const proportionalFeeUsd =
        fee === 0n ? 0n : divRound(amount * fee * a.asset.priceUsd, a.costScale, 'ceil')
      const costUsd = fixedFeeUsd + gasUsd + proportionalFeeUsd
      assetCostUsd += costUsd
      // Object literals of a fixed shape (spreads are slow at thousands of transfers); the
      // addresses, when known, go where the spreads put them.
      const transfer: PlannedTransfer =
        from.address === undefined && to.address === undefined
          ? {
              routeId: routeIdOf(route),
              kind,
              asset: a.asset.symbol,
              from: refOf(from),
              to: refOf(to),
              amount,
              costUsd,
              fixedFeeUsd,
              gasUsd,
              proportionalFeeUsd,
              latencySeconds: route.latencySeconds,
              wave: 0,
              deliveredAfterSeconds: 0,
            }
          : {
              routeId: routeIdOf(route),
              kind,
              asset: a.asset.symbol,
              from: refOf(from),
              to: refOf(to),
              ...(from.address === undefined ? {} : { fromAddress: from.address }),
              ...(to.address === undefined ? {} : { toAddress: to.address }),
              amount,
              costUsd,
              fixedFeeUsd,
              gasUsd,
              proportionalFeeUsd,
              latencySeconds: route.latencySeconds,
              wave: 0,
              deliveredAfterSeconds: 0,
            }
      transfers.push(transfer)
      fromOf.push(fromPosition)
      toOf.push(toPosition)
    })
    totalCostUsd += assetCostUsd
    // The solver's bound is in scaled units; rounded down, and never above the plan's cost.
    const bound = solution.costLowerBound / a.costScale
    const lowerUsd = bound < assetCostUsd ? bound : assetCostUsd
    optimality.push({
      asset: a.asset.symbol,
      method: solution.method,
      exact: solution.exact,
      costUsd: assetCostUsd,
      costLowerBoundUsd: lowerUsd,
      gap: assetCostUsd === 0n ? 0 : Number(assetCostUsd - lowerUsd) / Number(assetCostUsd),
      relaxations: solution.relaxations,
    })
    const shortfallTokens = a.nodes.reduce((sum, n, i) => {
      const missing = n.target - after[a.positions[i]!]!
      return missing > 0n ? sum + missing : sum
    }, 0n)
    netting.push({
      asset: a.asset.symbol,
      totalSurplus: a.totalSurplus,
      totalDeficit: a.totalDeficit,
      nettedOnChain,
      bridged,
      shortfall: shortfallTokens,
    })
    if (shortfallTokens > 0n) reasons.push(...diagnoseAsset(a, allowed, solution.shortfall, checked))
  }

  scheduleTransfers(transfers, fromOf, toOf, checked.nodes)
  const nodes: NodeOutcome[] = checked.nodes.map((n, i) => {
    const end = after[i]!
    const chainName = checked.chainName(n.chainId)
    const coverageBeforeBps = coverageBps(n.balance, n.target)
    const coverageAfterBps = coverageBps(end, n.target)
    const shortfall = n.target > end ? n.target - end : 0n
    // Two literals rather than a spread: thousands of nodes.
    return n.member === undefined
      ? {
          chainId: n.chainId,
          chainName,
          asset: n.asset,
          target: n.target,
          before: n.balance,
          after: end,
          coverageBeforeBps,
          coverageAfterBps,
          shortfall,
        }
      : {
          chainId: n.chainId,
          chainName,
          asset: n.asset,
          member: n.member,
          target: n.target,
          before: n.balance,
          after: end,
          coverageBeforeBps,
          coverageAfterBps,
          shortfall,
        }
  })
  const short = nodes
    .filter((n) => n.shortfall > 0n)
    .map((n) => ({
      chainId: n.chainId,
      chainName: n.chainName,
      asset: n.asset,
      ...(n.member === undefined ? {} : { member: n.member }),
      shortfall: n.shortfall,
    }))
  return {
    objective,
    assets: checked.assets.map((a) => ({ symbol: a.symbol, decimals: a.decimals })),
    feasible: short.length === 0,
    transfers,
    totalCostUsd,
    slowestLegSeconds: transfers.reduce((m, t) => Math.max(m, t.latencySeconds), 0),
    totalTimeSeconds: transfers.reduce((m, t) => Math.max(m, t.deliveredAfterSeconds), 0),
    nodes,
    chains: chainOutcomes(nodes, checked),
    netting,
    optimality,
    ...(short.length === 0 ? {} : { diagnosis: { short, reasons } }),
  }
}

function refOf(n: PlannerNode): { chainId: number; member?: string | undefined } {
  return n.member === undefined ? { chainId: n.chainId } : { chainId: n.chainId, member: n.member }
}
