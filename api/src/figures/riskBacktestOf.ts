import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import { backtestVaR, type VaRBacktest } from '@ballast/sdk/risk'
import { sdkRisk } from './riskArguments.js'

/** Arguments of a pool backtest. */
export type RiskBacktestArgs = {
  window: number
  confidence: number
  estimationWindow: number
  horizonPeriods: number
}

/**
 * Backtests the haircut (VaR) model on each priced reserve asset's feed price and on the pooled
 * ratio over the given periodic states (oldest first): `backtestVaR` on each series.
 *
 * @param states - the pool at regular times, oldest first.
 * @param evaluations - their evaluations (for the pooled ratio).
 * @param args - window, confidence, estimation window, horizon.
 * @returns per asset (reserve assets with their own feed) and for the pooled ratio (null without liabilities).
 * @example
 * ```ts
 * riskBacktestOf(states, evaluations, { window: 250, confidence: 0.99, estimationWindow: 100, horizonPeriods: 1 })
 * ```
 */
export function riskBacktestOf(
  states: readonly PoolState[],
  evaluations: readonly PoolEvaluation[],
  args: RiskBacktestArgs,
): { assets: { subject: string; backtest: VaRBacktest }[]; pooledRatio: VaRBacktest | null } {
  const options = {
    window: args.window,
    confidence: args.confidence,
    estimationWindow: args.estimationWindow,
    horizon: args.horizonPeriods,
  }
  const last = states[states.length - 1]!
  const reserve = new Set(last.riskParameters.map((r) => r.asset))
  const assets = last.assets.flatMap((a) => {
    if (a.kind !== 'erc20' || !reserve.has(a.symbol)) return []
    const series = states.map((s) => {
      const x = s.assets.find((b) => b.symbol === a.symbol)
      return x?.kind === 'erc20' ? Number(x.price.answer) / 10 ** x.price.decimals : Number.NaN
    })
    return [{ subject: a.symbol, backtest: sdkRisk(() => backtestVaR(series, options)) }]
  })
  const ratios = evaluations.map((e) =>
    e.reserveRatio === null ? Number.NaN : Number(e.reserveRatio) / 1e18,
  )
  const pooledRatio = ratios.some((r) => Number.isNaN(r)) ? null : sdkRisk(() => backtestVaR(ratios, options))
  return { assets, pooledRatio }
}
