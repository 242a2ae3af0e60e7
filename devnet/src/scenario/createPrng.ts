/** A small seeded pseudo-random generator: same seed, same sequence, on every platform. */
export type Prng = {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Standard normal (Box-Muller). */
  normal(): number
  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T
  /** True with probability p. */
  chance(p: number): boolean
}

/**
 * Creates a seeded PRNG (mulberry32: 32-bit state, period 2^32, by Tommy Ettinger; plenty for
 * scenario generation, not for cryptography).
 *
 * @param seed Any integer; only its low 32 bits matter.
 * @returns The generator.
 * @example
 * ```ts
 * const rng = createPrng(42)
 * rng.int(10) // the same number on every run
 * ```
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      const u = 1 - next() // (0, 1]: log(0) never happens
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)] as never
    },
    chance: (p) => next() < p,
  }
}
