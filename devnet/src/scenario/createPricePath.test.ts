import { backtestVaR } from '@ballast/sdk/risk'
import { describe, expect, it } from 'vitest'
import { createPricePath } from './createPricePath.js'
import { createPrng } from './createPrng.js'
import { findScenario } from './scenarios.js'

/** The feeds' price paths exactly as the devnet lays them down, one step a day, seeded. */
function feedPaths(seed: number, steps: number): Record<'USDC' | 'WETH' | 'WBTC', number[]> {
  const path = createPricePath(findScenario('steady'), steps, createPrng(seed))
  const out = { USDC: [] as number[], WETH: [] as number[], WBTC: [] as number[] }
  for (let i = 0; i < steps; i++) {
    const p = path.next()
    out.USDC.push(Number(p.USDC) / 1e8)
    out.WETH.push(Number(p.WETH) / 1e8)
    out.WBTC.push(Number(p.WBTC) / 1e8)
  }
  return out
}

describe('backtest of the haircut model on the devnet feeds', () => {
  it('the EWMA model passes on the devnet feeds (default seed): Kupiec, Christoffersen, green zone', () => {
    // createScenarioRunner seeds the price path with seed ^ 0x5eed; the devnet's default seed is 1.
    const paths = feedPaths(1 ^ 0x5eed, 1251)
    for (const asset of ['WETH', 'WBTC'] as const) {
      const b = backtestVaR(paths[asset], { confidence: 0.99 })
      expect(b.observations, asset).toBe(1000)
      expect(b.kupiec.rejected, `${asset} Kupiec p=${b.kupiec.pValue}`).toBe(false)
      expect(b.independence.rejected, asset).toBe(false)
      expect(b.conditionalCoverage.rejected, asset).toBe(false)
      expect(b.trafficLight.zone, asset).toBe('green')
      // The Basel year (newest 250 days) may land in yellow by chance (about 11% of the time for a
      // correct model), never in red (0.01%).
      expect(backtestVaR(paths[asset], { window: 250 }).trafficLight.zone, asset).not.toBe('red')
    }
  })

  it('the same backtest on the pooled ratio of reserves in the three feeds passes', () => {
    const p = feedPaths(1 ^ 0x5eed, 1251)
    // 40% ETH, 30% BTC, 30% USDC at the start; liabilities fixed at 80% of the start value.
    const [e0, b0] = [p.WETH[0]!, p.WBTC[0]!]
    const ratio = p.WETH.map((e, i) => (0.4 * (e / e0) + 0.3 * (p.WBTC[i]! / b0) + 0.3 * p.USDC[i]!) / 0.8)
    const b = backtestVaR(ratio)
    expect(b.observations).toBe(1000)
    expect(b.kupiec.rejected, `Kupiec p=${b.kupiec.pValue}`).toBe(false)
    expect(b.conditionalCoverage.rejected).toBe(false)
    expect(b.trafficLight.zone).toBe('green')
  })

  it('across seeds the exception rate stays near 1% (EWMA estimation error adds a little)', () => {
    let exceptions = 0
    let kupiecRejected = 0
    for (let seed = 1; seed <= 20; seed++) {
      const paths = feedPaths(seed, 1251)
      for (const asset of ['WETH', 'WBTC'] as const) {
        const b = backtestVaR(paths[asset])
        exceptions += b.exceptions
        if (b.kupiec.rejected) kupiecRejected++
      }
    }
    const rate = exceptions / 40_000
    expect(rate).toBeGreaterThan(0.008)
    expect(rate).toBeLessThan(0.016)
    expect(kupiecRejected).toBeLessThanOrEqual(8)
  })

  it('a crash breaks the model: the crash scenario has clustered exceptions', () => {
    const path = createPricePath(findScenario('crash'), 600, createPrng(1))
    const weth = Array.from({ length: 600 }, () => Number(path.next().WETH) / 1e8)
    const b = backtestVaR(weth, { estimationWindow: 100 })
    // Three -15% days in a row against a ~2% daily volatility.
    expect(b.transitions.n11).toBeGreaterThanOrEqual(1)
    expect(b.independence.rejected).toBe(true)
  })
})
