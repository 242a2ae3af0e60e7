import { WAD } from '../money/wad.js'
import type { PoolState } from '../state/PoolState.js'
import type { AssetHaircut } from './computeHaircuts.js'
import type { RiskModel } from './estimateRiskModel.js'
import type { PoolEvaluation } from './evaluatePool.js'
import { reserveExposure } from './priceSensitivities.js'
import { ReserveMathError } from './ReserveMathError.js'

/** A member's net position as a function of price multipliers (floats, for simulation). */
export type MemberExposure = {
  memberId: string
  /** Adjusted USD that scale linearly with each factor's price (index = risk model asset). */
  linearUsd: Float64Array
  /** LP positions: adjusted USD at base prices, scaling with `sqrt(m_a * m_b)`; index -1 = no factor (multiplier 1). */
  lps: { a: number; b: number; usd: number }[]
  /** Liabilities at base prices (USD) and the factor of the liability asset (-1: not a factor). */
  liabilitiesUsd: number
  liabilityFactor: number
}

/** Exposures of a pool's members to the risk model's factors. */
export type ExposureModel = {
  assets: readonly string[]
  members: MemberExposure[]
}

/**
 * Turns a base evaluation into float exposures: each member's adjusted reserves and liabilities as
 * functions of the factors' price multipliers `m_i = P_i' / P_i`:
 * `V_m(m) = sum_i linearUsd_i * m_i + sum_lp usd * sqrt(m_a * m_b) - liabilitiesUsd * m_liability`.
 * Haircuts stay at their base values (a shock moves prices, not governance parameters).
 *
 * @param state - The pool state.
 * @param evaluation - Its `evaluatePool` result.
 * @param model - The risk model whose assets are the factors.
 * @returns Per-member exposures.
 * @example
 * ```ts
 * buildExposureModel(state, evaluatePool(state), estimateRiskModel(state))
 * ```
 */
export function buildExposureModel(
  state: PoolState,
  evaluation: PoolEvaluation,
  model: RiskModel,
): ExposureModel {
  const index = new Map(model.assets.map((a, i) => [a, i]))
  const n = model.assets.length
  if (model.covariance.length !== n || model.covariance.some((row) => row.length !== n)) {
    throw new ReserveMathError('Risk model dimensions differ.', {
      details: `${n} assets but a ${model.covariance.length}-row covariance.`,
      metaMessages: ['Give one covariance row and column per asset.'],
    })
  }
  const prices = new Map(evaluation.prices.map((p) => [p.asset, p.priceUsd]))
  const haircuts = new Map<string, AssetHaircut>(evaluation.haircuts.map((h) => [h.asset, h]))
  const members = state.members.filter((m) => m.poolId === evaluation.poolId)
  const byId = new Map(evaluation.members.map((m) => [m.memberId, m]))
  const decimalsOf = new Map(state.assets.map((a) => [a.symbol, a.decimals]))
  return {
    assets: model.assets,
    members: members.map((m) => {
      const exposure = reserveExposure(state, [m], haircuts)
      const linearUsd = new Float64Array(n)
      let fixedUsd = 0
      for (const [symbol, tokens] of exposure.linear) {
        const usd = (Number(tokens) / 1e18) * (Number(prices.get(symbol)!) / 1e18)
        const i = index.get(symbol)
        if (i === undefined) fixedUsd += usd
        else linearUsd[i]! += usd
      }
      const lps: MemberExposure['lps'] = []
      for (const { asset, held } of exposure.lp.values()) {
        const f = Number((held * WAD) / asset.totalSupply) / 1e18
        const v0 =
          (Number(asset.reserve0) / 10 ** decimalsOf.get(asset.token0)!) *
          (Number(prices.get(asset.token0)!) / 1e18)
        const v1 =
          (Number(asset.reserve1) / 10 ** decimalsOf.get(asset.token1)!) *
          (Number(prices.get(asset.token1)!) / 1e18)
        const usd = f * 2 * Math.sqrt(v0 * v1)
        const a = index.get(asset.token0) ?? -1
        const b = index.get(asset.token1) ?? -1
        if (a < 0 && b < 0) fixedUsd += usd
        else lps.push({ a, b, usd })
      }
      // Reserves priced by assets outside the model do not move: one term with no factor (a = b = -1).
      if (fixedUsd !== 0) lps.push({ a: -1, b: -1, usd: fixedUsd })
      const e = byId.get(m.id)
      return {
        memberId: m.id,
        linearUsd,
        lps,
        liabilitiesUsd: e === undefined ? 0 : Number(e.liabilitiesUsd) / 1e18,
        liabilityFactor: index.get(m.liabilityAsset) ?? -1,
      }
    }),
  }
}

/**
 * First-order sensitivity of a member's net value `V = AR - L` to each factor's return `x_i`
 * (`P_i' = P_i (1 + x_i)` or `P_i e^(x_i)`; both have the same derivative at 0):
 * `e_i = linearUsd_i + sum_(lp on i) usd / 2 - liabilitiesUsd [i = liability]`.
 *
 * @param member - A member exposure.
 * @param n - Number of factors.
 * @returns The USD sensitivity vector.
 * @example
 * ```ts
 * netSensitivity(model.members[0], model.assets.length)
 * ```
 */
export function netSensitivity(member: MemberExposure, n: number): Float64Array {
  const e = Float64Array.from(member.linearUsd)
  for (const lp of member.lps) {
    if (lp.a >= 0) e[lp.a]! += lp.usd / 2
    if (lp.b >= 0) e[lp.b]! += lp.usd / 2
  }
  if (member.liabilityFactor >= 0 && member.liabilityFactor < n)
    e[member.liabilityFactor]! -= member.liabilitiesUsd
  return e
}
