import { chainOutcomes, coverageBps } from './chainOutcomes.js'
import { compositionValue, meetsComposition, shareBps, valueScales } from './compositionShare.js'
import type { PlannerInput, PlanOptions } from './PlannerInput.js'
import { nodeKey, planSwaps, type SwapState, targetIdOf } from './planSwaps.js'
import type {
  CompositionOutcome,
  NodeOutcome,
  PlannedSwap,
  PlannedTransfer,
  RebalancePlan,
} from './RebalancePlan.js'
import { validateSwapSettings } from './validateSwapSettings.js'

/** The bridge-only planner (`planRebalance` without `swaps`). */
export type PlanBridges = (input: PlannerInput, options: PlanOptions) => RebalancePlan

/**
 * Plans swaps and bridge transfers together for an input with `swaps`.
 *
 * Method: swaps first, then the existing bridge flow on the post-swap books, then top-up swaps.
 * 1. Before bridges: {@link planSwaps} sizes the least sale per composition target, split across
 *    the venues in scope at equal marginal rates when that is cheaper than one venue, counting
 *    each output at its minimum (slippage bound), from spare supply only (what no node target
 *    needs).
 * 2. The bridge flow (min-cost flow with fixed fees, unchanged) runs on the post-swap balances,
 *    so a swap's output can be bridged.
 * 3. After bridges: targets the flow broke (it may deliver a volatile asset to a chain, or take
 *    the stable one away) get swaps on the received balances, above node targets only.
 * Why not price impact inside the flow: composition limits are ratios of values across assets
 * while the flow is per asset; a joint model needs a convex multi-commodity program the planner
 * does not solve exactly. Swap sizes are exact and least-cost across the venues up to integer
 * rounding (see {@link planSwaps}); the bridge part keeps its optimality claims for the post-swap
 * books; the whole is not claimed optimal.
 *
 * Schedule: swaps take no time. Swaps before bridges are wave 0 and every transfer moves one wave
 * later (its sender may spend a swap's output); a swap after bridges runs one wave after the last
 * transfer or swap touching its two books, at that transfer's delivery.
 *
 * @param input - the planner input with `swaps`
 * @param options - the plan options
 * @param planBridges - the bridge-only planner
 * @returns the plan with `swaps`, `swapCostUsd` and `composition`; node and chain figures after
 *   every move (swap outputs at their minimum)
 * @throws {PlannerInputError} on bad venues or targets, or what `planBridges` throws
 */
export function planWithSwaps(
  input: PlannerInput,
  options: PlanOptions,
  planBridges: PlanBridges,
): RebalancePlan {
  const settings = input.swaps!
  validateSwapSettings(input, settings)
  const scales = valueScales(input.assets)
  const state: SwapState = {
    nodes: input.nodes,
    assets: new Map(input.assets.map((a) => [a.symbol, a])),
    scales,
    balances: input.nodes.map((n) => n.balance),
    reserves: settings.venues.map((v) => [v.reserves[0], v.reserves[1]]),
    nodeAt: new Map(input.nodes.map((n, i) => [nodeKey(n.chainId, n.asset, n.member), i])),
  }
  const first = planSwaps(state, settings, 'before-bridges')
  const postSwap = input.nodes.map((n, i) =>
    state.balances[i] === n.balance ? n : { ...n, balance: state.balances[i]! },
  )
  const bridged = planBridges({ ...input, nodes: postSwap, swaps: undefined }, options)
  const transfers: PlannedTransfer[] =
    first.length === 0 ? [...bridged.transfers] : bridged.transfers.map((t) => ({ ...t, wave: t.wave + 1 }))
  state.balances = bridged.nodes.map((n) => n.after)
  const second = planSwaps(state, settings, 'after-bridges')
  for (const swap of second) scheduleAfterBridges(swap, transfers, [...first, ...second])

  const nodes: NodeOutcome[] = bridged.nodes.map((n, i) => {
    const before = input.nodes[i]!.balance
    const after = state.balances[i]!
    return {
      ...n,
      before,
      after,
      coverageBeforeBps: coverageBps(before, n.target),
      coverageAfterBps: coverageBps(after, n.target),
      shortfall: n.target > after ? n.target - after : 0n,
    }
  })
  const names = new Map(nodes.map((n) => [n.chainId, n.chainName]))
  const composition: CompositionOutcome[] = settings.targets.map((t) => {
    const start = compositionValue(
      t,
      input.nodes,
      input.nodes.map((n) => n.balance),
      scales,
    )
    const end = compositionValue(t, input.nodes, state.balances, scales)
    return {
      targetId: targetIdOf(t),
      ...(t.chainId === undefined ? {} : { chainId: t.chainId }),
      ...(t.member === undefined ? {} : { member: t.member }),
      maxVolatileShareBps: t.maxVolatileShareBps,
      volatileShareBeforeBps: shareBps(start, 'floor'),
      volatileShareAfterBps: shareBps(end, 'ceil'),
      met: meetsComposition(end, t.maxVolatileShareBps),
    }
  })
  const swaps = [...first, ...second]
  const short = nodes
    .filter((n) => n.shortfall > 0n)
    .map((n) => ({
      chainId: n.chainId,
      chainName: n.chainName,
      asset: n.asset,
      ...(n.member === undefined ? {} : { member: n.member }),
      shortfall: n.shortfall,
    }))
  const { diagnosis, ...rest } = bridged
  return {
    ...rest,
    feasible: short.length === 0,
    transfers,
    totalTimeSeconds: Math.max(bridged.totalTimeSeconds, ...swaps.map((s) => s.executedAfterSeconds)),
    nodes,
    chains: chainOutcomes(nodes, { chainName: (id) => names.get(id) ?? String(id) }),
    swaps,
    swapCostUsd: swaps.reduce((sum, s) => sum + s.costUsd, 0n),
    composition,
    ...(short.length === 0 ? {} : { diagnosis: { short, reasons: diagnosis?.reasons ?? [] } }),
  }
}

/** Times a swap after bridges: after every transfer and earlier swap touching its two books. */
function scheduleAfterBridges(
  swap: PlannedSwap,
  transfers: readonly PlannedTransfer[],
  swaps: readonly PlannedSwap[],
): void {
  const books = new Set([swap.assetIn, swap.assetOut])
  const here = (asset: string, end: { chainId: number; member?: string | undefined }) =>
    books.has(asset) && end.chainId === swap.chainId && end.member === swap.member
  let wave = 0
  let at = 0
  for (const t of transfers) {
    if (here(t.asset, t.from) || here(t.asset, t.to)) {
      wave = Math.max(wave, t.wave + 1)
      at = Math.max(at, t.deliveredAfterSeconds)
    }
  }
  for (const s of swaps) {
    if (s === swap) break
    if (
      s.chainId === swap.chainId &&
      s.member === swap.member &&
      (books.has(s.assetIn) || books.has(s.assetOut))
    ) {
      wave = Math.max(wave, s.wave + 1)
      at = Math.max(at, s.executedAfterSeconds)
    }
  }
  swap.wave = wave
  swap.executedAfterSeconds = at
}
