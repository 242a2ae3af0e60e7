import { describe, expect, it } from 'vitest'
import { type SaleVenue, splitSale } from './splitSale.js'

const R = 10n ** 12n

/** Marginal rate of `a g R_out / (R_in B + a g)` at `a`, in doubles, written apart. */
const marginal = (v: SaleVenue, a: bigint) => {
  const g = 10_000 - Number(v.pool.feeBps)
  const rIn = Number(v.pool.reserveIn)
  const rOut = Number(v.pool.reserveOut)
  return (g * 10_000 * rIn * rOut) / (rIn * 10_000 + Number(a) * g) ** 2
}

const venue = (depth: bigint, feeBps: bigint, group: number): SaleVenue => ({
  pool: { reserveIn: depth, reserveOut: depth, feeBps },
  scaleIn: 1n,
  scaleOut: 1n,
  group,
})

/** A target that holds once at least `total` is sold (monotone in each amount). */
const sells = (total: bigint) => (amounts: readonly bigint[]) => amounts.reduce((s, a) => s + a, 0n) >= total

describe('splitSale', () => {
  it('splits 1:4 between pools of depth R and 4R at the same price and fee (equal marginal rates)', () => {
    // g B R^2 / (R B + a g)^2 = g B (4R)^2 / (4R B + b g)^2  <=>  4R B + b g = 4 (R B + a g)  <=>  b = 4a,
    // so selling 5,000,000 takes a = 1,000,000 and b = 4,000,000, whatever the (common) fee.
    for (const fee of [0n, 30n, 100n]) {
      const venues = [venue(R, fee, 0), venue(4n * R, fee, 0)]
      const { amounts, meets } = splitSale({
        venues,
        groupCaps: [10n ** 9n],
        sharedCaps: [],
        holds: sells(5_000_000n),
      })
      expect(meets).toBe(true)
      const [a, b] = amounts as [bigint, bigint]
      expect(a + b >= 5_000_000n && a + b <= 5_000_002n, `fee ${fee}: ${a} + ${b}`).toBe(true)
      expect(a > 999_990n && a < 1_000_010n, `fee ${fee}: a = ${a}`).toBe(true)
      expect(b > 3_999_990n && b < 4_000_010n, `fee ${fee}: b = ${b}`).toBe(true)
      expect(Math.abs(marginal(venues[0]!, a) / marginal(venues[1]!, b) - 1)).toBeLessThan(1e-9)
    }
  })

  it('weighs the fees: the cheaper pool of equal depth sells more, to equal marginal rates', () => {
    const venues = [venue(R, 0n, 0), venue(R, 100n, 0)]
    const { amounts } = splitSale({
      venues,
      groupCaps: [10n ** 12n],
      sharedCaps: [],
      holds: sells(10n ** 10n),
    })
    const [a, b] = amounts as [bigint, bigint]
    // By hand (g = 10^4 and 9900): R^2 / (R + a)^2 = 0.99 R^2 / (R + 0.99 b)^2, so
    // R + 0.99 b = sqrt(0.99) (R + a); with a + b = T = 10^10, b = (sqrt(0.99) (R + T) - R) / (0.99 + sqrt(0.99)).
    const s = Math.sqrt(0.99)
    const bByHand = (s * (1e12 + 1e10) - 1e12) / (0.99 + s)
    expect(Math.abs(Number(b) - bByHand)).toBeLessThan(2)
    expect(a + b - 10n ** 10n).toBeLessThanOrEqual(2n)
    expect(Math.abs(marginal(venues[0]!, a) / marginal(venues[1]!, b) - 1)).toBeLessThan(1e-9)
  })

  it("respects a group's cap (the other venue sells the rest) and a shared cap over groups", () => {
    const venues = [venue(R, 30n, 0), venue(4n * R, 30n, 1)]
    const capped = splitSale({
      venues,
      groupCaps: [10n ** 9n, 3_000_000n],
      sharedCaps: [],
      holds: sells(5_000_000n),
    })
    expect(capped.meets).toBe(true)
    expect(capped.amounts[1]).toBeLessThanOrEqual(3_000_000n)
    expect(capped.amounts[1]).toBeGreaterThan(2_999_990n)
    expect(capped.amounts[0]! + capped.amounts[1]! - 5_000_000n).toBeLessThanOrEqual(2n)
    const shared = splitSale({
      venues,
      groupCaps: [10n ** 9n, 10n ** 9n],
      sharedCaps: [{ groups: [0, 1], cap: 4_000_000n }],
      holds: sells(5_000_000n),
    })
    expect(shared.meets).toBe(false)
    expect(shared.amounts[0]! + shared.amounts[1]!).toBeLessThanOrEqual(4_000_000n)
    expect(shared.amounts[0]! + shared.amounts[1]!).toBeGreaterThan(3_999_990n)
  })
})
