import { formatDecimal, type PoolState, parseDecimal, RATIO_DECIMALS, USD_DECIMALS } from '@ballast/sdk'
import { type ChainLiquidityCoverage, liquidityCoverage } from '@ballast/sdk/math'
import {
  forecastPoolRedemptions,
  type ParameterRecommendation,
  type ProbabilityEstimate,
  priceTranches,
  type RedemptionForecast,
  recommendParameters,
  type VaRBacktest,
} from '@ballast/sdk/risk'
import { ApiError } from '../errors/ApiError.js'
import { observedRedemptions } from './observedRedemptions.js'
import { type LoadPoolStatesAt, periodicEvaluations } from './periodicEvaluations.js'
import { floatArgument, integerArgument, maxRiskPaths, maxRiskPeriods, sdkRisk } from './riskArguments.js'
import { riskBacktestOf } from './riskBacktestOf.js'

// The risk figures as the API and the CLI serve them: arguments checked and bounded, money as
// exact decimal strings, statistics as floats. `Pool.backtest`, `Pool.redemptionForecast`,
// `Pool.recommendations`, `Pool.tranches` and `ballast risk ...` all call these.

const usd = (x: bigint) => formatDecimal(x, USD_DECIMALS)
const wad = (x: bigint) => formatDecimal(x, RATIO_DECIMALS)

/** A pool and how to load it at other times. */
export type RiskSubject = { poolId: string; state: PoolState; load: LoadPoolStatesAt }

function seriesFields(subject: string, b: VaRBacktest) {
  const lr = (t: VaRBacktest['kupiec']) => ({
    statistic: t.statistic,
    pValue: t.pValue,
    rejected: t.rejected,
  })
  return {
    subject,
    observations: b.observations,
    exceptions: b.exceptions,
    expectedExceptions: b.expectedExceptions,
    kupiec: lr(b.kupiec),
    independence: lr(b.independence),
    conditionalCoverage: lr(b.conditionalCoverage),
    zone: b.trafficLight.zone.toUpperCase() as 'GREEN' | 'YELLOW' | 'RED',
    greenMax: b.trafficLight.greenMax,
    yellowMax: b.trafficLight.yellowMax,
  }
}

/** `Pool.backtest`. */
export async function backtestFigures(
  s: RiskSubject,
  args: {
    window: number
    confidence: number
    estimationWindow: number
    horizonPeriods: number
    periodSeconds: number
  },
) {
  integerArgument('window', args.window, 1, maxRiskPeriods)
  integerArgument('estimationWindow', args.estimationWindow, 2, maxRiskPeriods)
  integerArgument('horizonPeriods', args.horizonPeriods, 1, maxRiskPeriods)
  integerArgument('periodSeconds', args.periodSeconds, 1, 31_622_400)
  floatArgument('confidence', args.confidence, 0.5, 1)
  const periods = args.estimationWindow + args.window * args.horizonPeriods
  if (periods > maxRiskPeriods) {
    throw new ApiError(`A backtest may load at most ${maxRiskPeriods} periods.`, {
      details: `estimationWindow + window * horizonPeriods = ${periods}.`,
      metaMessages: ['Shorten the window or the estimation window, or use longer periods.'],
    })
  }
  const { states, evaluations } = await periodicEvaluations(
    s.load,
    s.state,
    s.poolId,
    args.periodSeconds,
    periods,
  )
  const r = riskBacktestOf(states, evaluations, args)
  return {
    periodSeconds: args.periodSeconds,
    points: states.length,
    confidence: args.confidence,
    estimationWindow: args.estimationWindow,
    horizonPeriods: args.horizonPeriods,
    assets: r.assets.map((a) => seriesFields(a.subject, a.backtest)),
    pooledRatio: r.pooledRatio === null ? null : seriesFields('pooledRatio', r.pooledRatio),
  }
}

function forecastFields(f: RedemptionForecast) {
  return {
    observations: f.observations,
    ewmaMeanUsd: usd(f.ewma.meanUsd),
    ewmaVolatilityUsd: usd(f.ewma.volatilityUsd),
    ewmaForecastUsd: usd(f.ewma.forecastUsd),
    historicalWindows: f.historical.windows,
    historicalForecastUsd: f.historical.forecastUsd === null ? null : usd(f.historical.forecastUsd),
    stressedOutflowUsd: usd(f.stressedOutflowUsd),
  }
}

/**
 * The fields of one chain's liquidity coverage (shared by `Pool.liquidityCoverage`).
 *
 * @param c - the sdk's figures.
 * @returns the GraphQL fields.
 * @example
 * ```ts
 * liquidityCoverageFields(liquidityCoverage(state)[0])
 * ```
 */
export function liquidityCoverageFields(c: ChainLiquidityCoverage) {
  return {
    chainId: c.chainId,
    name: c.name,
    liquidReservesUsd: usd(c.liquidAdjustedReservesUsd),
    liabilitiesUsd: usd(c.liabilitiesUsd),
    forecastOutflowUsd: usd(c.forecastOutflowUsd),
    stressedOutflowUsd: usd(c.stressedOutflowUsd),
    outflowUsd: usd(c.outflowUsd),
    coverage: c.coverageRatio === null ? null : wad(c.coverageRatio),
    covered: c.covered,
  }
}

/** `Pool.redemptionForecast`. */
export async function redemptionForecastFigures(
  s: RiskSubject,
  args: {
    horizonPeriods: number
    periodSeconds: number
    lookbackPeriods: number
    confidence: number
    stress: number
    runOffRate: string
  },
) {
  integerArgument('horizonPeriods', args.horizonPeriods, 1, 3650)
  integerArgument('periodSeconds', args.periodSeconds, 1, 31_622_400)
  integerArgument('lookbackPeriods', args.lookbackPeriods, 1, maxRiskPeriods)
  floatArgument('confidence', args.confidence, 0.5, 1)
  floatArgument('stress', args.stress, 1, 100, true)
  const runOffRate = sdkRisk(() => parseDecimal(args.runOffRate, RATIO_DECIMALS))
  if (runOffRate < 0n || runOffRate > 10n ** 18n) {
    throw new ApiError('`runOffRate` must be between 0 and 1.', { details: `runOffRate: ${args.runOffRate}` })
  }
  const { evaluations } = await periodicEvaluations(
    s.load,
    s.state,
    s.poolId,
    args.periodSeconds,
    args.lookbackPeriods,
  )
  const redemptions = observedRedemptions(evaluations)
  if (redemptions.length === 0 || redemptions.every((r) => r.amountsUsd.length === 0)) {
    throw new ApiError('No redemption history to forecast from.', {
      code: 'NOT_AVAILABLE',
      details: `The pool has no complete state in the last ${args.lookbackPeriods} periods of ${args.periodSeconds} s.`,
      metaMessages: ['Index more history, or ask for shorter periods.'],
    })
  }
  const options = { horizonPeriods: args.horizonPeriods, confidence: args.confidence, stress: args.stress }
  const f = sdkRisk(() => forecastPoolRedemptions(redemptions, options))
  const coverage = liquidityCoverage(s.state, {
    poolId: s.poolId,
    horizonPeriods: args.horizonPeriods,
    runOffRate,
    forecastOutflowsUsd: f.chains.map((c) => ({
      chainId: c.chainId,
      amountUsd: c.forecast.stressedOutflowUsd,
    })),
  })
  const byChain = new Map(coverage.map((c) => [c.chainId, c]))
  return {
    horizonPeriods: args.horizonPeriods,
    periodSeconds: args.periodSeconds,
    confidence: args.confidence,
    stress: args.stress,
    chains: f.chains.flatMap((c) => {
      const lcr = byChain.get(c.chainId)
      return lcr === undefined
        ? []
        : [
            {
              chainId: c.chainId,
              forecast: forecastFields(c.forecast),
              liquidityCoverage: liquidityCoverageFields(lcr),
            },
          ]
    }),
    pool: forecastFields(f.pool),
  }
}

const probability = (e: ProbabilityEstimate) => ({
  estimate: e.estimate,
  lower: e.lower,
  upper: e.upper,
  count: e.count,
  trials: e.trials,
})

function recommendationFields(r: ParameterRecommendation) {
  return {
    kind: r.kind,
    subject: r.subject,
    current: wad(r.current),
    recommended: wad(r.recommended),
    intervalLower: wad(r.interval.lower),
    intervalUpper: wad(r.interval.upper),
    target: r.target,
    horizonDays: r.horizonDays,
    probabilityNow: probability(r.probabilityNow),
    probabilityAfter: probability(r.probabilityAfter),
    reasoning: r.reasoning,
  }
}

function monteCarloArgs(args: { paths: number; seed: number; horizonDays: number }) {
  integerArgument('paths', args.paths, 100, maxRiskPaths)
  integerArgument('seed', args.seed, 0, 2 ** 31 - 1)
  integerArgument('horizonDays', args.horizonDays, 1, 365)
}

/** `Pool.recommendations`. */
export function recommendationFigures(
  s: Omit<RiskSubject, 'load'>,
  args: { target: number; horizonDays: number; paths: number; seed: number },
) {
  floatArgument('target', args.target, 0, 0.5)
  monteCarloArgs(args)
  const r = sdkRisk(() => recommendParameters(s.state, { poolId: s.poolId, ...args }))
  return {
    target: r.target,
    paths: r.paths,
    seed: r.seed,
    haircutFloors: r.haircutFloors.map(recommendationFields),
    minimumRatio: r.minimumRatio === null ? null : recommendationFields(r.minimumRatio),
  }
}

/** `Pool.tranches`. */
export function trancheFigures(
  s: Omit<RiskSubject, 'load'>,
  args: {
    tranches: readonly { attachmentUsd: string; detachmentUsd: string }[]
    costOfCapital: number
    horizonDays: number
    target?: number | null | undefined
    paths: number
    seed: number
  },
) {
  monteCarloArgs(args)
  floatArgument('costOfCapital', args.costOfCapital, 0, 10, true)
  if (args.target !== null && args.target !== undefined) floatArgument('target', args.target, 0, 1, true)
  const tranches = sdkRisk(() =>
    args.tranches.map((t) => ({
      attachmentUsd: parseDecimal(t.attachmentUsd, USD_DECIMALS),
      detachmentUsd: parseDecimal(t.detachmentUsd, USD_DECIMALS),
    })),
  )
  const r = sdkRisk(() =>
    priceTranches(s.state, {
      poolId: s.poolId,
      tranches,
      costOfCapital: args.costOfCapital,
      horizonDays: args.horizonDays,
      paths: args.paths,
      seed: args.seed,
      ...(args.target === null || args.target === undefined ? {} : { target: args.target }),
    }),
  )
  return {
    paths: r.paths,
    seed: r.seed,
    horizonDays: r.horizonDays,
    costOfCapital: r.costOfCapital,
    expectedShortfallUsd: usd(r.expectedShortfallUsd),
    probabilityOfInsolvency: probability(r.probabilityOfInsolvency),
    ratioQuantiles: r.ratioQuantiles,
    tranches: r.tranches.map((t) => ({
      attachmentUsd: usd(t.attachmentUsd),
      detachmentUsd: usd(t.detachmentUsd),
      expectedLossUsd: usd(t.expectedLossUsd),
      expectedLossStandardErrorUsd: usd(t.expectedLossStandardErrorUsd),
      lossProbability: probability(t.lossProbability),
      exhaustionProbability: probability(t.exhaustionProbability),
      premiumUsd: usd(t.premiumUsd),
      rateOnLine: t.rateOnLine,
      probabilityOfInsolvencyAfter: probability(t.probabilityOfInsolvencyAfter),
      ratioQuantilesAfter: t.ratioQuantilesAfter,
    })),
    cheapest:
      r.cheapest === null
        ? null
        : {
            target: r.cheapest.target,
            feasible: r.cheapest.feasible,
            tranches: r.cheapest.tranches,
            premiumUsd: usd(r.cheapest.premiumUsd),
            probabilityOfInsolvency: probability(r.cheapest.probabilityOfInsolvency),
            reason: r.cheapest.reason,
          },
  }
}
