import { describe, expect, it } from 'vitest'
import { constantProductAmountOut, minimumAmountOut, priceImpactPpm } from './constantProductAmountOut.js'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random bigint of 1..digits decimal digits. */
function randomAmount(rand: () => number, digits: number): bigint {
  let x = 0n
  const length = 1 + Math.floor(rand() * digits)
  for (let i = 0; i < length; i++) x = x * 10n + BigInt(Math.floor(rand() * 10))
  return x === 0n ? 1n : x
}

/**
 * UniswapV2Pair.swap's invariant check, with a fee of `f` bps in place of its 3/1000: balances
 * after the swap, the input's less its fee (`balanceAdjusted = balance * B - amountIn * f`), keep
 * the product at least the old one times `B^2`.
 */
function pairAccepts(amountIn: bigint, amountOut: bigint, reserveIn: bigint, reserveOut: bigint, f: bigint) {
  const B = 10_000n
  const balanceIn = reserveIn + amountIn
  const balanceOut = reserveOut - amountOut
  if (balanceOut <= 0n) return false
  const adjustedIn = balanceIn * B - amountIn * f
  const adjustedOut = balanceOut * B
  return adjustedIn * adjustedOut >= reserveIn * reserveOut * B * B
}

describe('constantProductAmountOut', () => {
  it("equals Uniswap V2's getAmountOut (997/1000) at 30 bps", () => {
    const rand = mulberry32(7)
    for (let i = 0; i < 500; i++) {
      const a = randomAmount(rand, 24)
      const rIn = randomAmount(rand, 30)
      const rOut = randomAmount(rand, 30)
      const v2 = (a * 997n * rOut) / (rIn * 1000n + a * 997n)
      expect(constantProductAmountOut(a, { reserveIn: rIn, reserveOut: rOut, feeBps: 30n })).toBe(v2)
    }
  })

  it("is the largest output the pair's K check accepts, for any fee", () => {
    const rand = mulberry32(11)
    for (let i = 0; i < 500; i++) {
      const a = randomAmount(rand, 20)
      const rIn = randomAmount(rand, 25)
      const rOut = randomAmount(rand, 25) + 1n
      const f = BigInt(Math.floor(rand() * 1000))
      const out = constantProductAmountOut(a, { reserveIn: rIn, reserveOut: rOut, feeBps: f })
      expect(out).toBeLessThan(rOut)
      if (out > 0n) expect(pairAccepts(a, out, rIn, rOut, f)).toBe(true)
      expect(pairAccepts(a, out + 1n, rIn, rOut, f)).toBe(false)
    }
  })

  it('refuses empty reserves, bad fees and non-positive amounts with a hint', () => {
    expect(() => constantProductAmountOut(1n, { reserveIn: 0n, reserveOut: 5n, feeBps: 30n })).toThrow(
      /Swap venue has an empty reserve/,
    )
    expect(() => constantProductAmountOut(1n, { reserveIn: 5n, reserveOut: 5n, feeBps: 10_000n })).toThrow(
      /Swap fee out of range/,
    )
    expect(() => constantProductAmountOut(0n, { reserveIn: 5n, reserveOut: 5n, feeBps: 30n })).toThrow(
      /Swap amount must be positive/,
    )
  })
})

describe('minimumAmountOut and priceImpactPpm', () => {
  it('round the minimum down and the impact up', () => {
    expect(minimumAmountOut(1_000n, 50n)).toBe(995n)
    expect(minimumAmountOut(999n, 50n)).toBe(994n) // 994.005
    expect(minimumAmountOut(1_000n, 0n)).toBe(1_000n)
    expect(() => minimumAmountOut(1_000n, 10_001n)).toThrow(/Slippage bound out of range/)
    // 10 in, 9 out at a spot price of 1: 10% below spot.
    expect(priceImpactPpm(10n, 9n, { reserveIn: 100n, reserveOut: 100n, feeBps: 30n })).toBe(100_000n)
    // A tiny swap on deep reserves pays the fee (0.3% = 3,000 ppm) and a hair of impact, which
    // rounding up never hides.
    const pool = { reserveIn: 10n ** 30n, reserveOut: 10n ** 30n, feeBps: 30n }
    const out = constantProductAmountOut(10n ** 18n, pool)
    expect(priceImpactPpm(10n ** 18n, out, pool)).toBe(3_001n)
  })
})
