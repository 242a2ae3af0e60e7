import { divRound } from '../money/divRound.js'
import { pow10 } from '../money/pow10.js'
import { WAD } from '../money/wad.js'
import type { Asset, AssetRiskParameters, Member, Pool, PoolState } from '../state/PoolState.js'
import { validatePoolState } from '../state/validatePoolState.js'
import {
  type AssetHaircut,
  computeHaircuts,
  type HaircutOptions,
  resolveHaircutOptions,
  stalePriceError,
} from './computeHaircuts.js'
import { type PriceSensitivity, priceSensitivities } from './priceSensitivities.js'
import { ReserveMathError } from './ReserveMathError.js'
import { type AssetPrice, resolveAssetPrices } from './resolveAssetPrices.js'

/** Options of {@link evaluatePool}. */
export type EvaluatePoolOptions = HaircutOptions & {
  /** Pool to evaluate; may be omitted when the state has exactly one pool. */
  poolId?: string
  /** Validate the state first (default true; stress loops that already validated pass false). */
  validate?: boolean
  /** USD prices (18 decimals) by erc20 symbol replacing the feeds (stress tests). */
  priceOverrides?: ReadonlyMap<string, bigint>
  /** Haircuts to use instead of the model (stress tests keep the base haircuts). */
  haircuts?: ReadonlyMap<string, AssetHaircut>
  /** Compute deltas, gammas and liquidation prices (default true). */
  sensitivities?: boolean
}

/** Reserve figures of a set of holdings and liabilities. USD values have 18 decimals, ratios are WAD. */
export type ReserveFigures = {
  /** Reserves at market value (LP at fair value), before haircuts. */
  grossReservesUsd: bigint
  /** `sum amount * P * (1 - h)`. */
  adjustedReservesUsd: bigint
  /** Adjusted reserves of liquid assets held on chain (not in flight). */
  liquidAdjustedReservesUsd: bigint
  /** Liabilities (circulating supply + in-flight liability tokens) at the liability's price. */
  liabilitiesUsd: bigint
  /** `adjustedReservesUsd / liabilitiesUsd` (WAD, rounded down); null when there are no liabilities. */
  reserveRatio: bigint | null
}

/** One holding, valued. */
export type PositionEvaluation = {
  chainId: number
  asset: string
  amount: bigint
  decimals: number
  grossUsd: bigint
  adjustedUsd: bigint
  /** True for a reserve transfer in flight (counted on its destination chain, never liquid). */
  inFlight: boolean
}

/** Per-asset figures (over a member or the pool). */
export type AssetFigures = {
  asset: string
  kind: Asset['kind']
  /** USD per whole token, 18 decimals. */
  priceUsd: bigint
  haircut: bigint
  grossReservesUsd: bigint
  adjustedReservesUsd: bigint
  /** Share of the adjusted reserves, WAD; null when they are zero. */
  share: bigint | null
}

/** Per-chain figures of a member. */
export type MemberChainFigures = ReserveFigures & { chainId: number }

/** A member, evaluated. */
export type MemberEvaluation = ReserveFigures & {
  memberId: string
  name: string
  /** Liability tokens in flight between chains (USD). */
  inFlightLiabilitiesUsd: bigint
  chains: MemberChainFigures[]
  assets: AssetFigures[]
  positions: PositionEvaluation[]
}

/** A chain of the pool, evaluated over all members. */
export type ChainEvaluation = ReserveFigures & {
  chainId: number
  name: string
  /** Reserve transfers arriving on this chain (USD, adjusted). */
  inFlightReservesUsd: bigint
  minLiquidityUsd: bigint
  targetLiquidityUsd: bigint
  /** `max(0, minLiquidityUsd - liquidAdjustedReservesUsd)`. */
  liquidityShortfallUsd: bigint
}

/** Everything `evaluatePool` computes. USD values have 18 decimals; ratios and haircuts are WAD. */
export type PoolEvaluation = ReserveFigures & {
  poolId: string
  name: string
  timestamp: number
  minRatio: bigint
  targetRatio: bigint
  /** Whether the pooled ratio is below `minRatio` (false when there are no liabilities). */
  belowMinimum: boolean
  /** `AR - minRatio * L` (negative: the shortfall to the minimum). */
  surplusOverMinimumUsd: bigint
  /** `AR - targetRatio * L`. */
  surplusOverTargetUsd: bigint
  members: MemberEvaluation[]
  chains: ChainEvaluation[]
  assets: AssetFigures[]
  /** Per priced asset: delta, gamma and liquidation price of the pooled adjusted reserves. */
  sensitivities: PriceSensitivity[]
  haircuts: AssetHaircut[]
  prices: AssetPrice[]
}

type Acc = { gross: bigint; adjusted: bigint; liquid: bigint; liabilities: bigint }
const newAcc = (): Acc => ({ gross: 0n, adjusted: 0n, liquid: 0n, liabilities: 0n })

/**
 * Evaluates a pool: adjusted reserves, liabilities and reserve ratios per member, per chain, per
 * asset and pooled, with haircuts, prices, deltas, gammas and liquidation prices. Exact bigints.
 *
 * Formulas (../shared/DESIGN.md, "Formulas"):
 * - `AR_m = sum_(c,a) R[m,c,a] * P[a] * (1 - h[a])` (each position rounded down);
 * - `L_m = (sum_c supply[m,c] + inFlight[m]) * P[liability]` (rounded up);
 * - `RR_m = AR_m / L_m`, `RR_pool = sum_m AR_m / sum_m L_m` (WAD, rounded down; null if `L = 0`);
 * - per chain: the same sums over positions on the chain; in-flight amounts count on the
 *   destination chain and are never liquid.
 * A stale liability price is raised by `stalePriceAddOn` (or throws under `fail`).
 *
 * @param state - The pool state (validated unless `validate: false`).
 * @param options - Pool id, haircut model, price overrides.
 * @returns The evaluation.
 * @example
 * ```ts
 * const e = evaluatePool(examplePoolState())
 * e.reserveRatio // 1_155_405_405_405_405_405n (1,282,500 / 1,110,000)
 * ```
 */
export function evaluatePool(state: PoolState, options: EvaluatePoolOptions = {}): PoolEvaluation {
  if (options.validate !== false) validatePoolState(state)
  const o = resolveHaircutOptions(options)
  const pool = selectPool(state, options.poolId)
  const prices = resolveAssetPrices(state, options.priceOverrides)
  const haircuts = options.haircuts ?? computeHaircuts(state, options)
  const assets = new Map(state.assets.map((a) => [a.symbol, a]))
  const risk = new Map<string, AssetRiskParameters>(state.riskParameters.map((r) => [r.asset, r]))
  const members = state.members.filter((m) => m.poolId === pool.id)

  // Per asset: price, factor (1 - h) and liquidity, looked up once.
  type AssetInfo = { price: bigint; keep: bigint; haircut: bigint; liquid: boolean; kind: Asset['kind'] }
  const info = new Map<string, AssetInfo>()
  for (const [symbol, h] of haircuts) {
    const asset = assets.get(symbol)
    if (asset === undefined) continue
    info.set(symbol, {
      price: prices.get(symbol)!.priceUsd,
      keep: WAD - h.haircut,
      haircut: h.haircut,
      liquid: risk.get(symbol)?.liquid !== false,
      kind: asset.kind,
    })
  }

  const chainAcc = new Map<number, Acc & { inFlight: bigint }>()
  for (const c of state.chains) chainAcc.set(c.chainId, { ...newAcc(), inFlight: 0n })
  const poolAssets = new Map<string, { gross: bigint; adjusted: bigint }>()
  const memberResults: MemberEvaluation[] = []
  let poolGross = 0n
  let poolAdjusted = 0n
  let poolLiquid = 0n
  let poolLiabilities = 0n

  for (const member of members) {
    const liabilityPrice = liabilityPriceOf(member, state, prices, o)
    const chains = new Map<number, Acc>()
    const memberAssets = new Map<string, { gross: bigint; adjusted: bigint }>()
    const positions: PositionEvaluation[] = []
    let gross = 0n
    let adjusted = 0n
    let liquid = 0n
    let liabilities = 0n
    let inFlightLiabilities = 0n

    const addPosition = (
      chainId: number,
      symbol: string,
      amount: bigint,
      decimals: number,
      inFlight: boolean,
    ) => {
      const a = info.get(symbol)!
      const g = (amount * a.price) / pow10(decimals)
      const adj = (g * a.keep) / WAD
      const isLiquid = a.liquid && !inFlight
      positions.push({ chainId, asset: symbol, amount, decimals, grossUsd: g, adjustedUsd: adj, inFlight })
      gross += g
      adjusted += adj
      if (isLiquid) liquid += adj
      let c = chains.get(chainId)
      if (c === undefined) {
        c = newAcc()
        chains.set(chainId, c)
      }
      c.gross += g
      c.adjusted += adj
      if (isLiquid) c.liquid += adj
      const pc = chainAcc.get(chainId)!
      pc.gross += g
      pc.adjusted += adj
      if (isLiquid) pc.liquid += adj
      if (inFlight) pc.inFlight += adj
      let ma = memberAssets.get(symbol)
      if (ma === undefined) {
        ma = { gross: 0n, adjusted: 0n }
        memberAssets.set(symbol, ma)
      }
      ma.gross += g
      ma.adjusted += adj
    }
    const addLiability = (chainId: number, amount: bigint, decimals: number, inFlight: boolean) => {
      const usd = divRound(amount * liabilityPrice, pow10(decimals), 'ceil')
      liabilities += usd
      if (inFlight) inFlightLiabilities += usd
      let c = chains.get(chainId)
      if (c === undefined) {
        c = newAcc()
        chains.set(chainId, c)
      }
      c.liabilities += usd
      chainAcc.get(chainId)!.liabilities += usd
    }

    for (const h of member.holdings) addPosition(h.chainId, h.asset, h.amount, h.decimals, false)
    for (const l of member.liabilities) addLiability(l.chainId, l.supply, l.decimals, false)
    for (const t of member.inFlight) {
      if (t.asset === member.liabilityAsset) addLiability(t.toChainId, t.amount, t.decimals, true)
      else addPosition(t.toChainId, t.asset, t.amount, t.decimals, true)
    }

    for (const [symbol, v] of memberAssets) {
      const pa = poolAssets.get(symbol)
      if (pa === undefined) poolAssets.set(symbol, { gross: v.gross, adjusted: v.adjusted })
      else {
        pa.gross += v.gross
        pa.adjusted += v.adjusted
      }
    }
    poolGross += gross
    poolAdjusted += adjusted
    poolLiquid += liquid
    poolLiabilities += liabilities
    memberResults.push({
      memberId: member.id,
      name: member.name,
      grossReservesUsd: gross,
      adjustedReservesUsd: adjusted,
      liquidAdjustedReservesUsd: liquid,
      liabilitiesUsd: liabilities,
      reserveRatio: ratio(adjusted, liabilities),
      inFlightLiabilitiesUsd: inFlightLiabilities,
      chains: [...chains].map(([chainId, c]) => ({
        chainId,
        grossReservesUsd: c.gross,
        adjustedReservesUsd: c.adjusted,
        liquidAdjustedReservesUsd: c.liquid,
        liabilitiesUsd: c.liabilities,
        reserveRatio: ratio(c.adjusted, c.liabilities),
      })),
      assets: assetFigures(memberAssets, info, adjusted),
      positions,
    })
  }

  const targets = new Map(pool.liquidityTargets.map((t) => [t.chainId, t]))
  const chainResults: ChainEvaluation[] = state.chains.map((chain) => {
    const c = chainAcc.get(chain.chainId)!
    const t = targets.get(chain.chainId)
    const min = t?.minLiquidityUsd ?? 0n
    return {
      chainId: chain.chainId,
      name: chain.name,
      grossReservesUsd: c.gross,
      adjustedReservesUsd: c.adjusted,
      liquidAdjustedReservesUsd: c.liquid,
      liabilitiesUsd: c.liabilities,
      reserveRatio: ratio(c.adjusted, c.liabilities),
      inFlightReservesUsd: c.inFlight,
      minLiquidityUsd: min,
      targetLiquidityUsd: t?.targetLiquidityUsd ?? 0n,
      liquidityShortfallUsd: min > c.liquid ? min - c.liquid : 0n,
    }
  })

  const reserveRatio = ratio(poolAdjusted, poolLiabilities)
  const minimum = divRound(pool.minRatio * poolLiabilities, WAD, 'ceil')
  const target = divRound(pool.targetRatio * poolLiabilities, WAD, 'ceil')
  const evaluation: PoolEvaluation = {
    poolId: pool.id,
    name: pool.name,
    timestamp: state.timestamp,
    minRatio: pool.minRatio,
    targetRatio: pool.targetRatio,
    grossReservesUsd: poolGross,
    adjustedReservesUsd: poolAdjusted,
    liquidAdjustedReservesUsd: poolLiquid,
    liabilitiesUsd: poolLiabilities,
    reserveRatio,
    belowMinimum: reserveRatio !== null && reserveRatio < pool.minRatio,
    surplusOverMinimumUsd: poolAdjusted - minimum,
    surplusOverTargetUsd: poolAdjusted - target,
    members: memberResults,
    chains: chainResults,
    assets: assetFigures(poolAssets, info, poolAdjusted),
    sensitivities: [],
    haircuts: [...haircuts.values()],
    prices: [...prices.values()],
  }
  if (options.sensitivities !== false) {
    evaluation.sensitivities = priceSensitivities(state, members, prices, haircuts, evaluation)
  }
  return evaluation
}

/** `a / b` as WAD rounded down, or null when `b` is zero. */
function ratio(a: bigint, b: bigint): bigint | null {
  return b === 0n ? null : (a * WAD) / b
}

function assetFigures(
  acc: Map<string, { gross: bigint; adjusted: bigint }>,
  info: ReadonlyMap<string, { price: bigint; haircut: bigint; kind: Asset['kind'] }>,
  total: bigint,
): AssetFigures[] {
  return [...acc].map(([asset, v]) => {
    const i = info.get(asset)!
    return {
      asset,
      kind: i.kind,
      priceUsd: i.price,
      haircut: i.haircut,
      grossReservesUsd: v.gross,
      adjustedReservesUsd: v.adjusted,
      share: total === 0n ? null : (v.adjusted * WAD) / total,
    }
  })
}

/** The pool named by `poolId`, or the only pool. */
export function selectPool(state: PoolState, poolId: string | undefined): Pool {
  if (poolId === undefined) {
    if (state.pools.length === 1) return state.pools[0]!
    throw new ReserveMathError('Which pool?', {
      details: `The state has ${state.pools.length} pools: ${state.pools.map((p) => p.id).join(', ') || 'none'}.`,
      metaMessages: ['Pass options.poolId.'],
    })
  }
  const pool = state.pools.find((p) => p.id === poolId)
  if (pool === undefined) {
    throw new ReserveMathError('Unknown pool.', {
      details: `poolId = ${JSON.stringify(poolId)}; the state has ${state.pools.map((p) => p.id).join(', ') || 'none'}.`,
      metaMessages: ['Use the id of a pool in state.pools.'],
    })
  }
  return pool
}

function liabilityPriceOf(
  member: Member,
  state: PoolState,
  prices: ReadonlyMap<string, AssetPrice>,
  o: ReturnType<typeof resolveHaircutOptions>,
): bigint {
  const p = prices.get(member.liabilityAsset)!
  const age = Math.max(0, state.timestamp - p.updatedAt)
  if (age <= o.maxPriceAge) return p.priceUsd
  if (o.stalePricePolicy === 'fail') throw stalePriceError(member.liabilityAsset, age, o.maxPriceAge)
  return divRound(p.priceUsd * (WAD + o.stalePriceAddOn), WAD, 'ceil')
}
