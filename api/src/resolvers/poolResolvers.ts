import type { PoolState } from '@ballast/sdk'
import {
  formatDecimal,
  parseDecimal,
  RATIO_DECIMALS,
  scaleDecimals,
  serializePoolState,
  USD_DECIMALS,
} from '@ballast/sdk'
import {
  liquidityCoverage,
  type PoolEvaluation,
  type ReserveFigures,
  stressScenarioNames,
} from '@ballast/sdk/math'
import { formatPlan, planRebalance } from '@ballast/sdk/planner'
import type { RiskParameterChangeRecord } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { evaluatePoolFigures } from '../figures/evaluatePoolFigures.js'
import { haircutTermsOf } from '../figures/haircutTermsOf.js'
import { observedRedemptions } from '../figures/observedRedemptions.js'
import { type LoadPoolStatesAt, periodicEvaluations } from '../figures/periodicEvaluations.js'
import { plannerInputOf } from '../figures/plannerInputOf.js'
import { degradedFields, poolStatusOf } from '../figures/poolStatusOf.js'
import {
  backtestFigures,
  liquidityCoverageFields,
  recommendationFigures,
  redemptionForecastFigures,
  trancheFigures,
} from '../figures/riskFigures.js'
import { type StressTestArgs, stressTestOf } from '../figures/stressTestOf.js'
import type { ActionOutcome } from '../keeper/KeeperDecision.js'
import { encodeCursor, pageArgs } from '../pagination/connection.js'
import type { ApiContext } from './ApiContext.js'
import { ratio, usd } from './format.js'
import { attestationOf, pendingChangesOf } from './governanceFields.js'
import { figuresOf, type PoolParent, poolOf } from './poolParent.js'
import { membersConnection } from './queryResolvers.js'

/** Loads the pool at other times through the request's DataLoader (one batch). */
function loadAt(p: PoolParent, context: ApiContext): LoadPoolStatesAt {
  return (times) =>
    context.loaders.poolState.loadMany(times.map((at) => ({ poolId: p.poolId, time: { at } })))
}

/** Most points one `history` call returns. */
export const maxHistoryPoints = 500

function figuresFields(f: ReserveFigures) {
  return {
    adjustedReservesUsd: usd(f.adjustedReservesUsd),
    reservesUsd: usd(f.grossReservesUsd),
    liabilitiesUsd: usd(f.liabilitiesUsd),
    reserveRatio: ratio(f.reserveRatio),
  }
}

/**
 * Total amount of each reserve asset held over members and chains (in flight included), in the
 * asset's canonical decimals.
 *
 * @param e - the pool evaluation.
 * @param state - the state (canonical decimals).
 * @returns amount per asset symbol.
 * @example
 * ```ts
 * assetAmounts(evaluation, state).get('USDC') // 1_000_000_000_000n (1M USDC, 6 decimals)
 * ```
 */
export function assetAmounts(e: PoolEvaluation, state: PoolState): Map<string, bigint> {
  const decimals = new Map(state.assets.map((a) => [a.symbol, a.decimals]))
  const amounts = new Map<string, bigint>()
  for (const m of e.members) {
    for (const p of m.positions) {
      const canonical = decimals.get(p.asset) ?? p.decimals
      amounts.set(
        p.asset,
        (amounts.get(p.asset) ?? 0n) + scaleDecimals(p.amount, p.decimals, canonical, 'floor'),
      )
    }
  }
  return amounts
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

/**
 * The risk parameters of a state: per (chain, asset), the changes emitted at or before the block
 * the state reads that chain at (so a state pinned to past blocks never shows later governance,
 * however far the indexer has moved), the one in force being the latest with `effectiveAt <= at`.
 */
function riskParameterView(
  changes: readonly RiskParameterChangeRecord[],
  at: number,
  blocks: PoolState['blocks'],
) {
  const readAt = new Map(blocks.map((b) => [b.chainId, b.blockNumber]))
  const byAsset = new Map<string, RiskParameterChangeRecord[]>()
  for (const c of changes.filter((x) => x.block <= (readAt.get(x.chainId) ?? -1n)))
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

/** A coverage in basis points as a ratio decimal ("1.05"), null when undefined. */
function bpsRatio(bps: bigint | undefined): string | null {
  return bps === undefined ? null : formatDecimal(bps, 4)
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
  reservesUsd: (p: PoolParent) => usd(figuresOf(p).grossReservesUsd),
  liabilitiesUsd: (p: PoolParent) => usd(figuresOf(p).liabilitiesUsd),
  healthy: (p: PoolParent) => !figuresOf(p).belowMinimum,
  status: (p: PoolParent) => poolStatusOf(figuresOf(p)),
  degraded: (p: PoolParent) => degradedFields(figuresOf(p).degraded),
  members: (p: PoolParent, args: { first?: number | null; after?: string | null }) =>
    membersConnection(p, args),
  chains: (p: PoolParent) =>
    figuresOf(p).chains.map((c) => ({ chainId: c.chainId, name: c.name, ...figuresFields(c) })),
  assets: (p: PoolParent) => {
    const e = figuresOf(p, { sensitivities: true })
    const amounts = assetAmounts(e, p.state)
    const decimals = new Map(p.state.assets.map((a) => [a.symbol, a.decimals]))
    return e.assets.map((a) => {
      const d = decimals.get(a.asset) ?? 18
      const sensitivity = e.sensitivities.find((s) => s.asset === a.asset)
      return {
        symbol: a.asset,
        decimals: d,
        priceUsd: usd(a.priceUsd),
        priceUpdatedAt: e.prices.find((x) => x.asset === a.asset)?.updatedAt ?? null,
        haircut: formatDecimal(a.haircut, RATIO_DECIMALS),
        haircutTerms: haircutTermsOf(e, p.state, a.asset),
        amount: formatDecimal(amounts.get(a.asset) ?? 0n, d),
        reservesUsd: usd(a.grossReservesUsd),
        adjustedReservesUsd: usd(a.adjustedReservesUsd),
        liquidationPriceUsd:
          sensitivity?.liquidationPriceUsd === undefined || sensitivity.liquidationPriceUsd === null
            ? null
            : usd(sensitivity.liquidationPriceUsd),
      }
    })
  },
  async history(p: PoolParent, args: { from: number; to: number; interval: number }, context: ApiContext) {
    const times = historyTimes(args.from, args.to, args.interval)
    const states = await context.loaders.poolState.loadMany(
      times.map((at) => ({ poolId: p.poolId, time: { at } })),
    )
    const notYet = (error: unknown) => error instanceof ApiError && error.code === 'NOT_AVAILABLE'
    return states.flatMap((state, i) => {
      // Points before the pool had complete data (no feed answer yet) are left out, as in
      // liquidityCoverage: a chart over "the last day" of a young pool starts where its data does.
      if (state instanceof Error) {
        if (notYet(state)) return []
        throw state
      }
      if (state === undefined) throw new Error(`pool ${p.poolId} vanished from history`)
      let f: PoolEvaluation
      try {
        f = evaluatePoolFigures(state as PoolState, p.poolId)
      } catch (error) {
        if (notYet(error)) return []
        throw error
      }
      return [
        {
          at: times[i],
          reserveRatio: ratio(f.reserveRatio),
          adjustedReservesUsd: usd(f.adjustedReservesUsd),
          liabilitiesUsd: usd(f.liabilitiesUsd),
          status: poolStatusOf(f),
        },
      ]
    })
  },
  state: (p: PoolParent) => serializePoolState(p.state),
  stressScenarios: () => stressScenarioNames,
  stressTest: (p: PoolParent, args: StressTestArgs) => {
    const r = stressTestOf(p.state, p.poolId, args)
    const names = new Map(r.base.members.map((m) => [m.memberId, m.name]))
    const figures = (e: ReserveFigures) => ({
      reserveRatio: ratio(e.reserveRatio),
      adjustedReservesUsd: usd(e.adjustedReservesUsd),
      liabilitiesUsd: usd(e.liabilitiesUsd),
    })
    return {
      scenario: r.scenario.name,
      description: r.scenario.description,
      before: figures(r.base),
      after: figures(r.stressed),
      passes: !r.breachesMinimum,
      insolvent: r.insolvent,
      unmatchedSymbols: r.unmatchedSymbols,
      members: r.members.map((m) => ({
        memberId: m.id,
        name: names.get(m.id) ?? m.id,
        before: ratio(m.baseRatio),
        after: ratio(m.stressedRatio),
      })),
      chains: r.chains.map((c) => ({
        chainId: Number(c.id),
        before: ratio(c.baseRatio),
        after: ratio(c.stressedRatio),
      })),
    }
  },
  async liquidityCoverage(
    p: PoolParent,
    args: { horizonPeriods: number; periodSeconds: number; lookbackPeriods: number; runOffRate: string },
    context: ApiContext,
  ) {
    if (!Number.isInteger(args.horizonPeriods) || args.horizonPeriods < 1 || args.horizonPeriods > 3650) {
      throw new ApiError('`horizonPeriods` must be from 1 to 3650.', {
        details: `horizonPeriods: ${args.horizonPeriods}`,
      })
    }
    if (!Number.isInteger(args.periodSeconds) || args.periodSeconds < 1) {
      throw new ApiError('`periodSeconds` must be a positive integer.', {
        details: `periodSeconds: ${args.periodSeconds}`,
      })
    }
    if (!Number.isInteger(args.lookbackPeriods) || args.lookbackPeriods < 0 || args.lookbackPeriods > 60) {
      throw new ApiError('`lookbackPeriods` must be from 0 to 60.', {
        details: `lookbackPeriods: ${args.lookbackPeriods}`,
      })
    }
    const runOffRate = parseDecimal(args.runOffRate, RATIO_DECIMALS)
    if (runOffRate < 0n || runOffRate > 10n ** 18n) {
      throw new ApiError('`runOffRate` must be between 0 and 1.', {
        details: `runOffRate: ${args.runOffRate}`,
      })
    }
    const { evaluations } = await periodicEvaluations(
      loadAt(p, context),
      p.state,
      p.poolId,
      args.periodSeconds,
      args.lookbackPeriods,
    )
    return liquidityCoverage(p.state, {
      poolId: p.poolId,
      redemptions: observedRedemptions(evaluations),
      horizonPeriods: args.horizonPeriods,
      runOffRate,
    }).map(liquidityCoverageFields)
  },
  backtest: (p: PoolParent, args: Parameters<typeof backtestFigures>[1], context: ApiContext) =>
    backtestFigures({ poolId: p.poolId, state: p.state, load: loadAt(p, context) }, args),
  redemptionForecast: (
    p: PoolParent,
    args: Parameters<typeof redemptionForecastFigures>[1],
    context: ApiContext,
  ) => redemptionForecastFigures({ poolId: p.poolId, state: p.state, load: loadAt(p, context) }, args),
  recommendations: (p: PoolParent, args: Parameters<typeof recommendationFigures>[1]) =>
    recommendationFigures(p, args),
  tranches: (p: PoolParent, args: Parameters<typeof trancheFigures>[1]) => trancheFigures(p, args),
  rebalancePlan(
    p: PoolParent,
    args: {
      objective: 'CHEAPEST' | 'FASTEST'
      fixedFeeUsd: string
      feePpm: number
      latencySeconds: number
      minTransferUsd: string
    },
  ) {
    if (!Number.isInteger(args.feePpm) || args.feePpm < 0 || args.feePpm > 1_000_000) {
      throw new ApiError('`feePpm` must be from 0 to 1000000.', { details: `feePpm: ${args.feePpm}` })
    }
    if (!Number.isInteger(args.latencySeconds) || args.latencySeconds < 0) {
      throw new ApiError('`latencySeconds` must be a non-negative integer.', {
        details: `latencySeconds: ${args.latencySeconds}`,
      })
    }
    const fixedFeeUsd = parseDecimal(args.fixedFeeUsd, USD_DECIMALS)
    const minTransferUsd = parseDecimal(args.minTransferUsd, USD_DECIMALS)
    if (fixedFeeUsd < 0n || minTransferUsd < 0n) {
      throw new ApiError('Fees and minimum transfer cannot be negative.', {
        details: `fixedFeeUsd: ${args.fixedFeeUsd}, minTransferUsd: ${args.minTransferUsd}`,
      })
    }
    const input = plannerInputOf(p.state, figuresOf(p), {
      fixedFeeUsd,
      feePpm: BigInt(args.feePpm),
      latencySeconds: args.latencySeconds,
    })
    const plan = planRebalance(input, {
      objective: args.objective === 'FASTEST' ? 'fastest' : 'cheapest',
      minTransferUsd,
    })
    const decimals = new Map(plan.assets.map((a) => [a.symbol, a.decimals]))
    return {
      objective: args.objective,
      feasible: plan.feasible,
      transfers: plan.transfers.map((t) => ({
        asset: t.asset,
        fromChainId: t.from.chainId,
        toChainId: t.to.chainId,
        amount: formatDecimal(t.amount, decimals.get(t.asset) ?? 0),
        costUsd: usd(t.costUsd),
        memberId: t.from.member ?? null,
        wave: t.wave,
        deliveredAfterSeconds: t.deliveredAfterSeconds,
      })),
      chains: plan.chains.map((c) => {
        const d = decimals.get(c.asset) ?? 0
        return {
          chainId: c.chainId,
          name: c.chainName,
          asset: c.asset,
          target: formatDecimal(c.target, d),
          before: formatDecimal(c.before, d),
          after: formatDecimal(c.after, d),
          coverageBefore: bpsRatio(c.coverageBeforeBps),
          coverageAfter: bpsRatio(c.coverageAfterBps),
        }
      }),
      totalCostUsd: usd(plan.totalCostUsd),
      totalTimeSeconds: plan.totalTimeSeconds,
      summary: formatPlan(plan),
      diagnosis: (plan.diagnosis?.reasons ?? []).map((r) => {
        switch (r.kind) {
          case 'insufficient-surplus':
            return `${r.asset}: total surplus ${r.totalSurplus} is below the total deficit ${r.totalDeficit}`
          case 'no-route':
            return `${r.asset}: no route reaches ${r.chainName}`
          case 'binding-capacity':
            return `${r.asset}: route ${r.routeId} is at its capacity ${r.capacity}`
          case 'min-transfer':
            return `${r.asset}: shortfall ${r.shortfall} is below the minimum transfer ${r.minTransfer}`
        }
        return 'unknown'
      }),
    }
  },
  async pendingChanges(p: PoolParent, args: { all?: boolean | null }, context: ApiContext) {
    return pendingChangesOf(
      await context.loaders.timelockChanges(),
      p.poolId,
      p.state.timestamp,
      args.all === true,
    )
  },
  async decisions(
    p: PoolParent,
    args: { first?: number | null; after?: string | null },
    context: ApiContext,
  ) {
    const { limit, afterKey } = pageArgs(args.first, args.after)
    const page = await context.dataSource.keeperDecisions({ poolId: p.poolId, first: limit, after: afterKey })
    return {
      nodes: page.items.map((d) => ({
        ...d,
        mode: d.mode.toUpperCase(),
        blocks: d.blocks.map((b) => ({ chainId: b.chainId, block: BigInt(b.block) })),
        actions: d.actions.map((a) => keeperActionView(`${d.id}/${a.actionId}`, a)),
      })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: page.endCursor === undefined ? null : encodeCursor(page.endCursor),
      },
    }
  },
  async pendingActions(p: PoolParent, _: unknown, context: ApiContext) {
    return (await context.dataSource.keeperPendingActions(p.poolId)).map((a) =>
      keeperActionView(a.id, a.outcome),
    )
  },
  async attestation(p: PoolParent, _: unknown, context: ApiContext) {
    return attestationOf(await context.loaders.attestations(), p.poolId, p.state.timestamp)
  },
  async riskParameters(p: PoolParent, _: unknown, context: ApiContext) {
    const poolId = p.poolId.toLowerCase()
    const changes = (await context.loaders.riskParameterHistory()).filter((c) => c.poolId === poolId)
    return riskParameterView(changes, p.state.timestamp, p.state.blocks)
  },
}

/** A keeper action as GraphQL serves it: decimals as strings, lists never null. */
function keeperActionView(id: string, a: ActionOutcome) {
  return {
    id,
    actionId: a.actionId,
    kind: a.kind.toUpperCase(),
    status: a.status,
    reason: a.reason,
    movedUsd: a.movedUsd ?? null,
    transfers: a.transfers ?? [],
    swaps: a.swaps ?? [],
    batches: (a.batches ?? []).map((b) => ({ ...b, gasEstimate: BigInt(b.gasEstimate) })),
  }
}
