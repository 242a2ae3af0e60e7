import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fixedToNumber } from '../money/fixedNumber.js'
import { examplePoolState } from '../state/examplePoolState.js'
import type { Holding, PoolState } from '../state/PoolState.js'
import { riskModelFromVolatilities } from './estimateRiskModel.js'
import { monteCarloPoolingBenefit, monteCarloStress } from './monteCarlo.js'
import { poolingBenefit } from './poolingBenefit.js'

// WETH 4% and WBTC 3.5% daily, correlation 0.8; USDC and bUSD are not risk factors (they do not move).
const model = riskModelFromVolatilities(
  ['WETH', 'WBTC'],
  [0.04, 0.035],
  [
    [1, 0.8],
    [0.8, 1],
  ],
)
const usdOf = (x: bigint) => fixedToNumber(x, 18)

describe('poolingBenefit (parametric)', () => {
  it('matches a hand computation on the example state', () => {
    // alpha is exposed to 255,000 adjusted USD of WETH, beta to 240,000 of WBTC.
    // sigma_alpha = 255,000 * 0.04 = 10,200; sigma_beta = 240,000 * 0.035 = 8,400
    // pooled variance = 10,200^2 + 8,400^2 + 2 * 0.8 * 10,200 * 8,400 = 311,688,000 -> 17,654.6878
    // z(99%) = 2.3263479: buffers 23,728.7483 and 19,541.3221; pooled 41,070.9453; benefit 2,199.1251
    const b = poolingBenefit(examplePoolState(), { riskModel: model })
    expect(usdOf(b.members[0]!.standaloneBufferUsd)).toBeCloseTo(23_728.748315, 5)
    expect(usdOf(b.members[1]!.standaloneBufferUsd)).toBeCloseTo(19_541.322142, 5)
    expect(usdOf(b.pooledBufferUsd)).toBeCloseTo(41_070.945344, 5)
    expect(usdOf(b.benefitUsd)).toBeCloseTo(2_199.125113, 5)
    expect(b.sumStandaloneBuffersUsd).toBe(
      b.members[0]!.standaloneBufferUsd + b.members[1]!.standaloneBufferUsd,
    )
    // 10-day horizon scales every buffer by sqrt(10)
    const ten = poolingBenefit(examplePoolState(), { riskModel: model, horizonDays: 10 })
    expect(usdOf(ten.pooledBufferUsd)).toBeCloseTo(41_070.945344 * Math.sqrt(10), 4)
  })

  it('is zero with perfect correlation and with no risk', () => {
    const perfect = riskModelFromVolatilities(
      ['WETH', 'WBTC'],
      [0.04, 0.035],
      [
        [1, 1],
        [1, 1],
      ],
    )
    expect(
      Math.abs(usdOf(poolingBenefit(examplePoolState(), { riskModel: perfect }).benefitUsd)),
    ).toBeLessThan(1e-6)
    const none = poolingBenefit(examplePoolState(), { riskModel: riskModelFromVolatilities(['WETH'], [0]) })
    expect(none.pooledBufferUsd).toBe(0n)
    expect(none.benefitShare).toBeNull()
  })

  it('rejects bad options', () => {
    expect(() => poolingBenefit(examplePoolState(), { riskModel: model, horizonDays: 0 })).toThrow(
      'Invalid horizon.',
    )
    expect(() => riskModelFromVolatilities(['WETH'], [Number.NaN])).toThrow('Invalid volatility.')
    expect(() => riskModelFromVolatilities(['WETH'], [0.1, 0.2])).toThrow('Risk model dimensions differ.')
  })

  it('pooled buffer <= sum of standalone buffers (property)', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 24n })
    fc.assert(
      fc.property(
        fc.array(fc.tuple(amount, fc.bigInt({ min: 0n, max: 10n ** 10n })), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (books, s1, s2, rho) => {
          const base = examplePoolState()
          const state: PoolState = {
            ...base,
            members: books.map(([weth, wbtc], i) => ({
              ...base.members[0]!,
              id: `m${i}`,
              inFlight: [],
              holdings: [
                { chainId: 1, asset: 'WETH', amount: weth, decimals: 18 },
                { chainId: 2, asset: 'WBTC', amount: wbtc, decimals: 8 },
              ] satisfies Holding[],
            })),
          }
          const m = riskModelFromVolatilities(
            ['WETH', 'WBTC'],
            [s1, s2],
            [
              [1, rho],
              [rho, 1],
            ],
          )
          const b = poolingBenefit(state, { riskModel: m })
          expect(b.pooledBufferUsd <= b.sumStandaloneBuffersUsd).toBe(true)
          expect(b.benefitUsd >= 0n).toBe(true)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('Monte Carlo', () => {
  it('is reproducible by seed', () => {
    const a = monteCarloStress(examplePoolState(), { riskModel: model, paths: 2_000, seed: 9 })
    const b = monteCarloStress(examplePoolState(), { riskModel: model, paths: 2_000, seed: 9 })
    const c = monteCarloStress(examplePoolState(), { riskModel: model, paths: 2_000, seed: 10 })
    expect(b).toEqual(a)
    expect(c.lossVaRUsd).not.toBe(a.lossVaRUsd)
  })

  it('converges to the parametric VaR for normal shocks (tolerance 4%)', () => {
    // With simple returns the pooled P&L is exactly normal, so the empirical 99% quantile of 20,000
    // paths has a standard error of sqrt(0.99 * 0.01 / 20,000) / phi(2.326) = 0.026 sigma, about
    // 1.1% of the VaR (2.326 sigma): 4% is more than three standard errors.
    const parametric = usdOf(poolingBenefit(examplePoolState(), { riskModel: model }).pooledBufferUsd)
    const mc = monteCarloStress(examplePoolState(), {
      riskModel: model,
      paths: 20_000,
      seed: 42,
      returns: 'simple',
    })
    const mcVaR = usdOf(mc.lossVaRUsd)
    expect(Math.abs(mcVaR / parametric - 1)).toBeLessThan(0.04)
    // expected shortfall of a normal: sigma * phi(z) / (1 - q) = 17,654.69 * 2.6652 = 47,053
    expect(Math.abs(usdOf(mc.lossExpectedShortfallUsd) / 47_053 - 1)).toBeLessThan(0.05)
    // liabilities do not move, so the ratio VaR is the value VaR over liabilities (1,110,000)
    expect(mc.ratioVaR!).toBeCloseTo(mcVaR / 1_110_000, 6)
    // the Monte Carlo pooling benefit agrees with the parametric one member by member
    const mcb = monteCarloPoolingBenefit(examplePoolState(), {
      riskModel: model,
      paths: 20_000,
      seed: 42,
      returns: 'simple',
    })
    expect(Math.abs(usdOf(mcb.members[0]!.standaloneBufferUsd) / 23_728.748 - 1)).toBeLessThan(0.04)
    expect(Math.abs(usdOf(mcb.members[1]!.standaloneBufferUsd) / 19_541.322 - 1)).toBeLessThan(0.04)
    expect(mcb.benefitUsd > 0n).toBe(true)
  })

  it('estimates P(ratio < 1) and P(ratio < minimum) over a horizon', () => {
    // 100 days: pooled sigma = 176,546.88; the ratio falls below 1 when AR loses 172,500
    // (P = Phi(-0.97708) = 0.16427) and below 1.1 when it loses 61,500 (Phi(-0.34835) = 0.36379)
    const mc = monteCarloStress(examplePoolState(), {
      riskModel: model,
      paths: 20_000,
      seed: 3,
      returns: 'simple',
      horizonDays: 100,
    })
    expect(mc.baseRatio).toBeCloseTo(1.1554054, 6)
    expect(Math.abs(mc.probabilityBelowOne - 0.16427)).toBeLessThan(0.015)
    expect(Math.abs(mc.probabilityBelowMinimum - 0.36379)).toBeLessThan(0.02)
  })

  it('without a risk model uses volatilities implied by the haircut floors', () => {
    const mc = monteCarloStress(examplePoolState(), { paths: 2_000, seed: 5 })
    // implied daily sigmas: USDC 0.86%, WETH 6.4%, WBTC 8.6%, svUSDC's underlying USDC: the loss
    // VaR is tens of thousands of USD, far from zero and below the 1,282,500 of reserves
    const v = usdOf(mc.lossVaRUsd)
    expect(v).toBeGreaterThan(10_000)
    expect(v).toBeLessThan(200_000)
    expect(poolingBenefit(examplePoolState()).benefitUsd > 0n).toBe(true)
  })

  it('with no volatility every path is the base case', () => {
    const mc = monteCarloStress(examplePoolState(), {
      riskModel: riskModelFromVolatilities(['WETH'], [0]),
      paths: 200,
    })
    expect(mc.lossVaRUsd).toBe(0n)
    expect(mc.ratioVaR).toBe(0)
    expect(mc.probabilityBelowOne).toBe(0)
  })

  it('rejects bad path counts and seeds', () => {
    expect(() => monteCarloStress(examplePoolState(), { riskModel: model, paths: 10 })).toThrow(
      'Invalid path count.',
    )
    expect(() => monteCarloStress(examplePoolState(), { riskModel: model, seed: 1.5 })).toThrow(
      'Invalid seed.',
    )
  })
})
