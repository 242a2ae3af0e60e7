import {
  createShockSimulator,
  type MonteCarloOptions,
  monteCarloPaths,
  simulatePooledValues,
} from '../math/monteCarlo.js'
import { normalQuantile } from '../math/normalQuantile.js'
import { ReserveMathError } from '../math/ReserveMathError.js'
import { prepareRisk } from '../math/riskOptions.js'
import { numberToFixed } from '../money/fixedNumber.js'
import { WAD } from '../money/wad.js'
import type { PoolState } from '../state/PoolState.js'
import { type ProbabilityEstimate, wilsonInterval } from './wilsonInterval.js'

/** Options of {@link recommendParameters}. */
export type RecommendParametersOptions = MonteCarloOptions & {
  /** Target probability of insolvency within the horizon, in (0, 0.5), e.g. 0.01. */
  target: number
  /** Horizon of the pool's minimum-ratio check in days (default 10, the Basel horizon). Haircut floors use each asset's liquidation horizon. */
  horizonDays?: number
  /** Level of the confidence intervals (default 0.95). */
  level?: number
}

/** One governance parameter recommendation, with what a proposal needs to quote it. */
export type ParameterRecommendation = {
  kind: 'haircut-floor' | 'minimum-ratio'
  /** Asset symbol (haircut floor) or pool id (minimum ratio). */
  subject: string
  /** The parameter today, WAD. */
  current: bigint
  /** The smallest value that keeps the estimated probability at or under the target, WAD (rounded up). */
  recommended: bigint
  /** Distribution-free interval of the recommended value at `level` (order statistics of the simulated quantile), WAD. */
  interval: { lower: bigint; upper: bigint }
  target: number
  horizonDays: number
  /** P(insolvency) with the current value, from the simulated paths. */
  probabilityNow: ProbabilityEstimate
  /** P(insolvency) with the recommended value, same paths. */
  probabilityAfter: ProbabilityEstimate
  /** Inputs to quote (volatility, horizon, paths, seed, current values). */
  inputs: Record<string, string | number>
  /** One paragraph for a governance proposal. */
  reasoning: string
}

/** Recommendations for a pool: a haircut floor per asset and the pool's minimum ratio. */
export type ParameterRecommendations = {
  poolId: string
  target: number
  paths: number
  seed: number
  level: number
  haircutFloors: ParameterRecommendation[]
  /** Null when the pool has no liabilities (no ratio to protect). */
  minimumRatio: ParameterRecommendation | null
}

const DAY = 86_400

/**
 * Haircut floors and the pool minimum ratio that keep the probability of insolvency within the
 * horizon under a target, by Monte Carlo on the pool's risk model (the simulator of
 * `monteCarloStress`, same seed, same paths), with Wilson intervals on every probability.
 *
 * - **Haircut floor of asset a.** A reserve of `a` valued at its haircut exactly covers its
 *   liabilities: market value `V (1 - h) = L`. It is insolvent after the liquidation horizon `T_a`
 *   when its price multiplier `M_a = P_a(T) / P_a(0)` falls below `1 - h`. With `n` paths and
 *   `K = floor(target n)`, the smallest floor with at most `K` insolvent paths is
 *   `h* = 1 - M_(K+1)` (the `(K+1)`-th smallest multiplier). ERC-4626 shares move with their
 *   underlying, constant-product LP tokens with `sqrt(M_0 M_1)` (a token outside the model: 1).
 * - **Minimum ratio.** A pool may run down to its minimum ratio `r`; from there its adjusted ratio
 *   after the horizon is `r g`, `g = (AR_H / AR_0) / (L_H / L_0)` per path (haircuts fixed, as in
 *   `monteCarloStress`). The smallest `r` with at most `K` paths below 1 is `r* = 1 / g_(K+1)`.
 * - Intervals of `h*` and `r*` come from the order statistics at ranks
 *   `n t -+ z sqrt(n t (1 - t))` (the binomial bound on the rank of the true quantile).
 * Sources: Glasserman (2003), 9.1 (quantile estimation); Serfling, "Approximation Theorems of
 * Mathematical Statistics" (1980), 2.6 (order-statistic intervals); Wilson (1927).
 *
 * @param state - The pool state.
 * @param options - Target, horizon, paths, seed, risk model, interval level.
 * @returns The recommendations; the same seed gives the same figures.
 * @example
 * ```ts
 * const rec = recommendParameters(state, { target: 0.01, paths: 20_000, seed: 7 })
 * rec.minimumRatio?.recommended // WAD, e.g. 1.08e18
 * ```
 */
export function recommendParameters(
  state: PoolState,
  options: RecommendParametersOptions,
): ParameterRecommendations {
  const { target } = options
  if (!(target > 0 && target < 0.5)) {
    throw new ReserveMathError('Invalid target probability.', {
      details: `target = ${String(target)}; expected 0 < target < 0.5.`,
      metaMessages: ['E.g. 0.01 for a 1% probability of insolvency within the horizon.'],
    })
  }
  const level = options.level ?? 0.95
  const z = normalQuantile((1 + level) / 2)
  const horizonDays = options.horizonDays ?? 10
  const { paths, seed } = monteCarloPaths(options)
  const k = Math.floor(target * paths)
  const ranks = quantileRanks(paths, target, z)
  const { evaluation, model } = prepareRisk(state, { ...options, horizonDays: 1 })
  const factor = new Map(model.assets.map((a, i) => [a, i]))
  const bySymbol = new Map(state.assets.map((a) => [a.symbol, a]))
  const params = new Map(state.riskParameters.map((r) => [r.asset, r]))
  // The log-multiplier of each asset's price as weighted factors: a share moves with its
  // underlying; an LP with sqrt(M_0 M_1), half of each token's log-move (a token outside the model
  // does not move).
  type Weighted = { index: number; weight: number }
  const factorsOf = (symbol: string): Weighted[] => {
    const asset = bySymbol.get(symbol)
    if (asset === undefined) return []
    if (asset.kind === 'erc4626') return factorsOf(asset.underlying)
    if (asset.kind === 'constantProductLp') {
      return [...factorsOf(asset.token0), ...factorsOf(asset.token1)].map((f) => ({
        ...f,
        weight: f.weight / 2,
      }))
    }
    const i = factor.get(symbol)
    return i === undefined ? [] : [{ index: i, weight: 1 }]
  }
  const haircutAssets = evaluation.haircuts.map((h) => ({
    h,
    factors: factorsOf(h.asset),
    horizonDays: params.get(h.asset)!.liquidationHorizon / DAY,
    logMultipliers: new Float64Array(paths),
  }))
  const sim = createShockSimulator(model.covariance, 1, seed, 'log')
  const daily = new Float64Array(model.assets.length)
  for (let p = 0; p < paths; p++) {
    const m = sim.next()
    for (let i = 0; i < daily.length; i++) daily[i] = Math.log(m[i]!)
    for (const a of haircutAssets) {
      let x = 0
      for (const f of a.factors) x += f.weight * daily[f.index]!
      a.logMultipliers[p] = x * Math.sqrt(a.horizonDays)
    }
  }
  const haircutFloors = haircutAssets.map(({ h, factors, horizonDays: t, logMultipliers }) => {
    logMultipliers.sort()
    const cut = (x: number) => Math.min(1, Math.max(0, 1 - Math.exp(x)))
    const recommended = numberToFixed(cut(logMultipliers[k]!), 18, 'ceil')
    // Insolvent paths at a haircut: the multiplier below 1 - h (log-multiplier below ln(1 - h)).
    const insolvent = (haircut: bigint) => {
      if (haircut >= WAD) return 0
      const bound = Math.log(1 - Number(haircut) / 1e18)
      let count = 0
      while (count < paths && logMultipliers[count]! < bound) count++
      return count
    }
    const probabilityNow = wilsonInterval(insolvent(h.floor), paths, level)
    const probabilityAfter = wilsonInterval(insolvent(recommended), paths, level)
    const atHaircut = wilsonInterval(insolvent(h.haircut), paths, level)
    const interval = {
      lower: numberToFixed(cut(logMultipliers[ranks.upper]!), 18, 'floor'),
      upper: numberToFixed(cut(logMultipliers[ranks.lower]!), 18, 'ceil'),
    }
    // Daily volatility of the asset's log-price: sqrt(w' C w) over its weighted factors.
    let variance = 0
    for (const f of factors) {
      for (const g of factors) variance += f.weight * g.weight * model.covariance[f.index]![g.index]!
    }
    const sigma = Math.sqrt(variance)
    return {
      kind: 'haircut-floor' as const,
      subject: h.asset,
      current: h.floor,
      recommended,
      interval,
      target,
      horizonDays: t,
      probabilityNow,
      probabilityAfter,
      inputs: {
        dailyVolatility: sigma,
        liquidationHorizonDays: t,
        currentFloor: pct(h.floor),
        currentHaircut: pct(h.haircut),
        probabilityAtCurrentHaircut: atHaircut.estimate,
        paths,
        seed,
      },
      reasoning:
        `${h.asset}: a reserve valued at its haircut exactly covers its liabilities; it is insolvent if the price ` +
        `falls by more than the haircut within the ${t}-day liquidation horizon. With daily volatility ` +
        `${(sigma * 100).toFixed(2)}% (${paths} paths, seed ${seed}) that happens with probability ` +
        `${prob(probabilityNow)} at the current floor ${pct(h.floor)} (${prob(atHaircut)} at the current haircut ` +
        `${pct(h.haircut)}); a floor of ${pct(recommended)} (${level * 100}% interval ${pct(interval.lower)} to ` +
        `${pct(interval.upper)}) brings it to ${prob(probabilityAfter)}, target ${fmt(target)}.`,
    }
  })
  return {
    poolId: evaluation.poolId,
    target,
    paths,
    seed,
    level,
    haircutFloors,
    minimumRatio: minimumRatio(state, options, { horizonDays, level, k, ranks, target }),
  }
}

function minimumRatio(
  state: PoolState,
  options: RecommendParametersOptions,
  o: {
    horizonDays: number
    level: number
    k: number
    ranks: { lower: number; upper: number }
    target: number
  },
): ParameterRecommendation | null {
  const sim = simulatePooledValues(state, { ...options, horizonDays: o.horizonDays })
  const { paths, seed, base, evaluation } = sim
  if (!(base.liabilitiesUsd > 0 && base.adjustedReservesUsd > 0)) return null
  const growth = new Float64Array(paths)
  for (let p = 0; p < paths; p++) {
    growth[p] =
      sim.adjustedReservesUsd[p]! / base.adjustedReservesUsd / (sim.liabilitiesUsd[p]! / base.liabilitiesUsd)
  }
  growth.sort()
  const ratioAt = (i: number, mode: 'floor' | 'ceil') => numberToFixed(1 / growth[i]!, 18, mode)
  const recommended = ratioAt(o.k, 'ceil')
  const below = (ratio: number) => {
    // Paths with ratio * g < 1, i.e. g < 1 / ratio (growth is sorted).
    let count = 0
    while (count < paths && ratio * growth[count]! < 1) count++
    return count
  }
  const current = evaluation.minRatio
  const probabilityNow = wilsonInterval(below(Number(current) / 1e18), paths, o.level)
  const probabilityAfter = wilsonInterval(below(Number(recommended) / 1e18), paths, o.level)
  const ratioNow = base.adjustedReservesUsd / base.liabilitiesUsd
  const atRatioNow = wilsonInterval(below(ratioNow), paths, o.level)
  const interval = { lower: ratioAt(o.ranks.upper, 'floor'), upper: ratioAt(o.ranks.lower, 'ceil') }
  return {
    kind: 'minimum-ratio',
    subject: evaluation.poolId,
    current,
    recommended,
    interval,
    target: o.target,
    horizonDays: o.horizonDays,
    probabilityNow,
    probabilityAfter,
    inputs: {
      pooledRatio: ratioNow,
      probabilityAtPooledRatio: atRatioNow.estimate,
      currentMinimumRatio: ratio(current),
      paths,
      seed,
    },
    reasoning:
      `Pool ${evaluation.poolId}: a pool may run down to its minimum ratio; from there, over ${o.horizonDays} days of ` +
      `correlated price moves of its reserves (${paths} paths, seed ${seed}), its adjusted ratio falls below 1 with ` +
      `probability ${prob(probabilityNow)} at the current minimum ${ratio(current)} (${prob(atRatioNow)} from today's ` +
      `ratio ${ratioNow.toFixed(4)}); a minimum of ${ratio(recommended)} (${o.level * 100}% interval ` +
      `${ratio(interval.lower)} to ${ratio(interval.upper)}) brings it to ${prob(probabilityAfter)}, target ${fmt(o.target)}.`,
  }
}

/** 0-based ranks bracketing the `t`-quantile of `n` samples at the normal quantile `z`. */
function quantileRanks(n: number, t: number, z: number): { lower: number; upper: number } {
  const sd = Math.sqrt(n * t * (1 - t))
  return {
    lower: Math.max(0, Math.floor(n * t - z * sd) - 1),
    upper: Math.min(n - 1, Math.ceil(n * t + z * sd)),
  }
}

const fmt = (p: number) => `${(p * 100).toFixed(2)}%`
const prob = (e: ProbabilityEstimate) => `${fmt(e.estimate)} [${fmt(e.lower)}, ${fmt(e.upper)}]`
const pct = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(2)}%`
const ratio = (wad: bigint) => (Number(wad) / 1e18).toFixed(4)
