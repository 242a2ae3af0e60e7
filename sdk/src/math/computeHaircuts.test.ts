import { describe, expect, it } from 'vitest'
import { fixedToNumber } from '../money/fixedNumber.js'
import { WAD } from '../money/wad.js'
import { examplePoolState } from '../state/examplePoolState.js'
import type { Erc20Asset, PoolState } from '../state/PoolState.js'
import { computeHaircuts, volatilityHaircut } from './computeHaircuts.js'
import { ReserveMathError } from './ReserveMathError.js'

const DAY = 86_400

function withWethHistory(prices: bigint[]): PoolState {
  const state = examplePoolState()
  const weth = state.assets.find((a) => a.symbol === 'WETH') as Erc20Asset & { priceHistory?: unknown }
  const t0 = state.timestamp - DAY * (prices.length - 1)
  weth.priceHistory = prices.map((answer, i) => ({ answer, updatedAt: t0 + i * DAY }))
  return state
}

describe('volatilityHaircut', () => {
  it('is max(floor, z * sigma * sqrt(T days)), rounded up', () => {
    // 2.326 * 0.05 * sqrt(1) = 0.1163 > 10% floor
    const h = volatilityHaircut(WAD / 10n, 0.05, DAY, 2.326)
    expect(fixedToNumber(h.haircut, 18)).toBeCloseTo(0.1163, 12)
    expect(h.haircut).toBe(h.volatilityHaircut)
    // 2 days: z * 0.05 * sqrt(2) = 0.16449763571 with z = 2.3263478740408408
    expect(fixedToNumber(volatilityHaircut(0n, 0.05, 2 * DAY, 2.3263478740408408).haircut, 18)).toBeCloseTo(
      0.1644976357,
      9,
    )
    // below the floor: the floor
    expect(volatilityHaircut(WAD / 5n, 0.01, DAY, 2.326).haircut).toBe(WAD / 5n)
    // capped at 100%
    expect(volatilityHaircut(0n, 2, DAY, 2.326).haircut).toBe(WAD)
    // no history: the floor, no volatility term
    expect(volatilityHaircut(WAD / 5n, null, DAY, 2.326)).toEqual({
      haircut: WAD / 5n,
      volatilityHaircut: null,
    })
  })
})

describe('computeHaircuts', () => {
  it('uses the governance floors without price histories', () => {
    const h = computeHaircuts(examplePoolState())
    expect(h.get('USDC')?.haircut).toBe((2n * WAD) / 100n)
    expect(h.get('WETH')?.haircut).toBe((15n * WAD) / 100n)
    expect(h.get('WETH')?.source).toBe('floor')
    expect(h.get('svUSDC')?.haircut).toBe((5n * WAD) / 100n)
    expect(h.get('bUSD')).toBeUndefined()
  })

  it('raises the haircut with the EWMA volatility of daily feed prices', () => {
    // daily 3000 -> 3300 -> 2970: sigma = 0.1006162117544 (see ewmaVolatility.test), z(99%) = 2.3263478740
    // h = 2.3263478740 * 0.1006162117544 * sqrt(1 day) = 0.2340683103
    const h = computeHaircuts(withWethHistory([300_000_000_000n, 330_000_000_000n, 297_000_000_000n])).get(
      'WETH',
    )!
    expect(h.source).toBe('volatility')
    expect(h.dailyVolatility).toBeCloseTo(0.1006162117544, 11)
    expect(fixedToNumber(h.haircut, 18)).toBeCloseTo(0.2340683103, 9)
  })

  it('scales an hourly history to a daily volatility', () => {
    const state = withWethHistory([300_000_000_000n, 330_000_000_000n, 297_000_000_000n])
    const weth = state.assets.find((a) => a.symbol === 'WETH') as Erc20Asset
    const hourly = {
      ...weth,
      priceHistory: weth.priceHistory!.map((p, i) => ({ ...p, updatedAt: state.timestamp - (2 - i) * 3600 })),
    }
    const s2 = { ...state, assets: state.assets.map((a) => (a.symbol === 'WETH' ? hourly : a)) }
    expect(computeHaircuts(s2).get('WETH')?.dailyVolatility).toBeCloseTo(0.1006162117544 * Math.sqrt(24), 10)
  })

  it('gives a vault share its underlying volatility with its own horizon and floor', () => {
    const state = examplePoolState()
    const usdc = state.assets[0] as Erc20Asset & { priceHistory?: unknown }
    usdc.priceHistory = [
      { answer: 100_000_000n, updatedAt: state.timestamp - 2 * DAY },
      { answer: 110_000_000n, updatedAt: state.timestamp - DAY },
      { answer: 99_000_000n, updatedAt: state.timestamp },
    ]
    // svUSDC horizon is 3 days: 0.2340683103 * sqrt(3) = 0.4054182059
    const h = computeHaircuts(state).get('svUSDC')!
    expect(fixedToNumber(h.haircut, 18)).toBeCloseTo(0.4054182059, 9)
  })

  it('handles stale prices by policy', () => {
    const state = examplePoolState()
    const weth = state.assets[1] as { price: { updatedAt: number } }
    weth.price.updatedAt = state.timestamp - 100_000
    const raised = computeHaircuts(state).get('WETH')!
    expect(raised.stale).toBe(true)
    expect(raised.priceAge).toBe(100_000)
    // floor 15% + the 10% add-on
    expect(raised.haircut).toBe((25n * WAD) / 100n)
    expect(computeHaircuts(state, { stalePriceAddOn: WAD }).get('WETH')?.haircut).toBe(WAD)
    expect(() => computeHaircuts(state, { stalePricePolicy: 'fail' })).toThrow(ReserveMathError)
    expect(() => computeHaircuts(state, { stalePricePolicy: 'fail' })).toThrow(
      'WETH price is 100000 s old; maxPriceAge is 86400 s.',
    )
    expect(computeHaircuts(state, { maxPriceAge: 200_000 }).get('WETH')?.stale).toBe(false)
  })

  it('accepts overrides and rejects bad options', () => {
    const state = examplePoolState()
    expect(computeHaircuts(state, { haircutOverrides: { WETH: WAD / 2n } }).get('WETH')?.haircut).toBe(
      WAD / 2n,
    )
    expect(() => computeHaircuts(state, { haircutOverrides: { WETH: WAD + 1n } })).toThrow(
      'Haircut override out of range.',
    )
    expect(() => computeHaircuts(state, { confidence: 1 })).toThrow('confidence = 1')
    expect(() => computeHaircuts(state, { confidence: Number.NaN })).toThrow('Invalid confidence.')
    expect(() => computeHaircuts(state, { maxPriceAge: -1 })).toThrow('Invalid maxPriceAge.')
    expect(() => computeHaircuts(state, { stalePricePolicy: 'ignore' as 'fail' })).toThrow(
      'Invalid stalePricePolicy.',
    )
    expect(() => computeHaircuts(state, { stalePriceAddOn: -1n })).toThrow('Invalid stalePriceAddOn.')
  })
})
