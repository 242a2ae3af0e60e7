import { divRound } from '../money/divRound.js'
import { pow10 } from '../money/pow10.js'
import { sqrt } from '../money/sqrt.js'
import { WAD } from '../money/wad.js'
import type { ConstantProductLpAsset, Member, PoolState } from '../state/PoolState.js'
import type { AssetHaircut } from './computeHaircuts.js'
import type { AssetPrice } from './resolveAssetPrices.js'

/**
 * Sensitivity of the pooled adjusted reserves to one priced (erc20) asset. 18-decimal bigints.
 */
export type PriceSensitivity = {
  asset: string
  /** USD per whole token, 18 decimals. */
  priceUsd: bigint
  /** `dAR/dP`: adjusted USD per 1 USD of price, i.e. effective whole tokens held (18 decimals). */
  delta: bigint
  /** `d2AR/dP2`: tokens per USD (18 decimals); negative for constant-product LP positions, else 0. */
  gamma: bigint
  /** `delta * P`: adjusted USD that move one-for-one with the price (18 decimals). */
  exposureUsd: bigint
  /** Price at which the pooled ratio reaches the pool's `minRatio`, others fixed; null if none. */
  liquidationPriceUsd: bigint | null
  /** `(liquidationPrice - P) / P` as WAD (e.g. -0.35e18: a 35% fall); null with no liquidation price. */
  liquidationMove: bigint | null
}

/** Adjusted exposure of a set of members to the priced assets, the building block of all sensitivities. */
export type ReserveExposure = {
  /** Per erc20 symbol: effective adjusted whole tokens (18 decimals): `sum amount * (1 - h)`, vault shares through `assetsPerShare`. */
  linear: Map<string, bigint>
  /** Per LP symbol: adjusted LP tokens held (the LP's decimals): `sum amount * (1 - h)`. */
  lp: Map<string, { asset: ConstantProductLpAsset; held: bigint }>
}

/**
 * Liabilities (USD, 18 decimals, at today's prices) whose price follows one asset: `linearUsd`
 * moves in proportion to its price (the liability token is the asset, or a vault share of it),
 * `sqrtUsd` with its square root (an LP token holding it, fairly priced at `2 sqrt(k p0 p1)`).
 */
export type MovingLiabilities = { linearUsd: bigint; sqrtUsd: bigint }

/** Raw reserve amounts summed by asset symbol and token decimals (the input of `exposureFromAmounts`). */
export type AmountsByAsset = Map<string, Map<number, bigint>>

/** Adds an amount to `AmountsByAsset`. */
export function addAmount(amounts: AmountsByAsset, symbol: string, amount: bigint, decimals: number): void {
  let byDecimals = amounts.get(symbol)
  if (byDecimals === undefined) {
    byDecimals = new Map()
    amounts.set(symbol, byDecimals)
  }
  byDecimals.set(decimals, (byDecimals.get(decimals) ?? 0n) + amount)
}

/**
 * Collects the adjusted exposure of members' reserves (holdings and in-flight reserve transfers).
 *
 * @param state - The pool state.
 * @param members - Members to include.
 * @param haircuts - Haircuts by asset.
 * @returns Linear token exposures and LP holdings.
 * @example
 * ```ts
 * reserveExposure(state, state.members, computeHaircuts(state)).linear.get('WETH') // 85e18 (100 WETH * 0.85)
 * ```
 */
export function reserveExposure(
  state: PoolState,
  members: readonly Member[],
  haircuts: ReadonlyMap<string, AssetHaircut>,
): ReserveExposure {
  const amounts: AmountsByAsset = new Map()
  for (const m of members) {
    for (const h of m.holdings) addAmount(amounts, h.asset, h.amount, h.decimals)
    for (const t of m.inFlight)
      if (t.asset !== m.liabilityAsset) addAmount(amounts, t.asset, t.amount, t.decimals)
  }
  return exposureFromAmounts(state, amounts, haircuts)
}

/**
 * Turns summed raw amounts into adjusted exposures: erc20 `n = sum amount / 10^d * (1 - h)` (whole
 * tokens, 18 decimals), ERC-4626 shares through `assetsPerShare` into their underlying, LP tokens
 * kept as adjusted LP amounts. Each (asset, decimals) group is rounded down once.
 *
 * @param state - The pool state.
 * @param amounts - Raw amounts by asset and decimals.
 * @param haircuts - Haircuts by asset.
 * @returns The exposure.
 * @example
 * ```ts
 * exposureFromAmounts(state, new Map([['WETH', new Map([[18, 100n * 10n ** 18n]])]]), haircuts)
 * ```
 */
export function exposureFromAmounts(
  state: PoolState,
  amounts: AmountsByAsset,
  haircuts: ReadonlyMap<string, AssetHaircut>,
): ReserveExposure {
  const assets = new Map(state.assets.map((a) => [a.symbol, a]))
  const linear = new Map<string, bigint>()
  const lp = new Map<string, { asset: ConstantProductLpAsset; held: bigint }>()
  for (const [symbol, byDecimals] of amounts) {
    const asset = assets.get(symbol)!
    const keep = WAD - haircuts.get(symbol)!.haircut
    for (const [decimals, amount] of byDecimals) {
      if (asset.kind === 'erc20') {
        const tokens = (amount * pow10(18) * keep) / (pow10(decimals) * WAD)
        linear.set(symbol, (linear.get(symbol) ?? 0n) + tokens)
      } else if (asset.kind === 'erc4626') {
        const underDecimals = assets.get(asset.underlying)!.decimals
        const tokens =
          (amount * asset.assetsPerShare * pow10(18) * keep) / (pow10(decimals) * pow10(underDecimals) * WAD)
        linear.set(asset.underlying, (linear.get(asset.underlying) ?? 0n) + tokens)
      } else {
        const held = (amount * pow10(asset.decimals) * keep) / (pow10(decimals) * WAD)
        const entry = lp.get(symbol)
        if (entry === undefined) lp.set(symbol, { asset, held })
        else entry.held += held
      }
    }
  }
  return { linear, lp }
}

/**
 * Delta, gamma and liquidation price of the pooled adjusted reserves for every priced asset.
 *
 * Formulas (DESIGN.md, "Liquidation price", "Greeks"):
 * - plain and vault positions are linear: `AR_a(P) = n_a * P` with `n_a` effective adjusted tokens,
 *   so `delta = n_a`, `gamma = 0`;
 * - a constant-product LP share `f` (adjusted) is worth `f * 2 * sqrt(k * P0 * P1)` (`k = r0 * r1`),
 *   so `delta_0 = f * sqrt(k * P1 / P0)` and `gamma_0 = -delta_0 / (2 * P0)` (Uniswap V2
 *   whitepaper; the LP value `V = 2 sqrt(k p)` in units of token1);
 * - liquidation price: the `P*` with `AR_other + AR_a(P*) = minRatio * L(P*)`, other prices
 *   fixed. Liabilities priced through the asset move with it: `L(P) = L_fixed + L_lin * P / P0 +
 *   L_sqrt * sqrt(P / P0)` (`MovingLiabilities`); otherwise `L` is fixed. Fixed liabilities:
 *   `P* = (minRatio * L - AR_other) / n_a` when linear, else by bisection on the monotone `AR_a`.
 *   Moving, linear: `P* = (m L_fixed - AR_other) * P0 / (n_a P0 - m L_lin)` (the pooled ratio
 *   `(AR_other + n P) / (L_fixed + L_lin P / P0)` crosses `m` once, or never when the
 *   denominator is 0); moving and non-linear: bisection for the crossing of
 *   `g(P) = AR(P) - m L(P)` nearest to `P0` (below, or above by doubling). The crossing may lie
 *   above the current price (the ratio falls as the price rises when liabilities carry more of
 *   the asset than reserves do). Null when no price reaches it (no exposure, no liabilities, or
 *   the ratio never meets the minimum).
 *
 * @param state - The pool state.
 * @param exposure - The pool's reserve exposure (`reserveExposure`).
 * @param prices - Resolved prices.
 * @param pool - The pooled figures and the pool's minimum ratio.
 * @returns One entry per erc20 asset the reserves are exposed to, in the state's asset order.
 * @example
 * ```ts
 * evaluatePool(examplePoolState()).sensitivities.find((s) => s.asset === 'WETH')?.delta // 85e18
 * ```
 */
export function priceSensitivities(
  state: PoolState,
  exposure: ReserveExposure,
  prices: ReadonlyMap<string, AssetPrice>,
  pool: {
    adjustedReservesUsd: bigint
    liabilitiesUsd: bigint
    minRatio: bigint
    /** Per asset symbol: the liabilities priced through it (default: none, liabilities fixed). */
    movingLiabilities?: ReadonlyMap<string, MovingLiabilities> | undefined
  },
): PriceSensitivity[] {
  const decimalsOf = new Map(state.assets.map((a) => [a.symbol, a.decimals]))
  const threshold = divRound(pool.minRatio * pool.liabilitiesUsd, WAD, 'ceil')
  const out: PriceSensitivity[] = []
  for (const asset of state.assets) {
    if (asset.kind !== 'erc20') continue
    const symbol = asset.symbol
    const n = exposure.linear.get(symbol) ?? 0n
    const lps: {
      f: [bigint, bigint]
      r: bigint
      d: number
      otherValue: bigint
      r18: bigint
      o18: bigint
      otherPrice: bigint
    }[] = []
    for (const { asset: lp, held } of exposure.lp.values()) {
      if (lp.token0 !== symbol && lp.token1 !== symbol) continue
      const mine = lp.token0 === symbol
      const other = mine ? lp.token1 : lp.token0
      const r = mine ? lp.reserve0 : lp.reserve1
      const ro = mine ? lp.reserve1 : lp.reserve0
      const d = decimalsOf.get(symbol)!
      const dOther = decimalsOf.get(other)!
      const otherPrice = prices.get(other)!.priceUsd
      lps.push({
        f: [held, lp.totalSupply],
        r,
        d,
        otherValue: (ro * otherPrice) / pow10(dOther),
        r18: (r * pow10(18)) / pow10(d),
        o18: (ro * pow10(18)) / pow10(dOther),
        otherPrice,
      })
    }
    if (n === 0n && lps.length === 0) continue
    const p0 = prices.get(symbol)!.priceUsd
    const valueAt = (p: bigint): bigint => {
      let v = (n * p) / WAD
      for (const l of lps) v += (l.f[0] * 2n * sqrt(((l.r * p) / pow10(l.d)) * l.otherValue)) / l.f[1]
      return v
    }
    let delta = n
    let gamma = 0n
    for (const l of lps) {
      const dl = (l.f[0] * sqrt((l.r18 * l.o18 * l.otherPrice) / p0)) / l.f[1]
      delta += dl
      gamma -= (dl * WAD) / (2n * p0)
    }
    let liquidationPriceUsd: bigint | null = null
    const need = threshold - (pool.adjustedReservesUsd - valueAt(p0))
    const moving = pool.movingLiabilities?.get(symbol)
    if (moving !== undefined && (moving.linearUsd > 0n || moving.sqrtUsd > 0n) && p0 > 0n) {
      liquidationPriceUsd = movingCrossing(
        pool.adjustedReservesUsd - valueAt(p0),
        n,
        lps.length === 0 ? undefined : valueAt,
        p0,
        pool.liabilitiesUsd,
        moving,
        pool.minRatio,
      )
    } else if (pool.liabilitiesUsd > 0n && need > 0n) {
      if (lps.length === 0) liquidationPriceUsd = divRound(need * WAD, n, 'ceil')
      else {
        let hi = p0 > 0n ? p0 : WAD
        let steps = 0
        while (valueAt(hi) < need && steps < 256) {
          hi *= 2n
          steps++
        }
        if (valueAt(hi) >= need) {
          let lo = 0n
          while (hi - lo > 1n) {
            const mid = (lo + hi) / 2n
            if (valueAt(mid) >= need) hi = mid
            else lo = mid
          }
          liquidationPriceUsd = hi
        }
      }
    }
    out.push({
      asset: symbol,
      priceUsd: p0,
      delta,
      gamma,
      exposureUsd: (delta * p0) / WAD,
      liquidationPriceUsd,
      liquidationMove:
        liquidationPriceUsd === null || p0 === 0n
          ? null
          : divRound((liquidationPriceUsd - p0) * WAD, p0, 'trunc'),
    })
  }
  return out
}

/**
 * The price of an asset at which the pooled ratio meets `minRatio` when liabilities move with it
 * (see {@link priceSensitivities}): `g(P) = AR_other + AR_a(P) - m L(P) / 1e18 = 0` with
 * `L(P) = L_fixed + L_lin P / P0 + L_sqrt sqrt(P / P0)`. Linear reserves and no `L_sqrt`: the
 * closed form `P* = (m L_fixed - AR_other 1e18) P0 / (n P0 - m L_lin)`, rounded toward `P0`
 * (a conservative distance); otherwise the root of `g` nearest `P0` by bisection to 1 wei. Null
 * when `g` never changes sign on `(0, inf)`.
 */
function movingCrossing(
  otherUsd: bigint,
  n: bigint,
  valueAt: ((p: bigint) => bigint) | undefined,
  p0: bigint,
  liabilitiesUsd: bigint,
  moving: MovingLiabilities,
  minRatio: bigint,
): bigint | null {
  const fixed = liabilitiesUsd - moving.linearUsd - moving.sqrtUsd
  if (valueAt === undefined && moving.sqrtUsd === 0n) {
    const numerator = (minRatio * fixed - otherUsd * WAD) * p0
    const denominator = n * p0 - minRatio * moving.linearUsd
    if (denominator === 0n) return null
    if (numerator === 0n || numerator < 0n !== denominator < 0n) return null
    const p = divRound(numerator, denominator, 'floor')
    const up = divRound(numerator, denominator, 'ceil')
    // Toward the current price: the nearer of the two roundings.
    return up <= p0 ? up : p
  }
  const reserves = valueAt ?? ((p: bigint) => (n * p) / WAD)
  const g = (p: bigint): bigint => {
    const l = fixed + (moving.linearUsd * p) / p0 + (moving.sqrtUsd * sqrt((p * WAD) / p0)) / sqrt(WAD)
    return (otherUsd + reserves(p)) * WAD - minRatio * l
  }
  const sign = (x: bigint) => (x > 0n ? 1 : x < 0n ? -1 : 0)
  const at0 = sign(g(p0))
  if (at0 === 0) return p0
  const bisect = (lo: bigint, hi: bigint): bigint => {
    // sign(g(lo)) !== sign(g(hi)); returns the end nearer the root on the side of P0's sign change.
    const loSign = sign(g(lo))
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n
      if (sign(g(mid)) === loSign) lo = mid
      else hi = mid
    }
    return hi
  }
  let below: bigint | null = null
  if (sign(g(0n)) !== at0) below = bisect(0n, p0)
  let above: bigint | null = null
  let hi = p0 * 2n
  for (let steps = 0; steps < 256 && sign(g(hi)) === at0; steps++) hi *= 2n
  if (sign(g(hi)) !== at0) above = bisect(p0, hi)
  if (below === null) return above
  if (above === null) return below
  return p0 - below <= above - p0 ? below : above
}
