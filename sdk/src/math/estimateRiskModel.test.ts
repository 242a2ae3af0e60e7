import { describe, expect, it } from 'vitest'
import { examplePoolState } from '../state/examplePoolState.js'
import type { Erc20Asset } from '../state/PoolState.js'
import { estimateRiskModel } from './estimateRiskModel.js'

describe('estimateRiskModel', () => {
  it('estimates daily covariances from feed histories and leaves assets without one still', () => {
    const state = examplePoolState()
    const t = state.timestamp
    const set = (symbol: string, answers: bigint[], step: number) => {
      const a = state.assets.find((x) => x.symbol === symbol) as Erc20Asset & { priceHistory?: unknown }
      a.priceHistory = answers.map((answer, i) => ({
        answer,
        updatedAt: t - (answers.length - 1 - i) * step,
      }))
    }
    // WETH daily 3000 -> 3300 -> 2970; WBTC daily 60000 -> 66000 -> 59400 (the same returns)
    set('WETH', [300_000_000_000n, 330_000_000_000n, 297_000_000_000n], 86_400)
    set('WBTC', [6_000_000_000_000n, 6_600_000_000_000n, 5_940_000_000_000n], 86_400)
    const m = estimateRiskModel(state)
    expect(m.assets).toEqual(['USDC', 'WETH', 'WBTC', 'bUSD'])
    // sigma = 0.1006162117544 (see ewmaVolatility.test): variance 0.0101236...
    expect(m.covariance[1]![1]).toBeCloseTo(0.1006162117544 ** 2, 12)
    expect(m.covariance[1]![2]).toBeCloseTo(0.1006162117544 ** 2, 12)
    // USDC has no history: its volatility is implied by its 2% floor over 1 day at 99%:
    // 0.02 / 2.3263478740 = 0.0085972; it does not co-move with the history-based assets
    expect(Math.sqrt(m.covariance[0]![0]!)).toBeCloseTo(0.0085972, 7)
    expect(m.covariance[0]![1]).toBe(0)
    // bUSD (the liability) has neither a history nor risk parameters: it does not move
    expect(m.covariance[3]![3]).toBe(0)
    expect(m.covariance[3]![1]).toBe(0)
  })

  it('implies volatilities from haircut floors when there are no histories', () => {
    const m = estimateRiskModel(examplePoolState(), { impliedCorrelation: 0.3 })
    // WETH 15% floor, WBTC 20%, both 1-day horizons: sigma = floor / 2.3263478740
    const sWeth = 0.15 / 2.326347874040841
    const sWbtc = 0.2 / 2.326347874040841
    expect(m.covariance[1]![1]).toBeCloseTo(sWeth ** 2, 12)
    expect(m.covariance[1]![2]).toBeCloseTo(0.3 * sWeth * sWbtc, 12)
    expect(m.covariance[2]![1]).toBe(m.covariance[1]![2])
    expect(() => estimateRiskModel(examplePoolState(), { impliedCorrelation: 2 })).toThrow(
      'Invalid impliedCorrelation.',
    )
  })
})
