import { describe, expect, it } from 'vitest'
import { constantProductAmountOut } from './constantProductAmountOut.js'
import { sizeDeRiskingSwap } from './sizeDeRiskingSwap.js'

const USD = 10n ** 18n
const weth = (amount: bigint) => ({ symbol: 'WETH', decimals: 18, amount, priceUsd: 3000n * USD })
const usdc = (amount: bigint) => ({ symbol: 'USDC', decimals: 6, amount, priceUsd: USD })
const pool = { reserveIn: 1000n * 10n ** 18n, reserveOut: 3_000_000_000000n, feeBps: 30n }

/**
 * Volatile share in bps after selling `a` at the minimum output, from USD values computed apart
 * (18-decimal USD per holding, then the ratio): an independent reading of the target.
 */
function shareAfter(volatileAmount: bigint, stableAmount: bigint, a: bigint, slippageBps: bigint): number {
  const out = a === 0n ? 0n : constantProductAmountOut(a, pool)
  const minOut = (out * (10_000n - slippageBps)) / 10_000n
  const volatileUsd = ((volatileAmount - a) * 3000n * USD) / 10n ** 18n
  const stableUsd = ((stableAmount + minOut) * USD) / 10n ** 6n
  return Number((volatileUsd * 10n ** 12n) / (volatileUsd + stableUsd)) / 10 ** 8
}

describe('sizeDeRiskingSwap', () => {
  it('sells the least WETH that brings the volatile share to 40% even at the minimum output', () => {
    const swap = sizeDeRiskingSwap({
      volatile: weth(10n ** 18n),
      stable: usdc(1000_000000n),
      pool,
      maxVolatileShareBps: 4000n,
      slippageBps: 50n,
    })
    expect(swap.targetMet).toBe(true)
    expect(swap.volatileShareBeforeBps).toBe(7500n) // 3,000 of 4,000 USD
    expect(swap.volatileShareAfterBps).toBeLessThanOrEqual(4000n)
    expect(shareAfter(10n ** 18n, 1000_000000n, swap.amountIn, 50n)).toBeLessThanOrEqual(4000)
    expect(shareAfter(10n ** 18n, 1000_000000n, swap.amountIn - 1n, 50n)).toBeGreaterThan(4000)
    // About 0.47 WETH: 3,000 (1 - x) <= 0.4 (4,000 - costs) with the fee, impact and slippage.
    expect(swap.amountIn).toBeGreaterThan(46n * 10n ** 16n)
    expect(swap.amountIn).toBeLessThan(48n * 10n ** 16n)
    expect(swap.quotedAmountOut).toBe(constantProductAmountOut(swap.amountIn, pool))
    expect(swap.amountOutMin).toBe((swap.quotedAmountOut * 9950n) / 10_000n)
    // 0.3% fee plus about 0.05% impact on a pool of 1,000 WETH.
    expect(swap.priceImpactPpm).toBeGreaterThan(3_000n)
    expect(swap.priceImpactPpm).toBeLessThan(4_000n)
  })

  it('swaps nothing when the target holds, and says when it cannot be met', () => {
    const none = sizeDeRiskingSwap({
      volatile: weth(10n ** 17n),
      stable: usdc(1000_000000n),
      pool,
      maxVolatileShareBps: 4000n,
      slippageBps: 50n,
    })
    expect(none).toMatchObject({ amountIn: 0n, amountOutMin: 0n, targetMet: true })
    // A target of 0% volatile needs every WETH sold; with no stable at all that still meets it.
    const all = sizeDeRiskingSwap({
      volatile: weth(10n ** 18n),
      stable: usdc(0n),
      pool,
      maxVolatileShareBps: 0n,
      slippageBps: 50n,
    })
    expect(all).toMatchObject({ amountIn: 10n ** 18n, targetMet: true, volatileShareAfterBps: 0n })
    expect(() =>
      sizeDeRiskingSwap({
        volatile: weth(1n),
        stable: usdc(1n),
        pool,
        maxVolatileShareBps: 10_001n,
        slippageBps: 0n,
      }),
    ).toThrow(/Composition target out of range/)
  })
})
