import { formatDecimal } from '@ballast/sdk'
import type { RebalancePlan } from '@ballast/sdk/planner'
import type { ResolvedLimits } from './KeeperPolicy.js'

const DAY = 86_400

/** An action taken earlier (from the keeper's journal): what the cooldown and daily limit count. */
export type PastAction = { actionId: string; at: number; movedUsd: bigint }

/** The outcome of the limit checks: the USD the plan moves, or the first limit it hits. */
export type LimitCheck =
  | { ok: true; movedUsd: bigint }
  | { ok: false; movedUsd: bigint; limit: string; reason: string }

/**
 * Checks a plan against the policy's hard limits before anything is proposed or sent. USD moved
 * by a transfer is `amount * P / 10^decimals` at the plan's price (rounded up: a limit is never
 * passed by rounding); a swap moves the USD it sells (`amountIn` of `assetIn`), counted per asset
 * sold, per action and per day like a transfer. Order: cooldown, allowed routes, allowed venues,
 * per route, per asset, per action, per day (the rolling 24 hours before `now`, this plan included).
 *
 * @param plan - The plan (its transfers and swaps).
 * @param context - Limits, the asset's USD price (18 decimals) and decimals by symbol, the action
 *   id, past actions, the current time (unix seconds).
 * @returns ok with the USD moved, or the limit hit and why.
 */
export function checkLimits(
  plan: RebalancePlan,
  context: {
    limits: ResolvedLimits
    assets: ReadonlyMap<string, { priceUsd: bigint; decimals: number }>
    actionId: string
    past: readonly PastAction[]
    now: number
  },
): LimitCheck {
  const { limits, now } = context
  const usd = (x: bigint) => `${formatDecimal(x, 18)} USD`
  const last = context.past
    .filter((p) => p.actionId === context.actionId)
    .reduce((m, p) => Math.max(m, p.at), -Infinity)
  const byRoute = new Map<string, bigint>()
  const byAsset = new Map<string, bigint>()
  let movedUsd = 0n
  const usdOf = (asset: string, amount: bigint) => {
    const a = context.assets.get(asset)!
    const scale = 10n ** BigInt(a.decimals)
    return (amount * a.priceUsd + scale - 1n) / scale
  }
  const venues = new Set<string>()
  for (const s of plan.swaps ?? []) {
    const value = usdOf(s.assetIn, s.amountIn)
    venues.add(s.venueId)
    byAsset.set(s.assetIn, (byAsset.get(s.assetIn) ?? 0n) + value)
    movedUsd += value
  }
  for (const t of plan.transfers) {
    const value = usdOf(t.asset, t.amount)
    const route = `${t.from.chainId}->${t.to.chainId}`
    byRoute.set(route, (byRoute.get(route) ?? 0n) + value)
    byAsset.set(t.asset, (byAsset.get(t.asset) ?? 0n) + value)
    movedUsd += value
  }
  const hit = (limit: string, reason: string): LimitCheck => ({ ok: false, movedUsd, limit, reason })
  if (now - last < limits.cooldownSeconds) {
    return hit(
      'cooldownSeconds',
      `action ${context.actionId} ran ${now - last} s ago; the cooldown is ${limits.cooldownSeconds} s`,
    )
  }
  for (const route of byRoute.keys()) {
    if (limits.allowedRoutes !== undefined && !limits.allowedRoutes.has(route)) {
      return hit('allowedRoutes', `route ${route} is not allowed`)
    }
  }
  for (const venue of venues) {
    if (limits.allowedVenues !== undefined && !limits.allowedVenues.has(venue)) {
      return hit('allowedVenues', `venue ${venue} is not allowed`)
    }
  }
  for (const [route, value] of byRoute) {
    const cap = limits.perRouteUsd.get(route)
    if (cap !== undefined && value > cap)
      return hit(`perRouteUsd.${route}`, `route ${route} would move ${usd(value)}, over ${usd(cap)}`)
  }
  for (const [asset, value] of byAsset) {
    const cap = limits.perAssetUsd.get(asset)
    if (cap !== undefined && value > cap)
      return hit(`perAssetUsd.${asset}`, `${asset} would move ${usd(value)}, over ${usd(cap)}`)
  }
  if (movedUsd > limits.perActionUsd) {
    return hit('perActionUsd', `the action would move ${usd(movedUsd)}, over ${usd(limits.perActionUsd)}`)
  }
  const today = context.past.filter((p) => p.at > now - DAY).reduce((s, p) => s + p.movedUsd, 0n)
  if (today + movedUsd > limits.perDayUsd) {
    return hit(
      'perDayUsd',
      `${usd(today)} moved in the last 24 h plus ${usd(movedUsd)} now is over ${usd(limits.perDayUsd)}`,
    )
  }
  return { ok: true, movedUsd }
}
