import type { Address } from 'viem'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt, visibleAt } from './resolveAt.js'

/** Risk parameters of an asset in force at a point in time (basis points and seconds). */
export type RiskParameters = {
  chainId: number
  asset: Address
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: number
  /** When these became effective (unix seconds). */
  effectiveAt: number
  blockNumber: number
}

/**
 * Per (chain, asset address): the `RiskParametersUpdated` in force at the point: emitted at or
 * before the chain's block and with `effectiveAt <= timestamp` (updates apply from `effectiveAt`,
 * after the registry's delay); the latest such by `effectiveAt`, then by block and log.
 *
 * @param ctx Database and config.
 * @param filter `at`.
 * @returns One entry per (chain, asset) with parameters in force.
 * @example
 * ```ts
 * const params = await getRiskParameters(ctx, { at: { timestamp } })
 * ```
 */
export async function getRiskParameters(
  ctx: QueryContext,
  filter: { at?: At | undefined } = {},
): Promise<RiskParameters[]> {
  const at = await resolveAt(ctx, filter.at)
  const rows = await ctx.db
    .selectFrom('risk_parameters')
    .selectAll()
    .where((eb) => visibleAt(eb, at))
    .where('effective_at', '<=', at.timestamp)
    .orderBy('chain_id')
    .orderBy('asset')
    .orderBy('effective_at', 'desc')
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .execute()
  const out = new Map<string, RiskParameters>()
  for (const r of rows) {
    const key = `${r.chain_id}:${r.asset}`
    if (out.has(key)) continue
    out.set(key, {
      chainId: r.chain_id,
      asset: r.asset as Address,
      haircutFloorBps: r.haircut_floor_bps,
      liquidationThresholdBps: r.liquidation_threshold_bps,
      liquidationHorizon: r.liquidation_horizon,
      effectiveAt: r.effective_at,
      blockNumber: r.block_number,
    })
  }
  return [...out.values()]
}
