import { formatDecimal, parseDecimal } from '@ballast/sdk'
import type { KeeperDecisionsQuery, PoolHealthQuery } from '@ballast/sdk/client'
import { decisionSummary } from '../keeper/decisionSummary.js'

/**
 * Rounds an exact decimal string for display (half-even), keeping `digits` fraction digits.
 *
 * @param value - exact decimal string, or null.
 * @param digits - fraction digits shown.
 * @returns the rounded string, or `n/a`.
 * @example
 * ```ts
 * roundDecimal('1.23456', 2) // '1.23'
 * ```
 */
export function roundDecimal(value: string | null, digits: number): string {
  if (value === null) return 'n/a'
  const fixed = parseDecimal(value, 18)
  const text = formatDecimal(fixed, 18, { fractionDigits: digits, rounding: 'halfEven' })
  const [int = '0', frac] = text.replace('-', '').split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${text.startsWith('-') ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`
}

/** How the summary names each `PoolStatus`. */
const statusText: Record<PoolHealthQuery['pool']['status'], string> = {
  HEALTHY: 'healthy',
  BELOW_TARGET: 'below target',
  BELOW_MINIMUM: 'BELOW MINIMUM',
  DEGRADED: 'DEGRADED',
  NO_LIABILITIES: 'no liabilities',
}

/**
 * A short text summary of a pool's health: its status (the API's `Pool.status`), why the figures
 * are not exact when they are not, then the pooled ratio, per member and per chain, as `ballast
 * start` and `ballast serve` print it.
 *
 * @param pool - the `PoolHealth` query's pool.
 * @returns lines of text.
 * @example
 * ```ts
 * console.log(formatPoolSummary(pool))
 * ```
 */
export function formatPoolSummary(pool: PoolHealthQuery['pool']): string {
  const width = Math.max(
    8,
    ...pool.members.nodes.map((m) => m.name.length),
    ...pool.chains.map((c) => c.name.length),
  )
  const row = (name: string, ratio: string | null, ar: string, l: string) =>
    `    ${name.padEnd(width)}  ratio ${roundDecimal(ratio, 4).padStart(8)}   adjusted reserves ${roundDecimal(ar, 2).padStart(16)} USD   liabilities ${roundDecimal(l, 2).padStart(16)} USD`
  const reasons =
    pool.degraded.length === 0
      ? []
      : [
          `  not exact (${pool.degraded.length} reason${pool.degraded.length === 1 ? '' : 's'}):`,
          ...pool.degraded.map(
            (d) =>
              `    ${d.code}${d.asset === null ? '' : ` ${d.asset}`}${d.chainId === null ? '' : ` on chain ${d.chainId}`}: ${d.message}`,
          ),
        ]
  return [
    `Pool ${pool.name} (${pool.id.slice(0, 10)}…): ${statusText[pool.status]}, min ratio ${pool.minRatio}, target ${pool.targetRatio}`,
    ...reasons,
    `  pooled ratio ${roundDecimal(pool.reserveRatio, 4)}  (adjusted reserves ${roundDecimal(pool.adjustedReservesUsd, 2)} USD / liabilities ${roundDecimal(pool.liabilitiesUsd, 2)} USD)`,
    '  per member',
    ...pool.members.nodes.map((m) => row(m.name, m.reserveRatio, m.adjustedReservesUsd, m.liabilitiesUsd)),
    '  per chain',
    ...pool.chains.map((c) => row(`${c.name}`, c.reserveRatio, c.adjustedReservesUsd, c.liabilitiesUsd)),
  ].join('\n')
}

/** A keeper decision as the typed client reads it. */
type DecisionNode = KeeperDecisionsQuery['pool']['decisions']['nodes'][number]

/**
 * One line for a pool's latest keeper decision: when, what fired, what each action did.
 *
 * @param d - The decision (`KeeperDecisionsDocument`), or undefined when no keeper has decided.
 * @returns the line
 */
export function formatKeeperLine(d: DecisionNode | undefined): string {
  if (d === undefined) return '  keeper: no decision yet'
  return `  keeper ${d.policy}: ${d.id} [${d.mode.toLowerCase()}] at ${new Date(d.at * 1000).toISOString()}: ${decisionSummary(d)}`
}
