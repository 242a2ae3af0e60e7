import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../money/wad.js'
import { examplePoolState } from '../state/examplePoolState.js'
import { InvalidPoolStateError } from '../state/InvalidPoolStateError.js'
import type { Asset, PoolState } from '../state/PoolState.js'
import { evaluatePool } from './evaluatePool.js'
import { ReserveMathError } from './ReserveMathError.js'

const E18 = 10n ** 18n
const usd = (x: number | bigint) => BigInt(x) * E18
/** A WETH/USDC constant-product LP: 1,000 WETH + 3,000,000 USDC, 1,000 LP tokens. */
const wethUsdcLp = (): Asset => ({
  symbol: 'LP',
  decimals: 18,
  kind: 'constantProductLp',
  token0: 'WETH',
  token1: 'USDC',
  reserve0: usd(1_000),
  reserve1: 3_000_000_000_000n,
  totalSupply: usd(1_000),
})

describe('evaluatePool on the example state (hand-computed)', () => {
  const e = evaluatePool(examplePoolState())

  it('pooled figures', () => {
    // AR = 588,000 (USDC) + 255,000 (WETH) + 240,000 (WBTC) + 199,500 (svUSDC) = 1,282,500
    expect(e.adjustedReservesUsd).toBe(usd(1_282_500))
    expect(e.grossReservesUsd).toBe(usd(600_000 + 300_000 + 300_000 + 210_000))
    // L = 500,000 + 300,000 + 10,000 in flight + 300,000
    expect(e.liabilitiesUsd).toBe(usd(1_110_000))
    // 1,282,500 / 1,110,000 = 1.155405405405405405|405...
    expect(e.reserveRatio).toBe(1_155_405_405_405_405_405n)
    expect(e.belowMinimum).toBe(false)
    expect(e.surplusOverMinimumUsd).toBe(usd(1_282_500 - 1_221_000))
    expect(e.surplusOverTargetUsd).toBe(usd(1_282_500 - 1_443_000))
    expect(e.liquidAdjustedReservesUsd).toBe(usd(1_282_500 - 199_500))
  })

  it('per member, with 6, 8 and 18 decimal holdings', () => {
    const [alpha, beta] = e.members
    expect(alpha?.adjustedReservesUsd).toBe(usd(843_000))
    expect(alpha?.liabilitiesUsd).toBe(usd(810_000))
    expect(alpha?.inFlightLiabilitiesUsd).toBe(usd(10_000))
    // 843,000 / 810,000 = 1.040740740...
    expect(alpha?.reserveRatio).toBe(1_040_740_740_740_740_740n)
    expect(beta?.adjustedReservesUsd).toBe(usd(439_500))
    expect(beta?.reserveRatio).toBe(1_465_000_000_000_000_000n)
    expect(beta?.positions.map((p) => [p.asset, p.grossUsd, p.adjustedUsd])).toEqual([
      ['WBTC', usd(300_000), usd(240_000)],
      ['svUSDC', usd(210_000), usd(199_500)],
    ])
    expect(alpha?.chains).toEqual([
      {
        chainId: 1,
        grossReservesUsd: usd(600_000),
        adjustedReservesUsd: usd(588_000),
        liquidAdjustedReservesUsd: usd(588_000),
        liabilitiesUsd: usd(500_000),
        reserveRatio: 1_176_000_000_000_000_000n,
      },
      // the 10,000 bUSD in flight count on the destination chain 2
      {
        chainId: 2,
        grossReservesUsd: usd(300_000),
        adjustedReservesUsd: usd(255_000),
        liquidAdjustedReservesUsd: usd(255_000),
        liabilitiesUsd: usd(310_000),
        reserveRatio: 822_580_645_161_290_322n,
      },
    ])
  })

  it('per chain and per asset', () => {
    expect(
      e.chains.map((c) => [
        c.chainId,
        c.adjustedReservesUsd,
        c.liquidAdjustedReservesUsd,
        c.liabilitiesUsd,
        c.reserveRatio,
      ]),
    ).toEqual([
      [1, usd(828_000), usd(828_000), usd(500_000), 1_656_000_000_000_000_000n],
      // svUSDC is not liquid; 454,500 / 610,000 = 0.745081967...
      [2, usd(454_500), usd(255_000), usd(610_000), 745_081_967_213_114_754n],
    ])
    const svUSDC = e.assets.find((a) => a.asset === 'svUSDC')!
    expect(svUSDC.priceUsd).toBe(1_050_000_000_000_000_000n)
    expect(svUSDC.haircut).toBe(50_000_000_000_000_000n)
    expect(svUSDC.liquidationThreshold).toBe(900_000_000_000_000_000n)
    // 199,500 / 1,282,500 = 0.155555...
    expect(svUSDC.share).toBe(155_555_555_555_555_555n)
  })

  it('deltas and liquidation prices', () => {
    const s = Object.fromEntries(e.sensitivities.map((x) => [x.asset, x]))
    // USDC: 600,000 * 0.98 + 200,000 shares * 1.05 * 0.95 = 787,500 effective tokens
    expect(s.USDC?.delta).toBe(usd(787_500))
    expect(s.WETH?.delta).toBe(usd(85))
    expect(s.WBTC?.delta).toBe(usd(4))
    expect(s.WETH?.gamma).toBe(0n)
    expect(s.bUSD).toBeUndefined()
    // WETH: (1.1 * 1,110,000 - (1,282,500 - 255,000)) / 85 = 193,500 / 85 = 2276.470588235294117647|05 -> rounded up
    expect(s.WETH?.liquidationPriceUsd).toBe(2_276_470_588_235_294_117_648n)
    expect(s.WETH?.liquidationMove).toBe(-241_176_470_588_235_294n)
    // WBTC: 178,500 / 4 = 44,625 (a 25.625% fall)
    expect(s.WBTC?.liquidationPriceUsd).toBe(usd(44_625))
    expect(s.WBTC?.liquidationMove).toBe(-256_250_000_000_000_000n)
    // USDC: 726,000 / 787,500 = 0.92190476190476190476 -> rounded up
    expect(s.USDC?.liquidationPriceUsd).toBe(921_904_761_904_761_905n)
  })

  it('a liquidation price is where the ratio meets the minimum', () => {
    const p = e.sensitivities.find((x) => x.asset === 'WBTC')!.liquidationPriceUsd!
    const at = evaluatePool(examplePoolState(), { priceOverrides: new Map([['WBTC', p]]) })
    expect(at.reserveRatio).toBe(at.minRatio)
    const below = evaluatePool(examplePoolState(), { priceOverrides: new Map([['WBTC', p - 10n ** 12n]]) })
    expect(below.belowMinimum).toBe(true)
  })
})

describe('evaluatePool edge cases', () => {
  it('zero liabilities: ratios are null, surplus is all reserves', () => {
    const state = examplePoolState() as {
      members: { liabilities: unknown[]; inFlight: unknown[] }[]
    } & PoolState
    for (const m of state.members) {
      m.liabilities = []
      m.inFlight = []
    }
    const e = evaluatePool(state)
    expect(e.liabilitiesUsd).toBe(0n)
    expect(e.reserveRatio).toBeNull()
    expect(e.members[0]?.reserveRatio).toBeNull()
    expect(e.belowMinimum).toBe(false)
    expect(e.surplusOverMinimumUsd).toBe(usd(1_282_500))
    expect(e.sensitivities.every((s) => s.liquidationPriceUsd === null)).toBe(true)
  })

  it('zero reserves: ratio 0, below minimum, no liquidation price', () => {
    const state = examplePoolState() as { members: { holdings: unknown[] }[] } & PoolState
    for (const m of state.members) m.holdings = []
    const e = evaluatePool(state)
    expect(e.adjustedReservesUsd).toBe(0n)
    expect(e.reserveRatio).toBe(0n)
    expect(e.belowMinimum).toBe(true)
    expect(e.surplusOverMinimumUsd).toBe(-usd(1_221_000))
    expect(e.assets).toEqual([])
    expect(e.sensitivities).toEqual([])
  })

  it('a depegged liability token raises liabilities', () => {
    const e = evaluatePool(examplePoolState(), { priceOverrides: new Map([['bUSD', (E18 * 11n) / 10n]]) })
    expect(e.liabilitiesUsd).toBe(usd(1_221_000))
  })

  it('values a constant-product LP at its fair price, with negative gamma', () => {
    const state = examplePoolState() as PoolState & {
      assets: Asset[]
      riskParameters: unknown[]
      members: { holdings: unknown[] }[]
    }
    // 1,000 WETH + 3,000,000 USDC, 1,000 LP tokens: k = 3e9, V = 2 sqrt(k * 3000 * 1) = 6,000,000 USD
    state.assets.push(wethUsdcLp())
    state.riskParameters.push({
      asset: 'LP',
      haircutFloor: WAD / 10n,
      liquidationThreshold: WAD / 2n,
      liquidationHorizon: 86_400,
    })
    state.members[1]!.holdings.push({ chainId: 1, asset: 'LP', amount: usd(10), decimals: 18 })
    const e = evaluatePool(state)
    const lp = e.assets.find((a) => a.asset === 'LP')!
    expect(lp.priceUsd).toBe(usd(6_000))
    expect(lp.grossReservesUsd).toBe(usd(60_000))
    expect(lp.adjustedReservesUsd).toBe(usd(54_000))
    const weth = e.sensitivities.find((s) => s.asset === 'WETH')!
    // adjusted share f = 10 / 1000 * 0.9 = 0.009; delta = 85 + f * sqrt(k * 1 / 3000) = 85 + 9 = 94
    expect(weth.delta).toBe(usd(94))
    // gamma = -f * sqrt(k * P1) / (2 P0^1.5) = -9 / 6000 = -0.0015 tokens per USD
    expect(weth.gamma).toBe(-1_500_000_000_000_000n)
    const usdc = e.sensitivities.find((s) => s.asset === 'USDC')!
    // 787,500 + f * sqrt(k * 3000) = 787,500 + 27,000
    expect(usdc.delta).toBe(usd(814_500))
    // the bisection lands on the price where the ratio meets the minimum
    const p = weth.liquidationPriceUsd!
    const at = evaluatePool(state, { priceOverrides: new Map([['WETH', p]]) })
    const justBelow = evaluatePool(state, { priceOverrides: new Map([['WETH', p - 1n]]) })
    // per-position rounding differs from the aggregate by a few wei: allow 1e-12 USD
    expect(at.surplusOverMinimumUsd >= -1_000_000n).toBe(true)
    expect(justBelow.surplusOverMinimumUsd < 1_000_000n).toBe(true)
    expect(evaluatePool(state, { priceOverrides: new Map([['WETH', p - 10n ** 15n]]) }).belowMinimum).toBe(
      true,
    )
    expect(p < usd(3_000)).toBe(true)
  })

  it('liquidation price with liabilities in the shocked asset: the true crossing, or none', () => {
    // USDC and WETH, zero haircuts, minimum ratio 1.0; a member holds 1,000 USDC and 1 WETH (3,000
    // USD) against 3,500 USDC of liabilities. Ratio (1000 P + 3000) / (3500 P) meets 1 at P = 1.2:
    // the ratio falls as USDC rises (liabilities carry more USDC than reserves do).
    const state = examplePoolState() as PoolState & {
      assets: Asset[]
      riskParameters: {
        asset: string
        haircutFloor: bigint
        liquidationThreshold: bigint
        liquidationHorizon: number
      }[]
      pools: { minRatio: bigint; targetRatio: bigint }[]
      members: unknown[]
    }
    state.assets = state.assets.filter((a) => a.symbol === 'USDC' || a.symbol === 'WETH')
    state.riskParameters = state.riskParameters
      .filter((r) => r.asset === 'USDC' || r.asset === 'WETH')
      .map((r) => ({ ...r, haircutFloor: 0n }))
    state.pools[0]!.minRatio = WAD
    state.pools[0]!.targetRatio = WAD
    const member = (usdc: bigint, liabilities: bigint) => ({
      id: 'm',
      name: 'M',
      poolId: 'main',
      liabilityAsset: 'USDC',
      holdings: [
        { chainId: 1, asset: 'USDC', amount: usdc * 10n ** 6n, decimals: 6 },
        { chainId: 2, asset: 'WETH', amount: E18, decimals: 18 },
      ],
      liabilities: [{ chainId: 1, supply: liabilities * 10n ** 6n, decimals: 6 }],
      inFlight: [],
    })
    state.members = [member(1_000n, 3_500n)]
    const e = evaluatePool(state)
    const usdc = e.sensitivities.find((s) => s.asset === 'USDC')!
    expect(usdc.liquidationPriceUsd).toBe((12n * E18) / 10n)
    expect(usdc.liquidationMove).toBe((2n * E18) / 10n)
    const at = evaluatePool(state, { priceOverrides: new Map([['USDC', usdc.liquidationPriceUsd!]]) })
    expect(at.reserveRatio).toBe(WAD)
    // WETH does not price the liabilities: fixed, (1000 + 1 P) = 3500 at P = 2,500.
    expect(e.sensitivities.find((s) => s.asset === 'WETH')!.liquidationPriceUsd).toBe(usd(2_500))
    // Reserves carry as much USDC as the liabilities: (4000 P + 3000) / (4000 P) > 1 at every
    // price, so there is no liquidation price.
    state.members = [member(4_000n, 4_000n)]
    expect(evaluatePool(state).sensitivities.find((s) => s.asset === 'USDC')!.liquidationPriceUsd).toBeNull()

    // With an LP position in USDC/WETH too, USDC's reserves are non-linear: the crossing comes from
    // bisection, and the pooled ratio changes side across it.
    state.assets.push(wethUsdcLp())
    state.riskParameters.push({
      asset: 'LP',
      haircutFloor: 0n,
      liquidationThreshold: WAD,
      liquidationHorizon: 86_400,
    })
    const withLp = member(1_000n, 3_500n)
    withLp.holdings.push({ chainId: 1, asset: 'LP', amount: E18 / 10n, decimals: 18 })
    state.members = [withLp]
    const p = evaluatePool(state).sensitivities.find((s) => s.asset === 'USDC')!.liquidationPriceUsd!
    const side = (price: bigint) =>
      evaluatePool(state, { priceOverrides: new Map([['USDC', price]]) }).reserveRatio! >= WAD
    expect(p > WAD).toBe(true)
    expect(side(p - p / 10_000n)).toBe(true)
    expect(side(p + p / 10_000n)).toBe(false)
  })

  it('counts a reserve transfer in flight on its destination chain, never as liquid', () => {
    const state = examplePoolState() as PoolState & { members: { inFlight: unknown[] }[] }
    // 1,000 USDC bridged from chain 1 to chain 2: 980 adjusted USD on chain 2, not liquid
    state.members[1]!.inFlight.push({
      asset: 'USDC',
      fromChainId: 1,
      toChainId: 2,
      amount: 1_000_000_000n,
      decimals: 6,
    })
    const e = evaluatePool(state)
    expect(e.adjustedReservesUsd).toBe(usd(1_282_500 + 980))
    expect(e.chains[1]?.inFlightReservesUsd).toBe(usd(980))
    expect(e.chains[1]?.liquidAdjustedReservesUsd).toBe(usd(255_000))
    expect(e.members[1]?.positions.at(-1)).toMatchObject({
      chainId: 2,
      asset: 'USDC',
      inFlight: true,
      adjustedUsd: usd(980),
    })
  })

  it('values the same asset with other decimals on another chain identically', () => {
    const state = examplePoolState() as PoolState & { members: { holdings: unknown[] }[] }
    // USDC with 18 decimals on chain 2 (as on BNB Chain): 100 USDC = 98 adjusted USD either way
    state.members[0]!.holdings.push({ chainId: 2, asset: 'USDC', amount: usd(100), decimals: 18 })
    state.members[0]!.holdings.push({ chainId: 1, asset: 'USDC', amount: 100_000_000n, decimals: 6 })
    const e = evaluatePool(state)
    expect(e.members[0]?.positions.slice(-2).map((p) => p.adjustedUsd)).toEqual([usd(98), usd(98)])
    expect(e.sensitivities.find((x) => x.asset === 'USDC')?.delta).toBe(usd(787_500 + 196))
  })

  it('fails on a stale price only for assets the pool holds', () => {
    const state = examplePoolState() as PoolState & { assets: Asset[]; riskParameters: unknown[] }
    state.assets.push({
      symbol: 'OLD',
      decimals: 18,
      kind: 'erc20',
      price: { answer: 1n, decimals: 8, updatedAt: 0 },
    })
    state.riskParameters.push({
      asset: 'OLD',
      haircutFloor: 0n,
      liquidationThreshold: WAD,
      liquidationHorizon: 86_400,
    })
    const e = evaluatePool(state, { stalePricePolicy: 'fail' })
    expect(e.haircuts.find((h) => h.asset === 'OLD')?.stale).toBe(true)
    expect(e.reserveRatio).toBe(1_155_405_405_405_405_405n)
  })

  it('raises a stale liability price, or fails, by policy', () => {
    const state = examplePoolState()
    const busd = state.assets.find((a) => a.symbol === 'bUSD') as { price: { updatedAt: number } }
    busd.price.updatedAt = state.timestamp - 90_000
    // 1,110,000 * 1.1 (the 10% stale add-on)
    expect(evaluatePool(state).liabilitiesUsd).toBe(usd(1_221_000))
    expect(() => evaluatePool(state, { stalePricePolicy: 'fail' })).toThrow(
      'bUSD price is 90000 s old; maxPriceAge is 86400 s.',
    )
  })

  it("ages a liability price by its feed's own heartbeat, not maxPriceAge", () => {
    const state = examplePoolState()
    const busd = state.assets.find((a) => a.symbol === 'bUSD') as {
      price: { updatedAt: number; maxAge?: number }
    }
    busd.price.updatedAt = state.timestamp - 4_000
    busd.price.maxAge = 3_600
    expect(evaluatePool(state).liabilitiesUsd).toBe(usd(1_221_000))
    expect(() => evaluatePool(state, { stalePricePolicy: 'fail' })).toThrow(
      'bUSD price is 4000 s old; maxPriceAge is 3600 s.',
    )
    busd.price.maxAge = 7_200
    expect(evaluatePool(state).liabilitiesUsd).toBe(usd(1_110_000))
  })

  it('rejects bad input with clear errors', () => {
    const state = examplePoolState() as PoolState & { members: { holdings: { amount: bigint }[] }[] }
    state.members[0]!.holdings[0]!.amount = -1n
    expect(() => evaluatePool(state)).toThrow(InvalidPoolStateError)
    expect(() => evaluatePool(examplePoolState(), { poolId: 'nope' })).toThrow('Unknown pool.')
    const two = examplePoolState() as PoolState & { pools: PoolState['pools'][number][] }
    two.pools.push({ ...two.pools[0]!, id: 'second' })
    expect(() => evaluatePool(two)).toThrow(ReserveMathError)
    expect(() => evaluatePool(two)).toThrow('The state has 2 pools: main, second.')
    expect(evaluatePool(two, { poolId: 'second' }).members).toEqual([])
  })

  it('the pooled ratio rises with each reserve price and falls with the liability price (property)', () => {
    const base = examplePoolState() as PoolState & {
      assets: Asset[]
      riskParameters: unknown[]
      members: { holdings: unknown[] }[]
    }
    // include a constant-product LP so the property covers the non-linear case too
    base.assets.push(wethUsdcLp())
    base.riskParameters.push({
      asset: 'LP',
      haircutFloor: WAD / 10n,
      liquidationThreshold: WAD / 2n,
      liquidationHorizon: 86_400,
    })
    base.members[0]!.holdings.push({ chainId: 2, asset: 'LP', amount: usd(50), decimals: 18 })
    const symbols = ['USDC', 'WETH', 'WBTC', 'bUSD']
    fc.assert(
      fc.property(
        fc.constantFrom(...symbols),
        fc.bigInt({ min: 1n, max: usd(100_000) }),
        fc.bigInt({ min: 0n, max: usd(10_000) }),
        (symbol, p, bump) => {
          const lo = evaluatePool(base, { priceOverrides: new Map([[symbol, p]]), sensitivities: false })
          const hi = evaluatePool(base, {
            priceOverrides: new Map([[symbol, p + bump]]),
            sensitivities: false,
          })
          const rises = symbol !== 'bUSD'
          const ordered = (a: bigint | null, b: bigint | null) => (rises ? b! >= a! : b! <= a!)
          expect(ordered(lo.reserveRatio, hi.reserveRatio)).toBe(true)
          for (let i = 0; i < lo.members.length; i++) {
            expect(ordered(lo.members[i]!.reserveRatio, hi.members[i]!.reserveRatio)).toBe(true)
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})
