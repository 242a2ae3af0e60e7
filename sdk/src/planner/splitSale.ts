import { sqrt } from '../money/sqrt.js'
import type { ConstantProductPool } from './constantProductAmountOut.js'

const BPS = 10_000n
/** Marginal rates are fixed-point with 64 fractional bits (value out per value in). */
const ONE = 1n << 64n

/** One constant-product venue a sale may use, in the sale's common value unit. */
export type SaleVenue = {
  /** Reserves ordered sold, bought, and the fee. */
  pool: ConstantProductPool
  /** Value of one base unit sold and bought. */
  scaleIn: bigint
  scaleOut: bigint
  /** Index into {@link SplitSaleParameters.groupCaps}: the sellers that can reach this venue. */
  group: number
}

/** Parameters of {@link splitSale}. */
export type SplitSaleParameters = {
  venues: readonly SaleVenue[]
  /** Most each group of sellers (one chain, one asset) may sell in all, base units. */
  groupCaps: readonly bigint[]
  /** Caps shared by several groups (an asset's spare supply over its chains), base units. */
  sharedCaps: readonly { groups: readonly number[]; cap: bigint }[]
  /** Whether the target holds after selling these amounts (per venue); monotone in each. */
  holds: (amounts: readonly bigint[]) => boolean
}

/**
 * The least-cost split of a sale across constant-product venues: each venue sells up to where its
 * marginal rate falls to a common level `r`, and `r` is the highest level whose sale meets the
 * target (so the least sale of that shape).
 *
 * Uniswap V2's `getAmountOut` (`constantProductAmountOut`) is, before its final floor,
 * `out(a) = a g R_out / (R_in B + a g)` with `g = B - f`: concave, with derivative
 * `g B R_in R_out / (R_in B + a g)^2`. In value terms the marginal rate is that times
 * `s_out / s_in`, so the amount at which it equals `r` is
 *
 *   a(r) = (sqrt(s_out g B R_in R_out / (s_in r)) - R_in B) / g
 *
 * (0 when the spot rate is already below `r`), computed here with an integer square root and
 * floors (the marginal rate at `a(r)` is at least `r`). For a concave sum, equal marginal rates
 * (KKT, with a cap's multiplier raising the rate its venues sell to) maximise the output for the
 * value sold, hence the least sale that meets a target and the least value lost. Exact up to the
 * integer roundings (a base unit per venue, and `2^-64` of the rate); the outputs themselves are
 * not estimated here: the caller prices every amount with `getAmountOut`, which never overstates.
 *
 * A group whose venues would sell more than its cap sells to the least rate at or above `r`
 * that fits (likewise for a shared cap over its groups).
 *
 * @param parameters - venues, caps and the target's check
 * @returns the amount per venue and whether the target holds after it (all caps when it cannot)
 */
export function splitSale(parameters: SplitSaleParameters): { amounts: bigint[]; meets: boolean } {
  const { venues, holds } = parameters
  const atCaps = allocate(parameters, 0n)
  if (!holds(atCaps)) return { amounts: atCaps, meets: false }
  let lo = 0n // holds
  let hi = 1n // above every spot rate: sells nothing
  for (const v of venues) if (spotRate(v) >= hi) hi = spotRate(v) + 1n
  if (holds(allocate(parameters, hi))) return { amounts: allocate(parameters, hi), meets: true }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (holds(allocate(parameters, mid))) lo = mid
    else hi = mid
  }
  return { amounts: allocate(parameters, lo), meets: true }
}

function spotRate(v: SaleVenue): bigint {
  const g = BPS - v.pool.feeBps
  return (v.scaleOut * g * v.pool.reserveOut * ONE) / (v.scaleIn * v.pool.reserveIn * BPS)
}

/** a(r) above, `undefined` (unbounded) at rate 0. */
function amountAt(v: SaleVenue, rate: bigint): bigint | undefined {
  if (rate <= 0n) return undefined
  const { reserveIn, reserveOut, feeBps } = v.pool
  const g = BPS - feeBps
  const root = sqrt((v.scaleOut * g * BPS * reserveIn * reserveOut * ONE) / (v.scaleIn * rate))
  const base = reserveIn * BPS
  return root <= base ? 0n : (root - base) / g
}

function groupAt(parameters: SplitSaleParameters, group: number, rate: bigint, into: bigint[]): bigint {
  const cap = parameters.groupCaps[group]!
  const fill = (r: bigint) => {
    let sum = 0n
    parameters.venues.forEach((v, i) => {
      if (v.group !== group) return
      const a = amountAt(v, r)
      into[i] = a === undefined || a > cap ? cap : a
      sum += into[i]!
    })
    return sum
  }
  const sum = fill(rate)
  if (sum <= cap) return sum
  let lo = rate // over the cap
  let hi = rate + 1n
  while (fill(hi) > cap) {
    lo = hi
    hi *= 2n
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (fill(mid) > cap) lo = mid
    else hi = mid
  }
  return fill(hi)
}

function allocate(parameters: SplitSaleParameters, rate: bigint): bigint[] {
  const amounts = parameters.venues.map(() => 0n)
  parameters.groupCaps.forEach((_cap, g) => {
    groupAt(parameters, g, rate, amounts)
  })
  for (const shared of parameters.sharedCaps) {
    const fill = (r: bigint) => shared.groups.reduce((s, g) => s + groupAt(parameters, g, r, amounts), 0n)
    if (fill(rate) <= shared.cap) continue
    let lo = rate
    let hi = rate + 1n
    while (fill(hi) > shared.cap) {
      lo = hi
      hi *= 2n
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n
      if (fill(mid) > shared.cap) lo = mid
      else hi = mid
    }
    fill(hi)
  }
  return amounts
}
