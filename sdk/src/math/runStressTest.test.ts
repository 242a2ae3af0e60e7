import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../money/wad.js'
import { examplePoolState } from '../state/examplePoolState.js'
import { findScenario, runStressTest, shockedPrices } from './runStressTest.js'
import { stressScenarioNames, stressScenarios } from './stressScenarios.js'

const E18 = 10n ** 18n
const usd = (x: number | bigint) => BigInt(x) * E18

describe('stressScenarios', () => {
  it('offers named scenarios with unique names', () => {
    expect(stressScenarioNames).toContain('eth-crash-40')
    expect(stressScenarioNames).toContain('usdc-depeg')
    expect(stressScenarioNames).toContain('redemption-run')
    expect(new Set(stressScenarioNames).size).toBe(stressScenarios.length)
    expect(findScenario('eth-crash-40').priceShocks?.WETH).toBe(-400_000_000_000_000_000n)
    expect(() => findScenario('meteor')).toThrow('Unknown stress scenario.')
  })
})

describe('runStressTest (hand-computed on the example state)', () => {
  it('eth-crash-40: WETH 3000 -> 1800', () => {
    const r = runStressTest(examplePoolState(), 'eth-crash-40')
    expect(r.unmatchedSymbols).toEqual(['ETH'])
    // alpha's WETH: 100 * 1800 * 0.85 = 153,000 (was 255,000); pool 1,180,500 / 1,110,000
    expect(r.stressed.adjustedReservesUsd).toBe(usd(1_180_500))
    expect(r.stressed.reserveRatio).toBe(1_063_513_513_513_513_513n)
    expect(r.breachesMinimum).toBe(true)
    expect(r.insolvent).toBe(false)
    // alpha: 741,000 / 810,000 = 0.914814814...; beta unchanged
    expect(r.members[0]).toMatchObject({ id: 'alpha', stressedRatio: 914_814_814_814_814_814n })
    expect(r.members[1]?.stressedRatio).toBe(r.members[1]?.baseRatio)
    // chain 2 holds the WETH: 454,500 - 102,000 = 352,500
    expect(r.chains[1]).toMatchObject({ id: '2', stressedAdjustedReservesUsd: usd(352_500) })
  })

  it('usdc-depeg: USDC at 0.87 also moves the USDC vault', () => {
    const r = runStressTest(examplePoolState(), 'usdc-depeg')
    // USDC 600,000 * 0.87 * 0.98 = 511,560; svUSDC 200,000 * 1.05 * 0.87 * 0.95 = 173,565
    expect(r.stressed.adjustedReservesUsd).toBe(usd(511_560 + 255_000 + 240_000 + 173_565))
  })

  it('redemption-run: 25% of liabilities paid out of reserves', () => {
    const r = runStressTest(examplePoolState(), 'redemption-run')
    // alpha pays 202,500 of 843,000; beta 75,000 of 439,500; liabilities fall to 832,500
    expect(r.stressed.liabilitiesUsd).toBe(usd(832_500))
    const ar = r.stressed.adjustedReservesUsd
    const expected = usd(1_005_000)
    // remaining holdings are rounded down to the token's smallest unit (1 satoshi of WBTC is worth
    // 0.0006 USD here): the result is 1,004,999.99955... i.e. below by less than 0.01 USD
    expect(ar <= expected && expected - ar < 10n ** 16n).toBe(true)
    // beta: 364,500 / 225,000 = 1.62
    const beta = r.members[1]!
    expect(Number(beta.stressedRatio!) / 1e18).toBeCloseTo(1.62, 6)
  })

  it('a full run-off empties reserves and liabilities', () => {
    const r = runStressTest(examplePoolState(), {
      name: 'all',
      description: 'everything redeemed',
      runOffRate: WAD,
    })
    expect(r.stressed.liabilitiesUsd).toBe(0n)
    expect(r.stressed.reserveRatio).toBeNull()
  })

  it('a zero shock is the base case (property)', () => {
    const symbols = ['USDC', 'WETH', 'WBTC', 'bUSD']
    fc.assert(
      fc.property(fc.subarray(symbols), (chosen) => {
        const scenario = {
          name: 'zero',
          description: 'nothing moves',
          priceShocks: Object.fromEntries(chosen.map((s) => [s, 0n])),
          runOffRate: 0n,
        }
        const r = runStressTest(examplePoolState(), scenario)
        expect(r.stressed).toEqual(r.base)
      }),
      { numRuns: 16 },
    )
  })

  it('rejects out-of-range shocks', () => {
    const state = examplePoolState()
    expect(() =>
      runStressTest(state, { name: 'x', description: '', priceShocks: { WETH: -WAD - 1n } }),
    ).toThrow('Price shock out of range.')
    expect(() => runStressTest(state, { name: 'x', description: '', depegs: { USDC: -1n } })).toThrow(
      'Depeg price out of range.',
    )
    expect(() => runStressTest(state, { name: 'x', description: '', runOffRate: WAD + 1n })).toThrow(
      'Run-off rate out of range.',
    )
    expect(
      shockedPrices(state, { name: 'x', description: '', priceShocks: { WETH: -WAD } }).overrides.get('WETH'),
    ).toBe(0n)
  })
})
