import { numberToFixed } from '../money/fixedNumber.js'
import { WAD } from '../money/wad.js'
import type { PoolState } from '../state/PoolState.js'
import { netSensitivity } from './exposureModel.js'
import { normalQuantile } from './normalQuantile.js'
import { prepareRisk, type RiskOptions } from './riskOptions.js'

/** Required buffers standalone and pooled. USD values have 18 decimals (rounded up). */
export type PoolingBenefit = {
  method: 'parametric' | 'monte-carlo'
  confidence: number
  horizonDays: number
  members: { memberId: string; standaloneBufferUsd: bigint }[]
  sumStandaloneBuffersUsd: bigint
  pooledBufferUsd: bigint
  /** `sumStandaloneBuffersUsd - pooledBufferUsd`: reserves pooling frees. */
  benefitUsd: bigint
  /** `benefitUsd / sumStandaloneBuffersUsd` (WAD), null when the sum is zero. */
  benefitShare: bigint | null
}

/**
 * Pooling benefit, parametric (delta-normal VaR): the buffer each member needs alone against the
 * buffer the pool needs, both at confidence `q` over the horizon.
 *
 * Formula: with `e_m` the USD sensitivity of member m's net value `AR_m - L_m` to the assets'
 * returns and `Sigma` the daily covariance, `B_m = z_q * sqrt(e_m' Sigma e_m * T)`,
 * `B_pool = z_q * sqrt(e' Sigma e * T)` with `e = sum_m e_m`; benefit `sum_m B_m - B_pool >= 0`
 * (the norm `sqrt(x' Sigma x)` is subadditive: normal VaR is subadditive).
 * Source: Jorion, "Value at Risk" (3rd ed.), ch. 7 (delta-normal VaR) and 11 (diversification).
 *
 * @param state - The pool state.
 * @param options - Horizon, risk model, confidence (default 0.99) and `evaluatePool` options.
 * @returns Standalone and pooled buffers and their difference.
 * @example
 * ```ts
 * poolingBenefit(state, { riskModel: riskModelFromVolatilities(['WETH', 'WBTC'], [0.04, 0.035]) }).benefitUsd
 * ```
 */
export function poolingBenefit(state: PoolState, options: RiskOptions = {}): PoolingBenefit {
  const { exposure, model, horizonDays, confidence } = prepareRisk(state, options)
  const z = normalQuantile(confidence)
  const n = model.assets.length
  const cov = model.covariance
  const sd = (e: Float64Array): number => {
    let s = 0
    for (let i = 0; i < n; i++) {
      const row = cov[i]!
      let t = 0
      for (let j = 0; j < n; j++) t += row[j]! * e[j]!
      s += e[i]! * t
    }
    return Math.sqrt(Math.max(0, s) * horizonDays)
  }
  const total = new Float64Array(n)
  const standalone = exposure.members.map((m) => {
    const e = netSensitivity(m, n)
    for (let i = 0; i < n; i++) total[i]! += e[i]!
    return { memberId: m.memberId, buffer: z * sd(e) }
  })
  const sumFloat = standalone.reduce((s, m) => s + m.buffer, 0)
  // Subadditivity holds exactly; the clamp only absorbs float rounding (one member: equal).
  const pooled = Math.min(z * sd(total), sumFloat)
  return summarize('parametric', confidence, horizonDays, standalone, pooled)
}

/** Converts float buffers into the bigint result (shared with the Monte Carlo version). */
export function summarize(
  method: PoolingBenefit['method'],
  confidence: number,
  horizonDays: number,
  standalone: { memberId: string; buffer: number }[],
  pooled: number,
): PoolingBenefit {
  const members = standalone.map((m) => ({
    memberId: m.memberId,
    standaloneBufferUsd: numberToFixed(Math.max(0, m.buffer), 18, 'ceil'),
  }))
  const sum = members.reduce((s, m) => s + m.standaloneBufferUsd, 0n)
  let pooledBufferUsd = numberToFixed(Math.max(0, pooled), 18, 'ceil')
  // Parametric buffers are subadditive exactly; float rounding must not break it after rounding up.
  if (method === 'parametric' && pooledBufferUsd > sum) pooledBufferUsd = sum
  const benefitUsd = sum - pooledBufferUsd
  return {
    method,
    confidence,
    horizonDays,
    members,
    sumStandaloneBuffersUsd: sum,
    pooledBufferUsd,
    benefitUsd,
    benefitShare: sum === 0n ? null : (benefitUsd * WAD) / sum,
  }
}
