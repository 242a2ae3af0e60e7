import type {
  backtestFigures,
  recommendationFigures,
  redemptionForecastFigures,
  trancheFigures,
} from '../figures/riskFigures.js'
import { roundDecimal } from './formatPoolSummary.js'
import { formatTable } from './formatTable.js'

// The tables `ballast risk backtest|forecast|recommend|tranches` prints, from the same figures the
// GraphQL fields serve.

const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const p = (x: number) => x.toPrecision(3)
const interval = (e: { estimate: number; lower: number; upper: number }) =>
  `${pct(e.estimate)} [${pct(e.lower)}, ${pct(e.upper)}]`

/**
 * The backtest table: one row per asset and one for the pooled ratio.
 *
 * @param b - `backtestFigures` output.
 * @returns the text.
 * @example
 * ```ts
 * io.out(formatBacktestTable(await backtestFigures(subject, args)))
 * ```
 */
export function formatBacktestTable(b: Awaited<ReturnType<typeof backtestFigures>>): string {
  const rows = [...b.assets, ...(b.pooledRatio === null ? [] : [b.pooledRatio])].map((s) => [
    s.subject,
    String(s.observations),
    String(s.exceptions),
    s.expectedExceptions.toFixed(1),
    p(s.kupiec.pValue),
    p(s.independence.pValue),
    p(s.conditionalCoverage.pValue),
    s.zone.toLowerCase(),
  ])
  return [
    `Backtest of the haircut (VaR) model at ${pct(b.confidence)}, ${b.points} points of ${b.periodSeconds} s, EWMA over ${b.estimationWindow}, horizon ${b.horizonPeriods}`,
    formatTable(
      ['series', 'obs', 'exceptions', 'expected', 'Kupiec p', 'indep. p', 'cond. cov. p', 'zone'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  ].join('\n')
}

/**
 * The redemption forecast table: one row per chain and one for the pool.
 *
 * @param f - `redemptionForecastFigures` output.
 * @returns the text.
 * @example
 * ```ts
 * io.out(formatForecastTable(await redemptionForecastFigures(subject, args)))
 * ```
 */
export function formatForecastTable(f: Awaited<ReturnType<typeof redemptionForecastFigures>>): string {
  const usd = (x: string | null) => roundDecimal(x, 2)
  const rows = [
    ...f.chains.map((c) => [
      String(c.chainId),
      String(c.forecast.observations),
      usd(c.forecast.ewmaForecastUsd),
      usd(c.forecast.historicalForecastUsd),
      usd(c.forecast.stressedOutflowUsd),
      roundDecimal(c.liquidityCoverage.coverage, 4),
      c.liquidityCoverage.covered ? 'yes' : 'NO',
    ]),
    [
      'pool',
      String(f.pool.observations),
      usd(f.pool.ewmaForecastUsd),
      usd(f.pool.historicalForecastUsd),
      usd(f.pool.stressedOutflowUsd),
      '',
      '',
    ],
  ]
  return [
    `Net redemptions over ${f.horizonPeriods} periods of ${f.periodSeconds} s at ${pct(f.confidence)}, stress x${f.stress} (USD)`,
    formatTable(['chain', 'periods', 'EWMA', 'historical', 'stressed outflow', 'LCR', 'covered'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ]),
  ].join('\n')
}

/**
 * The recommendations table, then each recommendation's reasoning.
 *
 * @param r - `recommendationFigures` output.
 * @returns the text.
 * @example
 * ```ts
 * io.out(formatRecommendationsTable(recommendationFigures(subject, args)))
 * ```
 */
export function formatRecommendationsTable(r: ReturnType<typeof recommendationFigures>): string {
  const all = [...r.haircutFloors, ...(r.minimumRatio === null ? [] : [r.minimumRatio])]
  const rows = all.map((x) => [
    x.kind,
    x.subject.length > 14 ? `${x.subject.slice(0, 12)}…` : x.subject,
    roundDecimal(x.current, 4),
    roundDecimal(x.recommended, 4),
    `${roundDecimal(x.intervalLower, 4)}-${roundDecimal(x.intervalUpper, 4)}`,
    interval(x.probabilityNow),
    interval(x.probabilityAfter),
  ])
  return [
    `Parameters for P(insolvency) <= ${pct(r.target)} (${r.paths} paths, seed ${r.seed})`,
    formatTable(
      ['parameter', 'subject', 'current', 'recommended', '95% interval', 'P now', 'P after'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
    ...all.map((x) => `- ${x.reasoning}`),
  ].join('\n')
}

/**
 * The tranche table, then the cheapest set when a target was given.
 *
 * @param t - `trancheFigures` output.
 * @returns the text.
 * @example
 * ```ts
 * io.out(formatTranchesTable(trancheFigures(subject, args)))
 * ```
 */
export function formatTranchesTable(t: ReturnType<typeof trancheFigures>): string {
  const usd = (x: string) => roundDecimal(x, 2)
  const rows = t.tranches.map((x, i) => [
    String(i),
    usd(x.attachmentUsd),
    usd(x.detachmentUsd),
    usd(x.expectedLossUsd),
    pct(x.lossProbability.estimate),
    usd(x.premiumUsd),
    pct(x.rateOnLine),
    pct(x.probabilityOfInsolvencyAfter.estimate),
  ])
  const c = t.cheapest
  return [
    `Shortfall over ${t.horizonDays} days (${t.paths} paths, seed ${t.seed}): expected ${usd(t.expectedShortfallUsd)} USD, P(insolvency) ${interval(t.probabilityOfInsolvency)}; cost of capital ${pct(t.costOfCapital)} a year`,
    formatTable(
      [
        '#',
        'attachment',
        'detachment',
        'expected loss',
        'P(loss)',
        'premium',
        'rate on line',
        'P(insolv.) after',
      ],
      rows,
      ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    ...(c === null
      ? []
      : [
          '',
          `Cheapest set for P(insolvency) <= ${pct(c.target)}: ${c.feasible ? `#${c.tranches.join(', #') || ' none'}` : 'none meets it'}, premium ${usd(c.premiumUsd)} USD, P(insolvency) ${interval(c.probabilityOfInsolvency)}. ${c.reason}`,
        ]),
  ].join('\n')
}
