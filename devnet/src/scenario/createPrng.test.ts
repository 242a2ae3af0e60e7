import { describe, expect, it } from 'vitest'
import { createPrng } from './createPrng.js'

describe('createPrng', () => {
  it('repeats the sequence for a seed and differs across seeds', () => {
    const a = createPrng(7)
    const b = createPrng(7)
    const c = createPrng(8)
    const xs = Array.from({ length: 20 }, () => a.next())
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })

  it('draws normals with mean ~0 and variance ~1', () => {
    const rng = createPrng(1)
    const n = 20_000
    const xs = Array.from({ length: n }, () => rng.normal())
    const mean = xs.reduce((s, x) => s + x, 0) / n
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(Math.abs(variance - 1)).toBeLessThan(0.05)
  })
})
