import type { Address, Hex } from 'viem'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt, visibleAt } from './resolveAt.js'

/** Risk parameters of an asset in force at a point in time (basis points and seconds). */
export type RiskParameters = {
  chainId: number
  poolId: Hex
  asset: Address
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: number
  /** When these became effective (unix seconds). */
  effectiveAt: number
  blockNumber: number
}

/**
 * Per (chain, pool, asset address): the `RiskParametersUpdated` in force at the point: emitted at
 * or before the chain's block and with `effectiveAt <= timestamp` (the registry emits it when the
 * risk timelock executes the change, effective from that block); the latest such by
 * `effectiveAt`, then by block and log.
 *
 * @param ctx Database and config.
 * @param filter `at`; `poolId` (lower-case hex) to keep one pool's.
 * @returns One entry per (chain, pool, asset) with parameters in force.
 * @example
 * ```ts
 * const params = await getRiskParameters(ctx, { at: { timestamp } })
 * ```
 */
export async function getRiskParameters(
  ctx: QueryContext,
  filter: { at?: At | undefined; poolId?: string | undefined } = {},
): Promise<RiskParameters[]> {
  const at = await resolveAt(ctx, filter.at)
  const rows = await ctx.db
    .selectFrom('risk_parameters')
    .selectAll()
    .where((eb) => visibleAt(eb, at))
    .where('effective_at', '<=', at.timestamp)
    .$if(filter.poolId !== undefined, (q) => q.where('pool_id', '=', filter.poolId as string))
    .orderBy('chain_id')
    .orderBy('pool_id')
    .orderBy('asset')
    .orderBy('effective_at', 'desc')
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .execute()
  const out = new Map<string, RiskParameters>()
  for (const r of rows) {
    const key = `${r.chain_id}:${r.pool_id}:${r.asset}`
    if (out.has(key)) continue
    out.set(key, {
      chainId: r.chain_id,
      poolId: r.pool_id as Hex,
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
