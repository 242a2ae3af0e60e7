import { describe, expect, it } from 'vitest'
import { compositionValue, meetsComposition, shareBps, valueScales } from './compositionShare.js'
import { sizeCompositionSwap } from './sizeCompositionSwap.js'

const USD = 10n ** 18n
const assets = [
  { symbol: 'USDC', decimals: 6, priceUsd: USD },
  { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD },
  { symbol: 'WBTC', decimals: 8, priceUsd: 60_000n * USD },
]
const nodes = [
  { chainId: 1, asset: 'WETH', balance: 10n ** 18n, target: 0n },
  { chainId: 1, asset: 'USDC', balance: 1000_000000n, target: 0n },
  { chainId: 1, asset: 'WBTC', balance: 5_000000n, target: 0n }, // 0.05 WBTC, 3,000 USD
  { chainId: 2, asset: 'USDC', balance: 2000_000000n, target: 0n }, // another chain
]
const pool = { reserveIn: 1000n * 10n ** 18n, reserveOut: 3_000_000_000000n, feeBps: 30n }

describe('sizeCompositionSwap', () => {
  it('sizes a sale against every book in scope, and only those', () => {
    const scales = valueScales(assets)
    const target = { chainId: 1, volatileAssets: ['WETH', 'WBTC'], maxVolatileShareBps: 5000n }
    const value = compositionValue(
      target,
      nodes,
      nodes.map((n) => n.balance),
      scales,
    )
    // Chain 1 only: 6,000 USD volatile of 7,000.
    expect(shareBps(value, 'floor')).toBe(8571n)
    const sized = sizeCompositionSwap({
      value,
      scaleIn: scales.get('WETH')!,
      scaleOut: scales.get('USDC')!,
      pool,
      maxAmountIn: 10n ** 18n,
      maxVolatileShareBps: 5000n,
      slippageBps: 0n,
    })
    // Selling all WETH leaves 3,000 of ~6,990 volatile: 50% is reached, with WBTC still held.
    expect(sized.meets).toBe(true)
    const check = (a: bigint) => {
      const out = (a * 9970n * pool.reserveOut) / (pool.reserveIn * 10_000n + a * 9970n)
      // USD by hand: WETH 3,000 per 1e18, USDC 1 per 1e6, WBTC 3,000.
      const volatileUsd = ((10n ** 18n - a) * 3000n) / 10n ** 6n + 3000n * 10n ** 12n
      const stableUsd = (1000_000000n + out) * 10n ** 6n
      return volatileUsd * 10_000n <= 5000n * (volatileUsd + stableUsd)
    }
    expect(check(sized.amountIn)).toBe(true)
    expect(check(sized.amountIn - 1n)).toBe(false)
    // A cap below the least amount: the whole cap, not met.
    expect(
      sizeCompositionSwap({
        value,
        scaleIn: scales.get('WETH')!,
        scaleOut: scales.get('USDC')!,
        pool,
        maxAmountIn: sized.amountIn - 1n,
        maxVolatileShareBps: 5000n,
        slippageBps: 0n,
      }),
    ).toEqual({ amountIn: sized.amountIn - 1n, meets: false })
    // Pooled, the other chain's USDC counts: 6,000 of 9,000 volatile.
    const pooled = compositionValue(
      { ...target, chainId: undefined },
      nodes,
      nodes.map((n) => n.balance),
      scales,
    )
    expect(shareBps(pooled, 'floor')).toBe(6666n)
    expect(meetsComposition(pooled, 6667n)).toBe(true)
    expect(meetsComposition(pooled, 6666n)).toBe(false)
  })
})
