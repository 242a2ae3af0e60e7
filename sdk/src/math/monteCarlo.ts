import { numberToFixed } from '../money/fixedNumber.js'
import type { PoolState } from '../state/PoolState.js'
import { cholesky } from './cholesky.js'
import { createRandom } from './createRandom.js'
import type { PoolEvaluation } from './evaluatePool.js'
import type { ExposureModel } from './exposureModel.js'
import { normalQuantile } from './normalQuantile.js'
import { type PoolingBenefit, summarize } from './poolingBenefit.js'
import { ReserveMathError } from './ReserveMathError.js'
import { prepareRisk, type RiskOptions } from './riskOptions.js'

/** Options of the Monte Carlo measures. */
export type MonteCarloOptions = RiskOptions & {
  /** Number of simulated paths (default 10,000). */
  paths?: number
  /** PRNG seed (default 1): the same seed gives the same result everywhere. */
  seed?: number
  /** `log` (default): `P' = P e^x`; `simple`: `P' = P (1 + x)` (exactly normal P&L for linear books). */
  returns?: 'log' | 'simple'
}

/** Monte Carlo stress statistics. Floats are statistics; USD amounts are bigints with 18 decimals. */
export type MonteCarloStressResult = {
  paths: number
  seed: number
  horizonDays: number
  confidence: number
  /** Base pooled ratio (float), null without liabilities. */
  baseRatio: number | null
  /** The `(1 - q)` quantile of the simulated pooled ratio. */
  ratioQuantile: number | null
  /** `baseRatio - ratioQuantile`. */
  ratioVaR: number | null
  /** `baseRatio - mean(ratio | ratio <= quantile)`. */
  ratioExpectedShortfall: number | null
  /** Share of paths with pooled ratio < 1 (liabilities exceed adjusted reserves). */
  probabilityBelowOne: number
  /** Share of paths with pooled ratio < the pool's minimum ratio. */
  probabilityBelowMinimum: number
  /** VaR of the loss of pooled net value `AR - L` at `q` (USD, 18 decimals, rounded up). */
  lossVaRUsd: bigint
  /** Expected shortfall of that loss. */
  lossExpectedShortfallUsd: bigint
}

/**
 * Monte Carlo stress of the pooled ratio: correlated normal shocks of the assets' returns over the
 * horizon (`x = sqrt(T) * C z`, `C` the Cholesky factor of the daily covariance, `z` iid N(0,1)
 * from a seeded PRNG), prices `P e^x` (or `P (1 + x)`), haircuts fixed, adjusted reserves and
 * liabilities revalued per path (LP positions at their fair value `2 sqrt(k p0 p1)`).
 * Reports VaR and expected shortfall of the ratio and of the net value, and `P(RR < 1)`.
 * Source: Glasserman, "Monte Carlo Methods in Financial Engineering" (2003), 2.3 (Cholesky) and 9.1
 * (VaR); Acerbi & Tasche (2002) for expected shortfall.
 *
 * @param state - The pool state.
 * @param options - Paths, seed, horizon, risk model, confidence (default 0.99).
 * @returns The statistics.
 * @example
 * ```ts
 * monteCarloStress(state, { paths: 10_000, seed: 42, horizonDays: 10 }).probabilityBelowOne
 * ```
 */
export function monteCarloStress(state: PoolState, options: MonteCarloOptions = {}): MonteCarloStressResult {
  const sim = simulatePooledValues(state, options)
  const { paths, seed, horizonDays, confidence, evaluation } = sim
  const ratios = new Float64Array(paths)
  const losses = new Float64Array(paths)
  const baseNet = sim.base.adjustedReservesUsd - sim.base.liabilitiesUsd
  const minRatio = Number(evaluation.minRatio) / 1e18
  let belowOne = 0
  let belowMin = 0
  for (let p = 0; p < paths; p++) {
    const ar = sim.adjustedReservesUsd[p]!
    const l = sim.liabilitiesUsd[p]!
    losses[p] = baseNet - (ar - l)
    const r = l > 0 ? ar / l : Number.POSITIVE_INFINITY
    ratios[p] = r
    if (r < 1) belowOne++
    if (r < minRatio) belowMin++
  }
  const tail = tailCount(paths, confidence)
  losses.sort()
  ratios.sort()
  const lossVaR = losses[paths - tail]!
  let lossTail = 0
  for (let i = paths - tail; i < paths; i++) lossTail += losses[i]!
  const hasLiabilities = sim.base.liabilitiesUsd > 0
  const baseRatio = hasLiabilities ? sim.base.adjustedReservesUsd / sim.base.liabilitiesUsd : null
  let ratioTail = 0
  for (let i = 0; i < tail; i++) ratioTail += ratios[i]!
  const ratioQuantile = hasLiabilities ? ratios[tail - 1]! : null
  return {
    paths,
    seed,
    horizonDays,
    confidence,
    baseRatio,
    ratioQuantile,
    ratioVaR: baseRatio === null || ratioQuantile === null ? null : baseRatio - ratioQuantile,
    ratioExpectedShortfall: baseRatio === null ? null : baseRatio - ratioTail / tail,
    probabilityBelowOne: belowOne / paths,
    probabilityBelowMinimum: belowMin / paths,
    lossVaRUsd: numberToFixed(Math.max(0, lossVaR), 18, 'ceil'),
    lossExpectedShortfallUsd: numberToFixed(Math.max(0, lossTail / tail), 18, 'ceil'),
  }
}

/** Pooled adjusted reserves and liabilities per simulated path (USD floats, statistics). */
export type PooledSimulation = {
  paths: number
  seed: number
  horizonDays: number
  confidence: number
  /** The base evaluation the exposures come from. */
  evaluation: PoolEvaluation
  /** Adjusted reserves and liabilities at base prices. */
  base: { adjustedReservesUsd: number; liabilitiesUsd: number }
  /** Adjusted reserves after each path's price moves (haircuts fixed). */
  adjustedReservesUsd: Float64Array
  /** Liabilities after each path's price moves (moving only with a priced liability asset). */
  liabilitiesUsd: Float64Array
}

/**
 * The paths behind {@link monteCarloStress}: per path, the pool's adjusted reserves and
 * liabilities after correlated shocks over the horizon (same model, same seed, same numbers), for
 * measures that need the whole distribution (parameter recommendations, insurance tranches).
 *
 * @param state - The pool state.
 * @param options - Paths, seed, horizon, risk model, confidence.
 * @returns The simulated values per path.
 * @example
 * ```ts
 * const sim = simulatePooledValues(state, { paths: 10_000, seed: 7, horizonDays: 10 })
 * sim.adjustedReservesUsd[0] / sim.liabilitiesUsd[0] // the first path's pooled ratio
 * ```
 */
export function simulatePooledValues(state: PoolState, options: MonteCarloOptions = {}): PooledSimulation {
  const { evaluation, exposure, model, horizonDays, confidence } = prepareRisk(state, options)
  const { paths, seed } = monteCarloPaths(options)
  const sim = createShockSimulator(model.covariance, horizonDays, seed, options.returns ?? 'log')
  // Pool-level aggregation: one exposure for all members.
  const pooled = aggregate(exposure)
  const adjustedReservesUsd = new Float64Array(paths)
  const liabilitiesUsd = new Float64Array(paths)
  const base = value(pooled, sim.ones)
  for (let p = 0; p < paths; p++) {
    const v = value(pooled, sim.next())
    adjustedReservesUsd[p] = v.ar
    liabilitiesUsd[p] = v.l
  }
  return {
    paths,
    seed,
    horizonDays,
    confidence,
    evaluation,
    base: { adjustedReservesUsd: base.ar, liabilitiesUsd: base.l },
    adjustedReservesUsd,
    liabilitiesUsd,
  }
}

/**
 * Pooling benefit by Monte Carlo: per path, each member's loss of net value `AR_m - L_m` and the
 * pool's; buffers are the empirical VaRs at `q`; benefit = sum of standalone VaRs - pooled VaR.
 * Unlike the parametric version it sees LP convexity and fat joint tails, and (as VaR is not
 * subadditive in general) it can come out slightly negative.
 * Source: Jorion, "Value at Risk" (3rd ed.), ch. 12 (simulation methods).
 *
 * @param state - The pool state.
 * @param options - Paths, seed, horizon, risk model, confidence.
 * @returns Standalone and pooled buffers.
 * @example
 * ```ts
 * monteCarloPoolingBenefit(state, { paths: 20_000, seed: 7 }).benefitUsd
 * ```
 */
export function monteCarloPoolingBenefit(state: PoolState, options: MonteCarloOptions = {}): PoolingBenefit {
  const { exposure, model, horizonDays, confidence } = prepareRisk(state, options)
  const { paths, seed } = monteCarloPaths(options)
  const sim = createShockSimulator(model.covariance, horizonDays, seed, options.returns ?? 'log')
  const k = exposure.members.length
  const members = exposure.members.map(valued)
  const baseNet = exposure.members.map((m) => {
    const v = value(valued(m), sim.ones)
    return v.ar - v.l
  })
  const losses = exposure.members.map(() => new Float64Array(paths))
  const pooled = new Float64Array(paths)
  for (let p = 0; p < paths; p++) {
    const mult = sim.next()
    let total = 0
    for (let i = 0; i < k; i++) {
      const v = value(members[i]!, mult)
      const loss = baseNet[i]! - (v.ar - v.l)
      losses[i]![p] = loss
      total += loss
    }
    pooled[p] = total
  }
  const tail = tailCount(paths, confidence)
  const varOf = (xs: Float64Array) => {
    xs.sort()
    return xs[paths - tail]!
  }
  const standalone = exposure.members.map((m, i) => ({ memberId: m.memberId, buffer: varOf(losses[i]!) }))
  return summarize('monte-carlo', confidence, horizonDays, standalone, varOf(pooled))
}

/** Net position as a function of price multipliers; liabilities as (factor, USD) pairs (-1: fixed). */
type Valued = {
  linearUsd: Float64Array
  lps: readonly { a: number; b: number; usd: number }[]
  liabilities: readonly { factor: number; usd: number }[]
}

function value(e: Valued, m: Float64Array): { ar: number; l: number } {
  let ar = 0
  const lin = e.linearUsd
  for (let i = 0; i < lin.length; i++) ar += lin[i]! * m[i]!
  for (const lp of e.lps) ar += lp.usd * Math.sqrt((lp.a >= 0 ? m[lp.a]! : 1) * (lp.b >= 0 ? m[lp.b]! : 1))
  let l = 0
  for (const x of e.liabilities) l += x.usd * (x.factor >= 0 ? m[x.factor]! : 1)
  return { ar, l }
}

function valued(m: ExposureModel['members'][number]): Valued {
  return {
    linearUsd: m.linearUsd,
    lps: m.lps,
    liabilities: [{ factor: m.liabilityFactor, usd: m.liabilitiesUsd }],
  }
}

/** One exposure for the whole pool. */
function aggregate(model: ExposureModel): Valued {
  const linearUsd = new Float64Array(model.assets.length)
  const lps: { a: number; b: number; usd: number }[] = []
  const liabilities = new Map<number, number>()
  for (const m of model.members) {
    for (let i = 0; i < linearUsd.length; i++) linearUsd[i]! += m.linearUsd[i]!
    lps.push(...m.lps)
    liabilities.set(m.liabilityFactor, (liabilities.get(m.liabilityFactor) ?? 0) + m.liabilitiesUsd)
  }
  return { linearUsd, lps, liabilities: [...liabilities].map(([factor, usd]) => ({ factor, usd })) }
}

/**
 * A stream of correlated price multipliers over a horizon: `x = sqrt(T) C z` with `C` the Cholesky
 * factor of the daily covariance and `z` iid N(0, 1) from the seeded PRNG; `m = e^x` (`log`) or
 * `max(0, 1 + x)` (`simple`). Factors without variance keep multiplier 1 and draw no numbers.
 * Source: Glasserman (2003), 2.3.
 *
 * @param covariance - Daily covariance of the factors' log-returns.
 * @param horizonDays - Horizon `T` in days.
 * @param seed - PRNG seed.
 * @param returns - `log` or `simple`.
 * @returns `next()` (the same buffer refilled each call) and `ones` (base multipliers).
 * @example
 * ```ts
 * const sim = createShockSimulator(model.covariance, 1, 42, 'log')
 * const m = sim.next() // m[i] = P_i' / P_i on one path
 * ```
 */
export function createShockSimulator(
  covariance: readonly (readonly number[])[],
  horizonDays: number,
  seed: number,
  returns: 'log' | 'simple',
): { next: () => Float64Array; ones: Float64Array } {
  const n = covariance.length
  const chol = cholesky(covariance)
  const scale = Math.sqrt(horizonDays)
  // Only factors with variance need random numbers; the others keep multiplier 1.
  const active = [...Array(n).keys()].filter((i) => chol[i]!.some((x) => x !== 0))
  const rows = active.map((i) => Float64Array.from(active.map((j) => chol[i]![j]! * scale)))
  const rng = createRandom(seed)
  const z = new Float64Array(active.length)
  const m = new Float64Array(n).fill(1)
  const ones = new Float64Array(n).fill(1)
  const next = () => {
    for (let i = 0; i < active.length; i++) z[i] = rng.normal()
    for (let i = 0; i < active.length; i++) {
      const row = rows[i]!
      let x = 0
      for (let j = 0; j <= i; j++) x += row[j]! * z[j]!
      m[active[i]!] = returns === 'log' ? Math.exp(x) : Math.max(0, 1 + x)
    }
    return m
  }
  return { next, ones }
}

/**
 * Validated path count and seed of Monte Carlo options (defaults 10,000 and 1).
 *
 * @param options - The options.
 * @returns `{ paths, seed }`.
 * @example
 * ```ts
 * monteCarloPaths({ paths: 20_000 }) // { paths: 20000, seed: 1 }
 * ```
 */
export function monteCarloPaths(options: MonteCarloOptions): { paths: number; seed: number } {
  const paths = options.paths ?? 10_000
  const seed = options.seed ?? 1
  if (!Number.isSafeInteger(paths) || paths < 100) {
    throw new ReserveMathError('Invalid path count.', {
      details: `paths = ${String(paths)}; expected an integer >= 100.`,
      metaMessages: ['10,000 paths give a 99% VaR to about 2.5% of its value.'],
    })
  }
  if (!Number.isSafeInteger(seed)) {
    throw new ReserveMathError('Invalid seed.', {
      details: `seed = ${String(seed)}; expected an integer.`,
      metaMessages: ['Any integer works; the same seed reproduces the same paths.'],
    })
  }
  return { paths, seed }
}

/** Number of worst paths in the `1 - q` tail (at least one). */
function tailCount(paths: number, confidence: number): number {
  normalQuantile(confidence)
  return Math.max(1, Math.floor(paths * (1 - confidence) + 1e-9))
}
