import { encodeFunctionData, erc20Abi } from 'viem'
import { toUsd } from '../money/toUsd.js'
import { compositionValue, inScope, meetsComposition } from './compositionShare.js'
import { constantProductAmountOut, minimumAmountOut, priceImpactPpm } from './constantProductAmountOut.js'
import { encodeSwapExactTokensForTokens } from './encodeSwapExactTokensForTokens.js'
import type { PlannerAsset, PlannerNode } from './PlannerInput.js'
import type { PlannedSwap } from './RebalancePlan.js'
import type { CompositionTarget, SwapSettings, SwapVenue } from './SwapSettings.js'
import { sizeCompositionSwap } from './sizeCompositionSwap.js'
import { type SaleVenue, splitSale } from './splitSale.js'

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
 * Per target, first the sale split across all its venues at equal marginal rates
 * ({@link splitSale}: water-filling on Uniswap V2's concave `getAmountOut`, the least total sale
 * of that shape meeting the target at the minimum outputs, hence least value lost while pools
 * price the volatile asset at or below its oracle price). It is taken when it uses two venues or
 * more, meets the target, and costs no more than the best single-venue sale; each venue's amount
 * becomes one swap per seller (its own call and approval), filled in candidate order up to each
 * seller's cap. Exact up to integer rounding (a base unit per venue, `2^-64` of the rate); every
 * output is `getAmountOut` of the actual amount on the reserves the earlier swaps left, so it is
 * never overstated. Not exact when several sellers share a venue (their legs are priced as one
 * curve, then run one after the other, each leg rounding down) or a seller has no buyer book on
 * some venue of its chain; the single-venue search below then tops up what is missing.
 *
 * Then, per step until met, every (venue, direction, member) is sized exactly with
 * {@link sizeCompositionSwap} and the cheapest one that meets the target alone is taken (cost: the
 * value lost to fee and price impact at the input prices, `toUsd` of in minus expected out). When
 * none suffices alone, the one leaving the smallest excess `V B - t T` is taken at its cap and the
 * search repeats.
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
    swaps.push(...splitIfCheaper(state, settings, candidates, target, phase))
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

/**
 * The least-cost split of the target's sale across its venues ({@link splitSale}), applied when it
 * meets the target and costs no more than the best single-venue sale; each venue's amount becomes
 * one swap per seller (filled in candidate order up to each seller's cap). Nothing otherwise.
 */
function splitIfCheaper(
  state: SwapState,
  settings: SwapSettings,
  candidates: readonly Candidate[],
  target: CompositionTarget,
  phase: PlannedSwap['phase'],
): PlannedSwap[] {
  const value = compositionValue(target, state.nodes, state.balances, state.scales)
  if (meetsComposition(value, target.maxVolatileShareBps)) return []
  const units: { venue: number; side: 0 | 1; sellers: Candidate[] }[] = []
  for (const c of candidates) {
    // Selling an asset priced at zero moves no value: no rate to equalise (and none to divide by).
    if (state.scales.get(state.nodes[c.seller]!.asset) === 0n) continue
    const u = units.find((x) => x.venue === c.venue && x.side === c.side)
    if (u === undefined) units.push({ venue: c.venue, side: c.side, sellers: [c] })
    else u.sellers.push(c)
  }
  if (units.length < 2) return []
  const groupKeys: string[] = []
  const groupCaps: bigint[] = []
  const groupSellers: Set<number>[] = []
  const assetGroups = new Map<string, number[]>()
  const saleVenues: SaleVenue[] = units.map((u) => {
    const venue = settings.venues[u.venue]!
    const asset = venue.assets[u.side]
    const key = `${venue.chainId}|${asset}`
    let group = groupKeys.indexOf(key)
    if (group < 0) {
      group = groupKeys.push(key) - 1
      groupCaps.push(0n)
      groupSellers.push(new Set())
      assetGroups.set(asset, [...(assetGroups.get(asset) ?? []), group])
    }
    for (const c of u.sellers) {
      if (groupSellers[group]!.has(c.seller)) continue
      groupSellers[group]!.add(c.seller)
      const own = state.balances[c.seller]! - state.nodes[c.seller]!.target
      if (own > 0n) groupCaps[group] = groupCaps[group]! + own
    }
    const c = u.sellers[0]!
    return {
      pool: poolOf(state, c, venue),
      scaleIn: state.scales.get(asset)!,
      scaleOut: state.scales.get(venue.assets[1 - u.side]!)!,
      group,
    }
  })
  const sharedCaps =
    phase === 'after-bridges'
      ? []
      : [...assetGroups].map(([asset, groups]) => {
          let spare = 0n
          state.nodes.forEach((m, i) => {
            if (m.asset === asset) spare += state.balances[i]! - m.target
          })
          return { groups, cap: spare > 0n ? spare : 0n }
        })
  const holds = (amounts: readonly bigint[]) => {
    let { volatile, total } = value
    amounts.forEach((a, i) => {
      if (a === 0n) return
      const v = saleVenues[i]!
      const sold = a * v.scaleIn
      volatile -= sold
      total += minimumAmountOut(constantProductAmountOut(a, v.pool), settings.slippageBps) * v.scaleOut - sold
    })
    return meetsComposition({ volatile, total }, target.maxVolatileShareBps)
  }
  const split = splitSale({ venues: saleVenues, groupCaps, sharedCaps, holds })
  if (!split.meets || split.amounts.filter((a) => a > 0n).length < 2) return []
  let splitCost = 0n
  split.amounts.forEach((a, i) => {
    if (a > 0n)
      splitCost += costOf(state, units[i]!.sellers[0]!, a, constantProductAmountOut(a, saleVenues[i]!.pool))
  })
  for (const c of candidates) {
    const cap = capOf(state, c.seller, phase)
    if (cap <= 0n) continue
    const pool = poolOf(state, c, settings.venues[c.venue]!)
    const sized = sizeCompositionSwap({
      value,
      scaleIn: state.scales.get(state.nodes[c.seller]!.asset)!,
      scaleOut: state.scales.get(state.nodes[c.buyer]!.asset)!,
      pool,
      maxAmountIn: cap,
      maxVolatileShareBps: target.maxVolatileShareBps,
      slippageBps: settings.slippageBps,
    })
    if (sized.meets && sized.amountIn > 0n) {
      if (costOf(state, c, sized.amountIn, constantProductAmountOut(sized.amountIn, pool)) <= splitCost)
        return []
    }
  }
  const swaps: PlannedSwap[] = []
  split.amounts.forEach((amount, i) => {
    let left = amount
    for (const c of units[i]!.sellers) {
      if (left <= 0n) break
      const cap = capOf(state, c.seller, phase)
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers only)
      const take = cap < left ? cap : left
      if (take <= 0n) continue
      swaps.push(applySwap(state, settings, c, take, target, phase))
      left -= take
    }
  })
  return swaps
}
