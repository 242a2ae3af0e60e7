import { divRound } from '../money/divRound.js'
import { pow10 } from '../money/pow10.js'
import { WAD } from '../money/wad.js'
import type {
  Asset,
  AssetRiskParameters,
  DegradedReason,
  Member,
  Pool,
  PoolState,
} from '../state/PoolState.js'
import { priceAgeOf } from '../state/priceAge.js'
import { validatePoolState } from '../state/validatePoolState.js'
import {
  type AssetHaircut,
  computeHaircuts,
  type HaircutOptions,
  resolveHaircutOptions,
  stalePriceError,
} from './computeHaircuts.js'
import {
  exposureFromAmounts,
  type MovingLiabilities,
  type PriceSensitivity,
  priceSensitivities,
} from './priceSensitivities.js'
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
  /** The asset's governance liquidation threshold (WAD), carried through from its risk parameters. */
  liquidationThreshold: bigint
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
  /**
   * Why these figures are not exact (the state's `degraded` reasons of this pool, and of the
   * state as a whole); empty when they are. A degraded pool's status is DEGRADED.
   */
  degraded: DegradedReason[]
}

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
 * A liability price older than its feed's heartbeat (`maxAge`, else `maxPriceAge`) is raised by
 * `stalePriceAddOn` (or throws under `fail`).
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
  const members = state.members.filter((m) => m.poolId === pool.id)
  // Under the `fail` policy only a stale price the pool depends on fails the evaluation.
  const held = new Set<string>()
  for (const m of members) {
    for (const h of m.holdings) held.add(h.asset)
    for (const t of m.inFlight) held.add(t.asset)
  }
  const haircuts = options.haircuts ?? computeHaircuts(state, { ...options, failOnlyFor: held })
  const risk = new Map<string, AssetRiskParameters>(state.riskParameters.map((r) => [r.asset, r]))
  const assetsBySymbol = new Map(state.assets.map((a) => [a.symbol, a]))

  // Per asset: price, factor (1 - h) and liquidity, looked up once; arrays indexed by asset and
  // chain keep the per-position loop to a few bigint operations (20,000 positions in ~10 ms).
  const symbols: string[] = []
  const assetIndex = new Map<string, number>()
  const info: {
    price: bigint
    keep: bigint
    haircut: bigint
    liquidationThreshold: bigint
    liquid: boolean
    kind: Asset['kind']
  }[] = []
  for (const asset of state.assets) {
    const h = haircuts.get(asset.symbol)
    if (h === undefined) continue
    assetIndex.set(asset.symbol, symbols.length)
    symbols.push(asset.symbol)
    info.push({
      price: prices.get(asset.symbol)!.priceUsd,
      keep: WAD - h.haircut,
      haircut: h.haircut,
      liquidationThreshold: risk.get(asset.symbol)?.liquidationThreshold ?? 0n,
      liquid: risk.get(asset.symbol)?.liquid !== false,
      kind: asset.kind,
    })
  }
  const nAssets = symbols.length
  const chainIndex = new Map(state.chains.map((c, i) => [c.chainId, i]))
  const nChains = state.chains.length
  const zeros = (n: number): bigint[] => new Array<bigint>(n).fill(0n)

  const poolChain = {
    gross: zeros(nChains),
    adjusted: zeros(nChains),
    liquid: zeros(nChains),
    liabilities: zeros(nChains),
    inFlight: zeros(nChains),
  }
  const poolAsset = {
    gross: zeros(nAssets),
    adjusted: zeros(nAssets),
    held: new Array<boolean>(nAssets).fill(false),
  }
  // Raw amounts by asset index and decimals, for the sensitivities (summed once, converted once).
  const rawAmounts: Map<number, bigint>[] = symbols.map(() => new Map())
  const memberResults: MemberEvaluation[] = []
  let poolGross = 0n
  let poolAdjusted = 0n
  let poolLiquid = 0n
  let poolLiabilities = 0n

  for (const member of members) {
    const liabilityPrice = liabilityPriceOf(member, state, prices, o, assetsBySymbol)
    const cGross = zeros(nChains)
    const cAdjusted = zeros(nChains)
    const cLiquid = zeros(nChains)
    const cLiabilities = zeros(nChains)
    const cTouched = new Array<boolean>(nChains).fill(false)
    const aGross = zeros(nAssets)
    const aAdjusted = zeros(nAssets)
    const aHeld = new Array<boolean>(nAssets).fill(false)
    const positions: PositionEvaluation[] = []
    let inFlightLiabilities = 0n

    const addPosition = (
      chainId: number,
      symbol: string,
      amount: bigint,
      decimals: number,
      inFlight: boolean,
    ) => {
      const ai = assetIndex.get(symbol)!
      const ci = chainIndex.get(chainId)!
      const a = info[ai]!
      const g = (amount * a.price) / pow10(decimals)
      const adj = (g * a.keep) / WAD
      positions.push({ chainId, asset: symbol, amount, decimals, grossUsd: g, adjustedUsd: adj, inFlight })
      cGross[ci]! += g
      cAdjusted[ci]! += adj
      if (a.liquid && !inFlight) cLiquid[ci]! += adj
      if (inFlight) poolChain.inFlight[ci]! += adj
      cTouched[ci] = true
      aGross[ai]! += g
      aAdjusted[ai]! += adj
      aHeld[ai] = true
      const raw = rawAmounts[ai]!
      raw.set(decimals, (raw.get(decimals) ?? 0n) + amount)
    }
    const addLiability = (chainId: number, amount: bigint, decimals: number) => {
      const ci = chainIndex.get(chainId)!
      const usd = divRound(amount * liabilityPrice, pow10(decimals), 'ceil')
      cLiabilities[ci]! += usd
      cTouched[ci] = true
      return usd
    }

    for (const h of member.holdings) addPosition(h.chainId, h.asset, h.amount, h.decimals, false)
    for (const l of member.liabilities) addLiability(l.chainId, l.supply, l.decimals)
    for (const t of member.inFlight) {
      if (t.asset === member.liabilityAsset)
        inFlightLiabilities += addLiability(t.toChainId, t.amount, t.decimals)
      else addPosition(t.toChainId, t.asset, t.amount, t.decimals, true)
    }

    let gross = 0n
    let adjusted = 0n
    let liquid = 0n
    let liabilities = 0n
    const chains: MemberChainFigures[] = []
    for (let ci = 0; ci < nChains; ci++) {
      if (!cTouched[ci]) continue
      gross += cGross[ci]!
      adjusted += cAdjusted[ci]!
      liquid += cLiquid[ci]!
      liabilities += cLiabilities[ci]!
      poolChain.gross[ci]! += cGross[ci]!
      poolChain.adjusted[ci]! += cAdjusted[ci]!
      poolChain.liquid[ci]! += cLiquid[ci]!
      poolChain.liabilities[ci]! += cLiabilities[ci]!
      chains.push({
        chainId: state.chains[ci]!.chainId,
        grossReservesUsd: cGross[ci]!,
        adjustedReservesUsd: cAdjusted[ci]!,
        liquidAdjustedReservesUsd: cLiquid[ci]!,
        liabilitiesUsd: cLiabilities[ci]!,
        reserveRatio: ratio(cAdjusted[ci]!, cLiabilities[ci]!),
      })
    }
    for (let ai = 0; ai < nAssets; ai++) {
      if (!aHeld[ai]) continue
      poolAsset.gross[ai]! += aGross[ai]!
      poolAsset.adjusted[ai]! += aAdjusted[ai]!
      poolAsset.held[ai] = true
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
      chains,
      assets: assetFigures(symbols, info, aGross, aAdjusted, aHeld, adjusted),
      positions,
    })
  }

  const targets = new Map(pool.liquidityTargets.map((t) => [t.chainId, t]))
  const chainResults: ChainEvaluation[] = state.chains.map((chain, ci) => {
    const t = targets.get(chain.chainId)
    const min = t?.minLiquidityUsd ?? 0n
    const liquid = poolChain.liquid[ci]!
    return {
      chainId: chain.chainId,
      name: chain.name,
      grossReservesUsd: poolChain.gross[ci]!,
      adjustedReservesUsd: poolChain.adjusted[ci]!,
      liquidAdjustedReservesUsd: liquid,
      liabilitiesUsd: poolChain.liabilities[ci]!,
      reserveRatio: ratio(poolChain.adjusted[ci]!, poolChain.liabilities[ci]!),
      inFlightReservesUsd: poolChain.inFlight[ci]!,
      minLiquidityUsd: min,
      targetLiquidityUsd: t?.targetLiquidityUsd ?? 0n,
      liquidityShortfallUsd: min > liquid ? min - liquid : 0n,
    }
  })

  const reserveRatio = ratio(poolAdjusted, poolLiabilities)
  const minimum = divRound(pool.minRatio * poolLiabilities, WAD, 'ceil')
  const target = divRound(pool.targetRatio * poolLiabilities, WAD, 'ceil')
  const evaluation: PoolEvaluation = {
    degraded: (state.degraded ?? []).filter((d) => d.poolId === undefined || d.poolId === pool.id),
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
    assets: assetFigures(symbols, info, poolAsset.gross, poolAsset.adjusted, poolAsset.held, poolAdjusted),
    sensitivities: [],
    haircuts: [...haircuts.values()],
    prices: [...prices.values()],
  }
  if (options.sensitivities !== false) {
    // Liabilities priced through an asset move with it (a liability token that is the asset, a
    // vault share of it, or an LP token holding it).
    const movingLiabilities = new Map<string, MovingLiabilities>()
    const addMoving = (symbol: string, usd: bigint, kind: 'linearUsd' | 'sqrtUsd') => {
      const entry = movingLiabilities.get(symbol) ?? { linearUsd: 0n, sqrtUsd: 0n }
      entry[kind] += usd
      movingLiabilities.set(symbol, entry)
    }
    members.forEach((member, i) => {
      const usd = memberResults[i]!.liabilitiesUsd
      const asset = assetsBySymbol.get(member.liabilityAsset)
      if (usd === 0n || asset === undefined) return
      if (asset.kind === 'erc20') addMoving(asset.symbol, usd, 'linearUsd')
      else if (asset.kind === 'erc4626') addMoving(asset.underlying, usd, 'linearUsd')
      else {
        addMoving(asset.token0, usd, 'sqrtUsd')
        addMoving(asset.token1, usd, 'sqrtUsd')
      }
    })
    evaluation.sensitivities = priceSensitivities(
      state,
      exposureFromAmounts(
        state,
        new Map(symbols.map((symbol, i) => [symbol, rawAmounts[i]!] as const).filter(([, m]) => m.size > 0)),
        haircuts,
      ),
      prices,
      { ...evaluation, movingLiabilities },
    )
  }
  return evaluation
}

/** `a / b` as WAD rounded down, or null when `b` is zero. */
function ratio(a: bigint, b: bigint): bigint | null {
  return b === 0n ? null : (a * WAD) / b
}

function assetFigures(
  symbols: readonly string[],
  info: readonly { price: bigint; haircut: bigint; liquidationThreshold: bigint; kind: Asset['kind'] }[],
  gross: readonly bigint[],
  adjusted: readonly bigint[],
  held: readonly boolean[],
  total: bigint,
): AssetFigures[] {
  const out: AssetFigures[] = []
  for (let i = 0; i < symbols.length; i++) {
    if (!held[i]) continue
    const a = info[i]!
    out.push({
      asset: symbols[i]!,
      kind: a.kind,
      priceUsd: a.price,
      haircut: a.haircut,
      liquidationThreshold: a.liquidationThreshold,
      grossReservesUsd: gross[i]!,
      adjustedReservesUsd: adjusted[i]!,
      share: total === 0n ? null : (adjusted[i]! * WAD) / total,
    })
  }
  return out
}

/**
 * The pool an evaluation is about: the one named by `poolId`, or the only pool of the state.
 *
 * @param state - The pool state.
 * @param poolId - A pool id, or undefined when the state has exactly one pool.
 * @returns The pool; throws `ReserveMathError` naming the known ids otherwise.
 * @example
 * ```ts
 * selectPool(examplePoolState(), undefined).id // 'main'
 * ```
 */
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
  bySymbol: ReadonlyMap<string, Asset>,
): bigint {
  const p = prices.get(member.liabilityAsset)!
  // Aged by the liability feed's own heartbeat, as a reserve asset's price is.
  const { age, maxAge, stale } = priceAgeOf(bySymbol, member.liabilityAsset, state.timestamp, o.maxPriceAge)
  if (!stale) return p.priceUsd
  if (o.stalePricePolicy === 'fail') throw stalePriceError(member.liabilityAsset, age, maxAge)
  return divRound(p.priceUsd * (WAD + o.stalePriceAddOn), WAD, 'ceil')
}
