/** A seeded source of uniform and standard normal numbers. */
export type Random = {
  /** Uniform in [0, 1). */
  uniform: () => number
  /** Standard normal N(0, 1). */
  normal: () => number
}

/**
 * A seeded, portable pseudo-random generator: the same seed gives the same numbers in every
 * browser and Node. Uniforms from sfc32 (Chris Doty-Humphrey's PractRand "small fast counter"),
 * seeded through splitmix32; normals by the Marsaglia polar method (Marsaglia & Bray, 1964).
 *
 * @param seed - Any 32-bit integer (other numbers are truncated to 32 bits).
 * @returns The generator.
 * @example
 * ```ts
 * const rng = createRandom(42)
 * rng.normal() // the same value on every run
 * ```
 */
export function createRandom(seed: number): Random {
  let s = seed >>> 0
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    return (z ^ (z >>> 15)) >>> 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const uniform = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) uniform()
  let spare = 0
  let hasSpare = false
  const normal = () => {
    if (hasSpare) {
      hasSpare = false
      return spare
    }
    let u: number
    let v: number
    let q: number
    do {
      u = uniform() * 2 - 1
      v = uniform() * 2 - 1
      q = u * u + v * v
    } while (q >= 1 || q === 0)
    const f = Math.sqrt((-2 * Math.log(q)) / q)
    spare = v * f
    hasSpare = true
    return u * f
  }
  return { uniform, normal }
}
