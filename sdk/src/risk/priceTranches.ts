import { type MonteCarloOptions, simulatePooledValues } from '../math/monteCarlo.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { numberToFixed } from '../money/fixedNumber.js'
import type { PoolState } from '../state/PoolState.js'
import { type ProbabilityEstimate, wilsonInterval } from './wilsonInterval.js'

/** A layer of the pool's loss: the insurer pays `min(max(X - A, 0), D - A)` of the shortfall `X`. */
export type Tranche = {
  /** Attachment `A`, USD with 18 decimals, >= 0. */
  attachmentUsd: bigint
  /** Detachment `D > A`, USD with 18 decimals. */
  detachmentUsd: bigint
}

/** Options of {@link priceTranches}. */
export type PriceTranchesOptions = MonteCarloOptions & {
  /** Candidate tranches (at most 10). */
  tranches: readonly Tranche[]
  /** Horizon of the cover in days (default 10). */
  horizonDays?: number
  /** Annual cost of capital of the tranche's providers, e.g. 0.1 for 10% (default 0.1). */
  costOfCapital?: number
  /** Target P(insolvency) for the cheapest set of candidates that meets it (optional). */
  target?: number
  /** Level of the confidence intervals (default 0.95). */
  level?: number
}

/** Quantiles of the pooled adjusted ratio after the horizon (null without liabilities). */
export type RatioQuantiles = { p01: number | null; p05: number | null; p50: number | null }

/** Figures of one tranche. USD amounts have 18 decimals; probabilities are statistics. */
export type TrancheFigures = Tranche & {
  limitUsd: bigint
  /** `E[min(max(X - A, 0), D - A)]`. */
  expectedLossUsd: bigint
  /** Monte Carlo standard error of the expected loss. */
  expectedLossStandardErrorUsd: bigint
  /** `P(X > A)`. */
  lossProbability: ProbabilityEstimate
  /** `P(X >= D)`: the tranche is used up. */
  exhaustionProbability: ProbabilityEstimate
  /** `EL + c (H / 365) (limit - EL)`, rounded up. */
  premiumUsd: bigint
  /** Premium over limit. */
  rateOnLine: number
  /** The pool's P(insolvency) with this tranche bought alone. */
  probabilityOfInsolvencyAfter: ProbabilityEstimate
  ratioQuantilesAfter: RatioQuantiles
}

/** Tranche analysis of a pool's loss distribution. */
export type TrancheAnalysis = {
  poolId: string
  paths: number
  seed: number
  horizonDays: number
  costOfCapital: number
  adjustedReservesUsd: bigint
  liabilitiesUsd: bigint
  /** `E[max(X, 0)]`: the whole expected shortfall of liabilities over adjusted reserves. */
  expectedShortfallUsd: bigint
  /** `P(X > 0)` = P(pooled adjusted ratio < 1 at the horizon). */
  probabilityOfInsolvency: ProbabilityEstimate
  ratioQuantiles: RatioQuantiles
  tranches: TrancheFigures[]
  /** The cheapest set of candidates meeting `target` (when a target is given). */
  cheapest: {
    target: number
    feasible: boolean
    /** Indexes into `tranches`. */
    tranches: number[]
    premiumUsd: bigint
    probabilityOfInsolvency: ProbabilityEstimate
    reason: string
  } | null
}

const MAX_TRANCHES = 10

/**
 * Prices insurance tranches on the pool's loss distribution: per Monte Carlo path (the paths of
 * `monteCarloStress`), the shortfall `X = L_H - AR_H` of liabilities over adjusted reserves after
 * the horizon; a tranche `[A, D]` pays `min(max(X - A, 0), D - A)`.
 *
 * - Expected loss `EL = mean payout`, loss probability `P(X > A)`, exhaustion `P(X >= D)`.
 * - Fair premium of a fully collateralised tranche (providers lock the limit `D - A` for the
 *   horizon `H`): `EL + c (H / 365) (D - A - EL)`, the expected loss plus the cost of capital `c`
 *   (annual) on the capital at risk beyond it (the cost-of-capital principle).
 * - After buying tranches, the pool is insolvent on a path when `X - sum payouts > 0`; its ratio
 *   is `(AR_H + payouts) / L_H`. The premium is taken as paid from outside the reserves.
 * - The cheapest set: every subset of the candidates (at most 10), cheapest first, until one
 *   brings the estimated P(insolvency) to the target or below.
 * Sources: Wang, "Premium calculation by transforming the layer premium density", ASTIN Bulletin
 * 26 (1996) (layer pricing); Kaas et al., "Modern Actuarial Risk Theory" (2008), ch. 5 (premium
 * principles).
 *
 * @param state - The pool state.
 * @param options - Tranches, horizon, cost of capital, target, paths, seed, risk model.
 * @returns The analysis.
 * @example
 * ```ts
 * const t = priceTranches(state, { tranches: [{ attachmentUsd: 0n, detachmentUsd: 10n ** 24n }], seed: 3 })
 * t.tranches[0].premiumUsd
 * ```
 */
export function priceTranches(state: PoolState, options: PriceTranchesOptions): TrancheAnalysis {
  const costOfCapital = options.costOfCapital ?? 0.1
  const level = options.level ?? 0.95
  const horizonDays = options.horizonDays ?? 10
  checkTranches(options.tranches)
  if (!(costOfCapital >= 0 && costOfCapital <= 10)) {
    throw new ReserveMathError('Invalid cost of capital.', {
      details: `costOfCapital = ${String(costOfCapital)}; expected an annual rate from 0 to 10.`,
      metaMessages: ['10% a year is 0.1.'],
    })
  }
  if (options.target !== undefined && !(options.target >= 0 && options.target < 1)) {
    throw new ReserveMathError('Invalid target probability.', {
      details: `target = ${String(options.target)}; expected 0 <= target < 1.`,
      metaMessages: ['E.g. 0.001 for a 0.1% probability of insolvency within the horizon.'],
    })
  }
  const sim = simulatePooledValues(state, { ...options, horizonDays })
  const { paths } = sim
  const shortfall = new Float64Array(paths)
  let positive = 0
  let positiveCount = 0
  for (let p = 0; p < paths; p++) {
    const x = sim.liabilitiesUsd[p]! - sim.adjustedReservesUsd[p]!
    shortfall[p] = x
    if (x > 0) {
      positive += x
      positiveCount++
    }
  }
  const layers = options.tranches.map((t) => ({
    a: Number(t.attachmentUsd) / 1e18,
    d: Number(t.detachmentUsd) / 1e18,
  }))
  const payout = (i: number, x: number) => {
    const { a, d } = layers[i]!
    return x <= a ? 0 : Math.min(x - a, d - a)
  }
  // Only paths with a shortfall can be insolvent, covered or not (payouts are >= 0).
  const short = shortfall.filter((x) => x > 0)
  const insolvency = (set: readonly number[]) => {
    let insolvent = 0
    for (const x of short) {
      let paid = 0
      for (const i of set) paid += payout(i, x)
      if (x - paid > 0) insolvent++
    }
    return wilsonInterval(insolvent, paths, level)
  }
  const after = (set: readonly number[]) => {
    const ratios = new Float64Array(paths)
    for (let p = 0; p < paths; p++) {
      const x = shortfall[p]!
      let paid = 0
      for (const i of set) paid += payout(i, x)
      const l = sim.liabilitiesUsd[p]!
      ratios[p] = l > 0 ? (sim.adjustedReservesUsd[p]! + paid) / l : Number.POSITIVE_INFINITY
    }
    return { insolvency: insolvency(set), ratioQuantiles: quantiles(ratios, sim.base.liabilitiesUsd > 0) }
  }
  const years = horizonDays / 365
  const figures = options.tranches.map((t, i) => {
    let sum = 0
    let sumSq = 0
    let hit = 0
    let exhausted = 0
    const { a, d } = layers[i]!
    for (let p = 0; p < paths; p++) {
      const x = shortfall[p]!
      const v = payout(i, x)
      sum += v
      sumSq += v * v
      if (x > a) hit++
      if (x >= d) exhausted++
    }
    const el = sum / paths
    const variance = Math.max(0, sumSq / paths - el * el)
    const limit = d - a
    const premium = el + costOfCapital * years * (limit - el)
    const bought = after([i])
    return {
      ...t,
      limitUsd: t.detachmentUsd - t.attachmentUsd,
      expectedLossUsd: numberToFixed(el, 18, 'ceil'),
      expectedLossStandardErrorUsd: numberToFixed(Math.sqrt(variance / paths), 18, 'ceil'),
      lossProbability: wilsonInterval(hit, paths, level),
      exhaustionProbability: wilsonInterval(exhausted, paths, level),
      premiumUsd: numberToFixed(premium, 18, 'ceil'),
      rateOnLine: premium / limit,
      probabilityOfInsolvencyAfter: bought.insolvency,
      ratioQuantilesAfter: bought.ratioQuantiles,
      premium,
    }
  })
  const base = after([])
  let cheapest: TrancheAnalysis['cheapest'] = null
  if (options.target !== undefined) cheapest = cheapestSet(options.target, figures, insolvency)
  return {
    poolId: sim.evaluation.poolId,
    paths,
    seed: sim.seed,
    horizonDays,
    costOfCapital,
    adjustedReservesUsd: sim.evaluation.adjustedReservesUsd,
    liabilitiesUsd: sim.evaluation.liabilitiesUsd,
    expectedShortfallUsd: numberToFixed(positive / paths, 18, 'ceil'),
    probabilityOfInsolvency: wilsonInterval(positiveCount, paths, level),
    ratioQuantiles: base.ratioQuantiles,
    tranches: figures.map(({ premium: _, ...f }) => f),
    cheapest,
  }
}

function cheapestSet(
  target: number,
  figures: readonly { premium: number; premiumUsd: bigint }[],
  insolvencyOf: (set: readonly number[]) => ProbabilityEstimate,
): NonNullable<TrancheAnalysis['cheapest']> {
  const sets: { set: number[]; premium: number; premiumUsd: bigint }[] = []
  for (let mask = 0; mask < 2 ** figures.length; mask++) {
    const set = figures.flatMap((_, i) => ((mask >> i) & 1 ? [i] : []))
    sets.push({
      set,
      premium: set.reduce((s, i) => s + figures[i]!.premium, 0),
      premiumUsd: set.reduce((s, i) => s + figures[i]!.premiumUsd, 0n),
    })
  }
  sets.sort((x, y) => x.premium - y.premium || x.set.length - y.set.length)
  let best: { set: number[]; premiumUsd: bigint; insolvency: ProbabilityEstimate } | undefined
  for (const s of sets) {
    const insolvency = insolvencyOf(s.set)
    if (best === undefined || insolvency.estimate < best.insolvency.estimate) {
      best = { set: s.set, premiumUsd: s.premiumUsd, insolvency }
    }
    if (insolvency.estimate <= target) {
      return {
        target,
        feasible: true,
        tranches: s.set,
        premiumUsd: s.premiumUsd,
        probabilityOfInsolvency: insolvency,
        reason:
          s.set.length === 0
            ? 'The pool meets the target without cover.'
            : `The cheapest of the ${sets.length} candidate sets whose estimated P(insolvency) is at or under the target.`,
      }
    }
  }
  return {
    target,
    feasible: false,
    tranches: best!.set,
    premiumUsd: best!.premiumUsd,
    probabilityOfInsolvency: best!.insolvency,
    reason:
      'No set of the candidates meets the target; this set comes closest. Cover from 0 (attachment 0) up to the shortfall quantile is needed: a tranche attaching above 0 leaves smaller shortfalls uncovered.',
  }
}

function quantiles(ratios: Float64Array, hasLiabilities: boolean): RatioQuantiles {
  if (!hasLiabilities) return { p01: null, p05: null, p50: null }
  ratios.sort()
  const at = (q: number) =>
    ratios[Math.min(ratios.length - 1, Math.max(0, Math.ceil(q * ratios.length) - 1))]!
  return { p01: at(0.01), p05: at(0.05), p50: at(0.5) }
}

function checkTranches(tranches: readonly Tranche[]): void {
  if (!Array.isArray(tranches) || tranches.length === 0 || tranches.length > MAX_TRANCHES) {
    throw new ReserveMathError('Invalid tranche list.', {
      details: `${Array.isArray(tranches) ? tranches.length : 'no'} tranches; expected 1 to ${MAX_TRANCHES}.`,
      metaMessages: ['Give layers as { attachmentUsd, detachmentUsd } (USD, 18 decimals).'],
    })
  }
  tranches.forEach((t, i) => {
    if (
      !(typeof t.attachmentUsd === 'bigint' && typeof t.detachmentUsd === 'bigint') ||
      t.attachmentUsd < 0n ||
      t.detachmentUsd <= t.attachmentUsd
    ) {
      throw new ReserveMathError('Invalid tranche.', {
        details: `tranches[${i}]: attachment ${String(t.attachmentUsd)}, detachment ${String(t.detachmentUsd)}; expected 0 <= attachment < detachment (bigint USD, 18 decimals).`,
        metaMessages: [
          'A layer from 1M to 5M USD is { attachmentUsd: 10n ** 24n, detachmentUsd: 5n * 10n ** 24n }.',
        ],
      })
    }
  })
}
