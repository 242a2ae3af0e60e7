import type { PoolState } from '@ballast/sdk'
import { formatDecimal, RATIO_DECIMALS } from '@ballast/sdk'
import type { RiskParameterChangeRecord } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { evaluatePoolFigures } from '../figures/evaluatePoolFigures.js'
import type { ApiContext } from './ApiContext.js'
import { ratio, usd } from './format.js'
import { figuresOf, type PoolParent, poolOf } from './poolParent.js'
import { membersConnection } from './queryResolvers.js'

/** Most points one `history` call returns. */
export const maxHistoryPoints = 500

function figuresFields(f: {
  adjustedReservesUsd: bigint
  reservesUsd: bigint
  liabilitiesUsd: bigint
  reserveRatio: bigint | undefined
}) {
  return {
    adjustedReservesUsd: usd(f.adjustedReservesUsd),
    reservesUsd: usd(f.reservesUsd),
    liabilitiesUsd: usd(f.liabilitiesUsd),
    reserveRatio: ratio(f.reserveRatio),
  }
}

/**
 * Whether a pool's ratio is at or above its minimum; a pool with no liabilities is healthy.
 *
 * @param reserveRatio - pooled ratio (WAD) or undefined.
 * @param minRatio - pool minimum (WAD).
 * @returns health.
 * @example
 * ```ts
 * isHealthy(undefined, 10n ** 18n) // true
 * ```
 */
export function isHealthy(reserveRatio: bigint | undefined, minRatio: bigint): boolean {
  return reserveRatio === undefined || reserveRatio >= minRatio
}

/**
 * The points of a history query: `from`, `from + interval`, ... up to `to`, validated.
 *
 * @param from - first time (unix seconds).
 * @param to - last time (inclusive bound).
 * @param interval - seconds between points, >= 1.
 * @returns the times, oldest first.
 * @example
 * ```ts
 * historyTimes(0, 7200, 3600) // [0, 3600, 7200]
 * ```
 */
export function historyTimes(from: number, to: number, interval: number): number[] {
  if (!Number.isInteger(interval) || interval < 1) {
    throw new ApiError('`interval` must be a positive number of seconds.', {
      details: `interval: ${interval}`,
    })
  }
  if (to < from) {
    throw new ApiError('`to` is before `from`.', { details: `from: ${from}, to: ${to}` })
  }
  const count = Math.floor((to - from) / interval) + 1
  if (count > maxHistoryPoints) {
    throw new ApiError('Too many history points.', {
      details: `from ${from} to ${to} every ${interval} s is ${count} points; at most ${maxHistoryPoints}.`,
      metaMessages: ['Use a longer interval or a shorter range.'],
    })
  }
  return Array.from({ length: count }, (_, i) => from + i * interval)
}

function riskParameterView(changes: readonly RiskParameterChangeRecord[], at: number) {
  const byAsset = new Map<string, RiskParameterChangeRecord[]>()
  for (const c of changes)
    byAsset.set(`${c.chainId}:${c.address}`, [...(byAsset.get(`${c.chainId}:${c.address}`) ?? []), c])
  const wad = (v: bigint) => formatDecimal(v, RATIO_DECIMALS)
  return [...byAsset.values()].flatMap((history) => {
    const sorted = [...history].sort((a, b) => a.effectiveAt - b.effectiveAt || Number(a.block - b.block))
    const current = sorted.filter((c) => c.effectiveAt <= at).at(-1)
    if (current === undefined) return []
    return [
      {
        asset: current.asset,
        chainId: current.chainId,
        address: current.address,
        haircutFloor: wad(current.haircutFloor),
        liquidationThreshold: wad(current.liquidationThreshold),
        liquidationHorizon: current.liquidationHorizon,
        history: sorted.map((c) => ({
          haircutFloor: wad(c.haircutFloor),
          liquidationThreshold: wad(c.liquidationThreshold),
          liquidationHorizon: c.liquidationHorizon,
          effectiveAt: c.effectiveAt,
          block: c.block,
        })),
      },
    ]
  })
}

/** Resolvers of `Pool`: figures are computed once per pool and request, then read field by field. */
export const poolResolvers = {
  id: (p: PoolParent) => p.poolId,
  name: (p: PoolParent) => poolOf(p).name,
  at: (p: PoolParent) => p.state.timestamp,
  blocks: (p: PoolParent) => p.state.blocks.map((b) => ({ chainId: b.chainId, block: b.blockNumber })),
  minRatio: (p: PoolParent) => formatDecimal(poolOf(p).minRatio, RATIO_DECIMALS),
  targetRatio: (p: PoolParent) => formatDecimal(poolOf(p).targetRatio, RATIO_DECIMALS),
  reserveRatio: (p: PoolParent) => ratio(figuresOf(p).reserveRatio),
  adjustedReservesUsd: (p: PoolParent) => usd(figuresOf(p).adjustedReservesUsd),
  reservesUsd: (p: PoolParent) => usd(figuresOf(p).reservesUsd),
  liabilitiesUsd: (p: PoolParent) => usd(figuresOf(p).liabilitiesUsd),
  healthy: (p: PoolParent) => isHealthy(figuresOf(p).reserveRatio, poolOf(p).minRatio),
  members: (p: PoolParent, args: { first?: number | null; after?: string | null }) =>
    membersConnection(p, args),
  chains: (p: PoolParent) =>
    figuresOf(p).chains.map((c) => ({ chainId: c.chainId, name: c.name, ...figuresFields(c) })),
  assets: (p: PoolParent) =>
    figuresOf(p).assets.map((a) => ({
      symbol: a.symbol,
      decimals: a.decimals,
      priceUsd: usd(a.priceUsd),
      priceUpdatedAt: a.priceUpdatedAt ?? null,
      haircut: formatDecimal(a.haircut, RATIO_DECIMALS),
      amount: formatDecimal(a.amount, a.decimals),
      reservesUsd: usd(a.reservesUsd),
      adjustedReservesUsd: usd(a.adjustedReservesUsd),
      liquidationPriceUsd: a.liquidationPriceUsd === undefined ? null : usd(a.liquidationPriceUsd),
    })),
  async history(p: PoolParent, args: { from: number; to: number; interval: number }, context: ApiContext) {
    const times = historyTimes(args.from, args.to, args.interval)
    const states = await context.loaders.poolState.loadMany(
      times.map((at) => ({ poolId: p.poolId, time: { at } })),
    )
    return states.map((state, i) => {
      if (state instanceof Error) throw state
      if (state === undefined) throw new Error(`pool ${p.poolId} vanished from history`)
      const f = evaluatePoolFigures(state as PoolState, p.poolId)
      return {
        at: times[i],
        reserveRatio: ratio(f.reserveRatio),
        adjustedReservesUsd: usd(f.adjustedReservesUsd),
        liabilitiesUsd: usd(f.liabilitiesUsd),
      }
    })
  },
  async riskParameters(p: PoolParent, _: unknown, context: ApiContext) {
    return riskParameterView(await context.loaders.riskParameterHistory(), p.state.timestamp)
  },
}
