import { contractFreeArcs } from './contractFreeArcs.js'
import { addArc, arcFlow, createFlowGraph, minCostFlow } from './minCostFlow.js'
import type {
  PlannerAsset,
  PlannerInput,
  PlannerNode,
  PlannerRoute,
  PlanObjective,
  PlanOptions,
} from './PlannerInput.js'
import { PlannerInputError } from './plannerErrors.js'
import type {
  ChainOutcome,
  InfeasibilityReason,
  NodeOutcome,
  PlannedTransfer,
  PlanOptimality,
  RebalancePlan,
} from './RebalancePlan.js'
import { type FixedChargeArc, type FixedChargeNetwork, solveFixedCharge } from './solveFixedCharge.js'

/** Proportional fees are in parts per million. */
const PPM = 1_000_000n

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
  const objective: PlanObjective = options.objective ?? 'cheapest'
  const checked = validateInput(input, options)
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
    const scale = a.costScale
    const costUsd = ceilDiv(solution.cost, scale)
    const lowerUsd = solution.costLowerBound / scale
    totalCostUsd += costUsd
    optimality.push({
      asset: a.asset.symbol,
      method: solution.method,
      exact: solution.exact,
      costUsd,
      costLowerBoundUsd: lowerUsd,
      gap: costUsd === 0n ? 0 : Number(costUsd - lowerUsd) / Number(costUsd),
      relaxations: solution.relaxations,
    })

    let nettedOnChain = 0n
    let bridged = 0n
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
      const fee = feePpmOf(route)
      // costScale is PPM * 10^decimals.
      const proportionalFeeUsd = fee === 0n ? 0n : ceilDiv(amount * fee * a.asset.priceUsd, a.costScale)
      const costUsd = fixedFeeUsd + gasUsd + proportionalFeeUsd
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

/**
 * Default branch-and-bound budget: a relaxation costs about arcs x nodes steps, so the budget is
 * ~2M such steps per asset (at least 4 relaxations). Small instances get thousands of nodes and are
 * solved exactly; pool-scale ones keep the slope scaling incumbent and report the proven gap.
 */
function defaultBranchBudget(network: FixedChargeNetwork): number {
  const work = Math.max(1, network.arcs.length * Math.max(1, network.nodeCount))
  return Math.max(4, Math.min(5000, Math.floor(2_000_000 / work)))
}

type CheckedInput = {
  assets: readonly PlannerAsset[]
  nodes: readonly PlannerNode[]
  routes: readonly PlannerRoute[]
  /** Position in `nodes` of each route's start and end (validated). */
  routeFrom: Int32Array
  routeTo: Int32Array
  chainName: (chainId: number) => string
  minTransfer: (asset: PlannerAsset) => bigint
}

type AssetNetwork = {
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
}

function validateInput(input: PlannerInput, options: PlanOptions): CheckedInput {
  const chains = new Map<number, string>()
  for (const c of input.chains) {
    if (!Number.isSafeInteger(c.chainId) || c.chainId <= 0) {
      throw new PlannerInputError('Invalid chain id.', {
        details: `chain id ${String(c.chainId)} is not a positive integer.`,
        metaMessages: ['Use the EVM chain id (e.g. 1 for Ethereum, 42161 for Arbitrum).'],
      })
    }
    if (chains.has(c.chainId)) {
      throw new PlannerInputError('Duplicate chain.', { details: `chain ${c.chainId} is listed twice.` })
    }
    chains.set(c.chainId, c.name ?? String(c.chainId))
  }
  const chainName = (chainId: number) => chains.get(chainId) ?? String(chainId)
  const assertChain = (chainId: number, where: Text) => {
    if (!chains.has(chainId)) {
      throw new PlannerInputError('Unknown chain.', {
        details: `${where} refers to chain ${chainId}, which is not in input.chains (${[...chains.keys()].join(', ') || 'none'}).`,
        metaMessages: [`Add { chainId: ${chainId} } to input.chains, or fix the chain id.`],
      })
    }
  }
  const assets = new Map<string, PlannerAsset>()
  for (const a of input.assets) {
    if (assets.has(a.symbol)) {
      throw new PlannerInputError('Duplicate asset.', { details: `asset ${a.symbol} is listed twice.` })
    }
    if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 77) {
      throw new PlannerInputError('Invalid asset decimals.', {
        details: `asset ${a.symbol} has decimals ${a.decimals}; expected an integer 0..77.`,
      })
    }
    if (a.priceUsd < 0n) {
      throw new PlannerInputError('Negative price.', {
        details: `asset ${a.symbol} has priceUsd ${a.priceUsd}.`,
        metaMessages: ['Prices are USD with 18 decimals, >= 0.'],
      })
    }
    if (a.unit !== undefined && a.unit <= 0n) {
      throw new PlannerInputError('Invalid transfer unit.', {
        details: `asset ${a.symbol} has unit ${a.unit}; expected > 0.`,
        metaMessages: ['Use the OFT decimal conversion rate, 10^(decimals - sharedDecimals), or 1.'],
      })
    }
    assets.set(a.symbol, a)
  }
  const assertAsset = (symbol: string, where: Text) => {
    if (!assets.has(symbol)) {
      throw new PlannerInputError('Unknown asset.', {
        details: `${where} refers to asset ${symbol}, which is not in input.assets (${[...assets.keys()].join(', ') || 'none'}).`,
        metaMessages: [`Add { symbol: '${symbol}', decimals, priceUsd } to input.assets.`],
      })
    }
  }
  // asset -> chain id -> member ('' for none) -> position in input.nodes: lookups without building
  // string keys.
  const index = new Map<string, Map<number, Map<string, number>>>()
  const nodeOf = (chainId: number, asset: string, member: string | undefined) =>
    index
      .get(asset)
      ?.get(chainId)
      ?.get(member ?? '')
  const checkNode = (n: PlannerNode) => {
    const where = lazyText(() => `node ${nodeLabel(n)}`)
    assertChain(n.chainId, where)
    assertAsset(n.asset, where)
    for (const [field, value] of [
      ['balance', n.balance],
      ['target', n.target],
    ] as const) {
      if (value < 0n) {
        throw new PlannerInputError(`Negative ${field}.`, {
          details: `${where} has ${field} ${value}.`,
          metaMessages: ['Balances and targets are base units >= 0.'],
        })
      }
    }
    if (nodeOf(n.chainId, n.asset, n.member) !== undefined) {
      throw new PlannerInputError('Duplicate node.', { details: `${where} is listed twice.` })
    }
  }
  input.nodes.forEach((n, position) => {
    // The checks (and their messages) run in full only for a node that fails one.
    if (
      !chains.has(n.chainId) ||
      !assets.has(n.asset) ||
      n.balance < 0n ||
      n.target < 0n ||
      nodeOf(n.chainId, n.asset, n.member) !== undefined
    ) {
      checkNode(n)
    }
    let byChain = index.get(n.asset)
    if (byChain === undefined) {
      byChain = new Map()
      index.set(n.asset, byChain)
    }
    let byMember = byChain.get(n.chainId)
    if (byMember === undefined) {
      byMember = new Map()
      byChain.set(n.chainId, byMember)
    }
    byMember.set(n.member ?? '', position)
  })
  const routeFrom = new Int32Array(input.routes.length)
  const routeTo = new Int32Array(input.routes.length)
  const checkRoute = (r: PlannerRoute) => {
    const where = lazyText(() => `route ${routeIdOf(r)} (${r.asset})`)
    assertAsset(r.asset, where)
    assertChain(r.from.chainId, where)
    assertChain(r.to.chainId, where)
    for (const end of [r.from, r.to]) {
      if (nodeOf(end.chainId, r.asset, end.member) === undefined) {
        throw new PlannerInputError('Route to an unknown node.', {
          details: `${where} refers to node ${nodeLabel({ ...end, asset: r.asset })}, which is not in input.nodes.`,
          metaMessages: ['Add the node (balance 0n, target 0n for a pure relay), or fix the route.'],
        })
      }
    }
    if (r.from.chainId === r.to.chainId && r.from.member === r.to.member) {
      throw new PlannerInputError('Route from a node to itself.', {
        details: `${where} starts where it ends.`,
      })
    }
    if (r.kind === 'internal' && r.from.chainId !== r.to.chainId) {
      throw new PlannerInputError('Internal route between chains.', {
        details: `${where} is internal but goes from chain ${r.from.chainId} to ${r.to.chainId}.`,
        metaMessages: ['Internal routes move funds between members on one chain; use kind "bridge".'],
      })
    }
    if (r.kind === 'bridge' && r.from.chainId === r.to.chainId) {
      throw new PlannerInputError('Bridge route on one chain.', {
        details: `${where} is a bridge route but starts and ends on chain ${r.from.chainId}.`,
        metaMessages: ['Same-chain moves between members are kind "internal".'],
      })
    }
    if (r.feeBps !== undefined && r.feePpm !== undefined) {
      throw new PlannerInputError('Both feeBps and feePpm set.', {
        details: `${where} has feeBps ${r.feeBps} and feePpm ${r.feePpm}.`,
        metaMessages: ['Give the proportional fee once (1 bps = 100 ppm).'],
      })
    }
    const negative =
      (r.fixedFeeUsd ?? 0n) < 0n ||
      (r.gasUsd ?? 0n) < 0n ||
      (r.feePpm ?? 0n) < 0n ||
      (r.feeBps ?? 0n) < 0n ||
      (r.capacity ?? 0n) < 0n
    if (negative) {
      for (const [field, value] of [
        ['fixedFeeUsd', r.fixedFeeUsd],
        ['gasUsd', r.gasUsd],
        ['feePpm', r.feePpm],
        ['feeBps', r.feeBps],
        ['capacity', r.capacity],
      ] as const) {
        if (value !== undefined && value < 0n) {
          throw new PlannerInputError(`Negative ${field}.`, {
            details: `${where} has ${field} ${value}.`,
            metaMessages: ['Fees and capacities are >= 0 (a capacity of 0 means the route is exhausted).'],
          })
        }
      }
    }
    if (!Number.isFinite(r.latencySeconds) || r.latencySeconds < 0) {
      throw new PlannerInputError('Invalid latency.', {
        details: `${where} has latencySeconds ${r.latencySeconds}; expected a finite number >= 0.`,
      })
    }
  }
  input.routes.forEach((r, i) => {
    const from = nodeOf(r.from.chainId, r.asset, r.from.member)
    const to = nodeOf(r.to.chainId, r.asset, r.to.member)
    const sameChain = r.from.chainId === r.to.chainId
    // The checks (and their messages) run in full only for a route that fails one; ends that
    // exist imply a known asset and known chains.
    if (
      from === undefined ||
      to === undefined ||
      (sameChain && r.from.member === r.to.member) ||
      (r.kind === 'internal' && !sameChain) ||
      (r.kind === 'bridge' && sameChain) ||
      (r.feeBps !== undefined && r.feePpm !== undefined) ||
      (r.fixedFeeUsd !== undefined && r.fixedFeeUsd < 0n) ||
      (r.gasUsd !== undefined && r.gasUsd < 0n) ||
      (r.feePpm !== undefined && r.feePpm < 0n) ||
      (r.feeBps !== undefined && r.feeBps < 0n) ||
      (r.capacity !== undefined && r.capacity < 0n) ||
      !Number.isFinite(r.latencySeconds) ||
      r.latencySeconds < 0
    ) {
      checkRoute(r)
    }
    routeFrom[i] = from!
    routeTo[i] = to!
  })
  for (const [symbol, min] of Object.entries(options.minTransfer ?? {})) {
    assertAsset(symbol, 'options.minTransfer')
    if (min < 0n) {
      throw new PlannerInputError('Negative minimum transfer.', {
        details: `minTransfer.${symbol} is ${min}.`,
      })
    }
  }
  if (options.minTransferUsd !== undefined && options.minTransferUsd < 0n) {
    throw new PlannerInputError('Negative minimum transfer.', {
      details: `minTransferUsd is ${options.minTransferUsd}.`,
    })
  }
  if (
    options.maxBranchNodes !== undefined &&
    (!Number.isSafeInteger(options.maxBranchNodes) || options.maxBranchNodes < 0)
  ) {
    throw new PlannerInputError('Invalid branch-and-bound budget.', {
      details: `maxBranchNodes is ${options.maxBranchNodes}; expected an integer >= 0.`,
    })
  }
  return {
    assets: [...assets.values()],
    nodes: input.nodes,
    routes: input.routes,
    routeFrom,
    routeTo,
    chainName,
    minTransfer: (asset) => {
      let min = options.minTransfer?.[asset.symbol] ?? 0n
      if (options.minTransferUsd !== undefined && asset.priceUsd > 0n) {
        const fromUsd = ceilDiv(options.minTransferUsd * 10n ** BigInt(asset.decimals), asset.priceUsd)
        if (fromUsd > min) min = fromUsd
      }
      return min
    },
  }
}

function buildAssetNetwork(
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
  const demand = nodes.map((n) => (n.target > n.balance ? ceilDiv(n.target - n.balance, unit) : 0n))
  const costScale = PPM * 10n ** BigInt(asset.decimals)
  const minTransfer = checked.minTransfer(asset)
  const minFlow = minTransfer > unit ? ceilDiv(minTransfer, unit) : 1n
  const totalSupplyUnits = supply.reduce((a, b) => a + b, 0n)
  const unitPrice = asset.priceUsd * unit
  const arcs: FixedChargeArc[] = routes.map((r, k) => {
    const bridge = routeKind(r) === 'bridge'
    const fee = feePpmOf(r)
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
  const full: FixedChargeNetwork = { nodeCount: nodes.length, supply, demand, arcs }
  // Netting: members joined by free same-chain moves (both ways) settle among themselves first.
  const contracted = contractFreeArcs(
    full,
    routes.map(
      (r) =>
        routeKind(r) === 'internal' &&
        feePpmOf(r) === 0n &&
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
  }
}

/**
 * Max deliverable units of an asset using only `allowed` routes (capacities, no costs), with the
 * flow graph kept for a minimum-cut diagnosis.
 */
function maxDeliverable(a: AssetNetwork, allowed: readonly boolean[]) {
  const { network } = a
  const n = network.nodeCount
  const graph = createFlowGraph(n + 2)
  const demandArcs: number[] = []
  for (let i = 0; i < n; i++) {
    if (network.supply[i]! > 0n) addArc(graph, n, i, network.supply[i]!, 0n)
    if (network.demand[i]! > 0n) demandArcs.push(addArc(graph, i, n + 1, network.demand[i]!, -1n))
  }
  const routeArcs = network.arcs.map((arc, r) =>
    allowed[r] ? addArc(graph, arc.from, arc.to, arc.capacity, 0n) : -1,
  )
  minCostFlow(graph, n, n + 1)
  let met = 0n
  for (const d of demandArcs) met += arcFlow(graph, d)
  return { graph, routeArcs, met }
}

/**
 * Smallest route latency that still reaches the least shortfall of all routes: binary search over
 * the routes' latencies. Each probe solves the shortfall-only problem (costs zeroed) with every
 * rule kept (minimum transfer, no both-ways), so the threshold never trades coverage for speed.
 */
function fastestThreshold(a: AssetNetwork, budget: number): number {
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
  if (best === a.network.demand.reduce((s, d) => s + d, 0n)) return 0
  let lo = 0
  let hi = latencies.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (shortfallWithin(latencies[mid]!) === best) hi = mid
    else lo = mid + 1
  }
  return latencies[lo]!
}

/** Reasons an asset's targets are not all met. */
function diagnoseAsset(
  a: AssetNetwork,
  allowed: readonly boolean[],
  shortfallUnits: bigint,
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
    if (entered[cluster] === 0 && a.network.demand[cluster]! > 0n) {
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
  const flowShortfall = a.network.demand.reduce((s, d) => s + d, 0n) - met
  if (shortfallUnits > flowShortfall && a.minTransfer > 0n) {
    reasons.push({
      kind: 'min-transfer',
      asset: symbol,
      minTransfer: a.minTransfer,
      shortfall: (shortfallUnits - flowShortfall) * a.unit,
    })
  }
  return reasons
}

/**
 * Orders transfers for execution and times them: a transfer out of a node that needs inflows to
 * cover it (its own surplus is smaller than what it sends) waits for those inflows.
 *
 * @param transfers - the transfers, timed and sorted in place
 * @param fromOf - position in `nodes` of each transfer's start
 * @param toOf - position in `nodes` of each transfer's end
 * @param nodes - the input nodes
 */
function scheduleTransfers(
  transfers: PlannedTransfer[],
  fromOf: readonly number[],
  toOf: readonly number[],
  nodes: readonly PlannerNode[],
): void {
  const count = transfers.length
  const outflow = new Map<number, bigint>()
  // Transfers into each node, as linked lists over transfer indices (-1 ends a list).
  const firstInto = new Map<number, number>()
  const nextInto = new Int32Array(count)
  for (let t = count - 1; t >= 0; t--) {
    const from = fromOf[t]!
    outflow.set(from, (outflow.get(from) ?? 0n) + transfers[t]!.amount)
    const to = toOf[t]!
    nextInto[t] = firstInto.get(to) ?? -1
    firstInto.set(to, t)
  }
  // Whether a node's transfers wait for its inflows (computed once per node).
  const waits = new Map<number, boolean>()
  // 0 new, 1 being visited, 2 done.
  const state = new Uint8Array(count)
  const visit = (t: number): void => {
    if (state[t] !== 0) return
    state[t] = 1
    const transfer = transfers[t]!
    const from = fromOf[t]!
    let wait = waits.get(from)
    if (wait === undefined) {
      const node = nodes[from]!
      const own = node.balance > node.target ? node.balance - node.target : 0n
      wait = outflow.get(from)! > own
      waits.set(from, wait)
    }
    let start = 0
    let wave = 0
    if (wait) {
      for (let u = firstInto.get(from) ?? -1; u !== -1; u = nextInto[u]!) {
        visit(u)
        const inflow = transfers[u]!
        start = Math.max(start, inflow.deliveredAfterSeconds)
        wave = Math.max(wave, inflow.wave + 1)
      }
    }
    transfer.wave = wave
    transfer.deliveredAfterSeconds = start + transfer.latencySeconds
    state[t] = 2
  }
  for (let t = 0; t < count; t++) visit(t)
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  transfers.sort((x, y) => x.wave - y.wave || byText(x.asset, y.asset) || byText(x.routeId, y.routeId))
}

function chainOutcomes(nodes: readonly NodeOutcome[], checked: CheckedInput): ChainOutcome[] {
  // asset -> chain id -> outcome (no string keys); `order` keeps first appearance.
  const byAsset = new Map<string, Map<number, ChainOutcome>>()
  const order: ChainOutcome[] = []
  for (const n of nodes) {
    let byChain = byAsset.get(n.asset)
    if (byChain === undefined) {
      byChain = new Map()
      byAsset.set(n.asset, byChain)
    }
    let c = byChain.get(n.chainId)
    if (c === undefined) {
      c = {
        chainId: n.chainId,
        chainName: checked.chainName(n.chainId),
        asset: n.asset,
        target: 0n,
        before: 0n,
        after: 0n,
        coverageBeforeBps: undefined,
        coverageAfterBps: undefined,
      }
      byChain.set(n.chainId, c)
      order.push(c)
    }
    c.target += n.target
    c.before += n.before
    c.after += n.after
  }
  return order.map((c) => ({
    ...c,
    coverageBeforeBps: coverageBps(c.before, c.target),
    coverageAfterBps: coverageBps(c.after, c.target),
  }))
}

function coverageBps(balance: bigint, target: bigint): bigint | undefined {
  return target === 0n ? undefined : (balance * 10_000n) / target
}

function routeKind(r: PlannerRoute): 'bridge' | 'internal' {
  return r.kind ?? (r.from.chainId === r.to.chainId ? 'internal' : 'bridge')
}

function feePpmOf(r: PlannerRoute): bigint {
  return r.feePpm ?? (r.feeBps === undefined ? 0n : r.feeBps * 100n)
}

function nodeLabel(n: { chainId: number; asset: string; member?: string | undefined }): string {
  return `${n.chainId}/${n.asset}${n.member === undefined ? '' : `/${n.member}`}`
}

function refOf(n: PlannerNode): { chainId: number; member?: string | undefined } {
  return n.member === undefined ? { chainId: n.chainId } : { chainId: n.chainId, member: n.member }
}

/** The id of a route: its own, or `chainId[/member] -> chainId[/member]`. */
export function routeIdOf(r: PlannerRoute): string {
  if (r.id !== undefined) return r.id
  const end = (e: { chainId: number; member?: string | undefined }) =>
    `${e.chainId}${e.member === undefined ? '' : `/${e.member}`}`
  return `${end(r.from)} -> ${end(r.to)}`
}

/** A string, or a value that renders as one in template literals. */
type Text = string | { toString: () => string }

/** A string computed when first rendered (template literals call `toString`). */
function lazyText(make: () => string): Text {
  return { toString: make }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a <= 0n ? a / b : (a + b - 1n) / b
}
