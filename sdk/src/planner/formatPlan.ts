import { formatUnits } from 'viem'
import type { InfeasibilityReason, RebalancePlan } from './RebalancePlan.js'

/**
 * A human-readable summary of a plan: headline (feasible or not, cost, slowest leg, total time),
 * the transfers in execution order, each chain's book before and after, and, when infeasible, who
 * stays short and why.
 *
 * @param plan - from {@link planRebalance}
 * @returns multi-line text
 * @example
 * ```ts
 * console.log(formatPlan(planRebalance(input)))
 * // Rebalance plan (cheapest): all targets met; 1 transfer, cost $0.15, slowest leg 60 s, done after 60 s
 * // ...
 * ```
 */
export function formatPlan(plan: RebalancePlan): string {
  const decimals = new Map(plan.assets.map((a) => [a.symbol, a.decimals]))
  const amount = (value: bigint, asset: string) => `${formatUnits(value, decimals.get(asset) ?? 0)} ${asset}`
  const chainName = new Map(plan.chains.map((c) => [c.chainId, c.chainName]))
  const at = (ref: { chainId: number; member?: string | undefined }) =>
    `${chainName.get(ref.chainId) ?? ref.chainId}${ref.member === undefined ? '' : `/${ref.member}`}`
  const n = plan.transfers.length
  const lines = [
    `Rebalance plan (${plan.objective}): ${plan.feasible ? 'all targets met' : 'INFEASIBLE, shortfall left'}; ` +
      `${n} transfer${n === 1 ? '' : 's'}, cost ${usd(plan.totalCostUsd)}, ` +
      `slowest leg ${plan.slowestLegSeconds} s, done after ${plan.totalTimeSeconds} s`,
  ]
  if (n > 0) {
    lines.push('', 'Transfers:')
    plan.transfers.forEach((t, i) => {
      lines.push(
        `  ${i + 1}. [wave ${t.wave}] ${amount(t.amount, t.asset)} ${at(t.from)} -> ${at(t.to)} ` +
          `(${t.kind}, ${usd(t.costUsd)}, ${t.latencySeconds} s)`,
      )
    })
  }
  if (plan.swaps !== undefined && plan.swaps.length > 0) {
    lines.push('', `Swaps (cost ${usd(plan.swapCostUsd ?? 0n)}):`)
    plan.swaps.forEach((s, i) => {
      lines.push(
        `  ${i + 1}. [wave ${s.wave}] ${amount(s.amountIn, s.assetIn)} -> ${amount(s.expectedAmountOut, s.assetOut)} ` +
          `(min ${amount(s.minimumAmountOut, s.assetOut)}) on ${s.venueId}, impact ${bps(s.priceImpactPpm / 100n)}, ` +
          `${s.phase}`,
      )
    })
  }
  if (plan.composition !== undefined && plan.composition.length > 0) {
    lines.push('', 'Composition (volatile share before -> after, limit):')
    for (const c of plan.composition) {
      lines.push(
        `  ${c.targetId}: ${bps(c.volatileShareBeforeBps)} -> ${bps(c.volatileShareAfterBps)}, ` +
          `at most ${bps(c.maxVolatileShareBps)}${c.met ? '' : ' NOT MET'}`,
      )
    }
  }
  lines.push('', 'Chains (before -> after, target, coverage):')
  for (const c of plan.chains) {
    lines.push(
      `  ${c.chainName} ${c.asset}: ${amount(c.before, c.asset)} -> ${amount(c.after, c.asset)}, ` +
        `target ${amount(c.target, c.asset)}, ${bps(c.coverageBeforeBps)} -> ${bps(c.coverageAfterBps)}`,
    )
  }
  if (plan.diagnosis !== undefined) {
    lines.push('', 'Short:')
    for (const s of plan.diagnosis.short) {
      lines.push(`  ${at(s)} ${s.asset}: short ${amount(s.shortfall, s.asset)}`)
    }
    lines.push('', 'Why:')
    for (const r of plan.diagnosis.reasons) lines.push(`  ${reason(r, amount, at)}`)
  }
  const inexact = plan.optimality.filter((o) => !o.exact)
  lines.push(
    '',
    inexact.length === 0
      ? 'Optimality: proven optimal.'
      : `Optimality: ${inexact.map((o) => `${o.asset} within ${(o.gap * 100).toFixed(2)}% (${o.method})`).join(', ')}.`,
  )
  return lines.join('\n')
}

function reason(
  r: InfeasibilityReason,
  amount: (value: bigint, asset: string) => string,
  at: (ref: { chainId: number; member?: string | undefined }) => string,
): string {
  switch (r.kind) {
    case 'insufficient-surplus':
      return `${r.asset}: total surplus ${amount(r.totalSurplus, r.asset)} < total deficit ${amount(r.totalDeficit, r.asset)}`
    case 'no-route':
      return `${r.asset}: no route reaches ${at(r)}`
    case 'binding-capacity':
      return `${r.asset}: route ${r.routeId} (${at(r.from)} -> ${at(r.to)}) is at capacity ${amount(r.capacity, r.asset)}`
    case 'min-transfer':
      return `${r.asset}: minimum transfer ${amount(r.minTransfer, r.asset)} leaves ${amount(r.shortfall, r.asset)} undelivered`
  }
}

/** USD with 18 decimals as `$1,234.56` (cents, rounded half up; sub-cent amounts keep 6 decimals). */
function usd(value: bigint): string {
  const scale = 10n ** 16n
  if (value > 0n && value < scale) return `$${formatUnits(value, 18).slice(0, 8)}`
  const cents = (value + scale / 2n) / scale
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `$${whole}.${(cents % 100n).toString().padStart(2, '0')}`
}

function bps(value: bigint | undefined): string {
  if (value === undefined) return 'n/a'
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}%`
}
