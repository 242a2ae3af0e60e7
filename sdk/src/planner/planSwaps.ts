import { encodeFunctionData, erc20Abi } from 'viem'
import { toUsd } from '../money/toUsd.js'
import { compositionValue, inScope, meetsComposition } from './compositionShare.js'
import { constantProductAmountOut, minimumAmountOut, priceImpactPpm } from './constantProductAmountOut.js'
import { encodeSwapExactTokensForTokens } from './encodeSwapExactTokensForTokens.js'
import type { PlannerAsset, PlannerNode } from './PlannerInput.js'
import type { PlannedSwap } from './RebalancePlan.js'
import type { CompositionTarget, SwapSettings, SwapVenue } from './SwapSettings.js'
import { sizeCompositionSwap } from './sizeCompositionSwap.js'

const BPS = 10_000n

/** What {@link planSwaps} reads and updates: balances per input node and each venue's reserves. */
export type SwapState = {
  nodes: readonly PlannerNode[]
  assets: ReadonlyMap<string, PlannerAsset>
  scales: ReadonlyMap<string, bigint>
  /** Balance of each node, updated by each swap (the output counted at its minimum). */
  balances: bigint[]
  /** Reserves of each venue (as `venue.reserves`), updated by each swap at its expected output. */
  reserves: [bigint, bigint][]
  /** chainId|asset|member -> node position. */
  nodeAt: ReadonlyMap<string, number>
}

/** Key of {@link SwapState.nodeAt}. */
export function nodeKey(chainId: number, asset: string, member: string | undefined): string {
  return `${chainId}|${asset}|${member ?? ''}`
}

/** A venue's id, given or `chainId:A/B`. */
export function venueIdOf(v: SwapVenue): string {
  return v.id ?? `${v.chainId}:${v.assets[0]}/${v.assets[1]}`
}

/** A target's id, given or `chainId|pooled[/member]`. */
export function targetIdOf(t: CompositionTarget): string {
  return t.id ?? `${t.chainId ?? 'pooled'}${t.member === undefined ? '' : `/${t.member}`}`
}

type Candidate = { venue: number; side: 0 | 1; seller: number; buyer: number }

/**
 * Swaps that bring each composition target within its limit, in target order (each sees the
 * swaps before it), selling volatile for stable on the venues in the target's scope.
 *
 * Per target and step, every (venue, direction, member) is sized exactly with
 * {@link sizeCompositionSwap} and the cheapest one that meets the target alone is taken (cost: the
 * value lost to fee and price impact at the input prices, `toUsd` of in minus expected out). When
 * none suffices alone, the one leaving the smallest excess `V B - t T` is taken at its cap and the
 * search repeats. Optimal among single-venue swaps for a target (exhaustive, least amount
 * each); splitting a sale across venues can cost less (impact is convex) and is not attempted.
 *
 * A seller sells at most its balance above its node target, and before bridges at most its
 * asset's spare supply (surplus minus deficit over all books of the asset), so a swap never
 * takes what the bridge flow needs to meet a node target (reachability aside: a spare unit far
 * from a deficit still counts).
 *
 * @param state - balances and reserves, updated in place
 * @param settings - venues, targets, slippage bound, deadline
 * @param phase - before the bridge flow (spare supply capped) or after it
 * @returns the swaps, waves unset (0)
 */
export function planSwaps(
  state: SwapState,
  settings: SwapSettings,
  phase: PlannedSwap['phase'],
): PlannedSwap[] {
  const swaps: PlannedSwap[] = []
  for (const target of settings.targets) {
    const candidates = candidatesOf(state, settings.venues, target)
    for (let step = 0; step <= candidates.length; step++) {
      const value = compositionValue(target, state.nodes, state.balances, state.scales)
      if (meetsComposition(value, target.maxVolatileShareBps)) break
      let best: { c: Candidate; amountIn: bigint; meets: boolean; rank: bigint } | undefined
      for (const c of candidates) {
        const cap = capOf(state, c.seller, phase)
        if (cap <= 0n) continue
        const venue = settings.venues[c.venue]!
        const pool = poolOf(state, c, venue)
        const sized = sizeCompositionSwap({
          value,
          scaleIn: state.scales.get(state.nodes[c.seller]!.asset)!,
          scaleOut: state.scales.get(state.nodes[c.buyer]!.asset)!,
          pool,
          maxAmountIn: cap,
          maxVolatileShareBps: target.maxVolatileShareBps,
          slippageBps: settings.slippageBps,
        })
        if (sized.amountIn === 0n) continue
        const out = constantProductAmountOut(sized.amountIn, pool)
        const rank = sized.meets
          ? costOf(state, c, sized.amountIn, out)
          : excessAfter(state, c, sized.amountIn, out, settings.slippageBps, value, target)
        if (
          best === undefined ||
          (sized.meets && !best.meets) ||
          (sized.meets === best.meets && rank < best.rank)
        ) {
          best = { c, amountIn: sized.amountIn, meets: sized.meets, rank }
        }
      }
      if (best === undefined) break
      swaps.push(applySwap(state, settings, best.c, best.amountIn, target, phase))
      if (best.meets) break
    }
  }
  return swaps
}

function candidatesOf(
  state: SwapState,
  venues: readonly SwapVenue[],
  target: CompositionTarget,
): Candidate[] {
  const out: Candidate[] = []
  venues.forEach((v, venue) => {
    if (target.chainId !== undefined && target.chainId !== v.chainId) return
    for (const side of [0, 1] as const) {
      const sell = v.assets[side]
      const buy = v.assets[1 - side]!
      if (!target.volatileAssets.includes(sell) || target.volatileAssets.includes(buy)) continue
      state.nodes.forEach((n, seller) => {
        if (n.chainId !== v.chainId || n.asset !== sell || !inScope(target, n)) return
        const buyer = state.nodeAt.get(nodeKey(v.chainId, buy, n.member))
        if (buyer !== undefined) out.push({ venue, side, seller, buyer })
      })
    }
  })
  return out
}

function capOf(state: SwapState, seller: number, phase: PlannedSwap['phase']): bigint {
  const n = state.nodes[seller]!
  const own = state.balances[seller]! - n.target
  if (phase === 'after-bridges') return own
  let spare = 0n
  state.nodes.forEach((m, i) => {
    if (m.asset === n.asset) spare += state.balances[i]! - m.target
  })
  return own < spare ? own : spare
}

function poolOf(state: SwapState, c: Candidate, venue: SwapVenue) {
  const r = state.reserves[c.venue]!
  return { reserveIn: r[c.side], reserveOut: r[1 - c.side]!, feeBps: venue.feeBps }
}

/** Value sold minus expected value bought, USD 18 decimals, never understated. */
function costOf(state: SwapState, c: Candidate, amountIn: bigint, out: bigint): bigint {
  const sold = state.assets.get(state.nodes[c.seller]!.asset)!
  const bought = state.assets.get(state.nodes[c.buyer]!.asset)!
  return (
    toUsd(amountIn, sold.decimals, sold.priceUsd, 18, 'ceil') -
    toUsd(out, bought.decimals, bought.priceUsd, 18, 'floor')
  )
}

function excessAfter(
  state: SwapState,
  c: Candidate,
  amountIn: bigint,
  out: bigint,
  slippageBps: bigint,
  value: { volatile: bigint; total: bigint },
  target: CompositionTarget,
): bigint {
  const sold = amountIn * state.scales.get(state.nodes[c.seller]!.asset)!
  const got = minimumAmountOut(out, slippageBps) * state.scales.get(state.nodes[c.buyer]!.asset)!
  return (value.volatile - sold) * BPS - target.maxVolatileShareBps * (value.total - sold + got)
}

function applySwap(
  state: SwapState,
  settings: SwapSettings,
  c: Candidate,
  amountIn: bigint,
  target: CompositionTarget,
  phase: PlannedSwap['phase'],
): PlannedSwap {
  const venue = settings.venues[c.venue]!
  const pool = poolOf(state, c, venue)
  const expected = constantProductAmountOut(amountIn, pool)
  const minimum = minimumAmountOut(expected, settings.slippageBps)
  const impact = priceImpactPpm(amountIn, expected, pool)
  const cost = costOf(state, c, amountIn, expected)
  state.balances[c.seller] = state.balances[c.seller]! - amountIn
  state.balances[c.buyer] = state.balances[c.buyer]! + minimum
  const r = state.reserves[c.venue]!
  r[c.side] = r[c.side] + amountIn
  r[1 - c.side] = r[1 - c.side]! - expected
  const seller = state.nodes[c.seller]!
  const recipient = state.nodes[c.buyer]!.address ?? seller.address
  return {
    venueId: venueIdOf(venue),
    chainId: venue.chainId,
    ...(seller.member === undefined ? {} : { member: seller.member }),
    ...(seller.address === undefined ? {} : { fromAddress: seller.address }),
    targetId: targetIdOf(target),
    assetIn: venue.assets[c.side],
    assetOut: venue.assets[1 - c.side]!,
    amountIn,
    expectedAmountOut: expected,
    minimumAmountOut: minimum,
    priceImpactPpm: impact,
    costUsd: cost,
    phase,
    wave: 0,
    executedAfterSeconds: 0,
    ...(recipient === undefined
      ? {}
      : {
          call: encodeSwapExactTokensForTokens({
            router: venue.router,
            amountIn,
            amountOutMin: minimum,
            path: [venue.tokens[c.side], venue.tokens[1 - c.side]!],
            to: recipient,
            deadline: settings.deadline,
          }),
          approveCall: {
            to: venue.tokens[c.side],
            data: encodeFunctionData({
              abi: erc20Abi,
              functionName: 'approve',
              args: [venue.router, amountIn],
            }),
            value: 0n,
          },
        }),
  }
}
