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
    expect(m.covariance[0]![0]).toBe(0)
    expect(m.covariance[3]![1]).toBe(0)
  })
})
