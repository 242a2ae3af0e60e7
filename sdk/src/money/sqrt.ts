import { MoneyError } from './MoneyError.js'

/**
 * Integer square root of a non-negative bigint, rounded down (Newton's method on bigints;
 * Crandall & Pomerance, "Prime Numbers", algorithm 9.2.11) or up with `ceil`.
 *
 * @param n - Non-negative bigint.
 * @param rounding - `floor` (default) or `ceil`.
 * @returns `floor(sqrt(n))` or `ceil(sqrt(n))`.
 * @example
 * ```ts
 * sqrt(10n) // 3n
 * sqrt(10n, 'ceil') // 4n
 * ```
 */
export function sqrt(n: bigint, rounding: 'floor' | 'ceil' = 'floor'): bigint {
  if (n < 0n) {
    throw new MoneyError('Square root of a negative number.', {
      details: `sqrt(${n})`,
      metaMessages: ['Amounts, reserves and k = x*y are never negative; check the inputs.'],
    })
  }
  if (n < 2n) return n
  // Start above the root: 2^ceil(bits/2) >= sqrt(n); Newton then decreases monotonically to floor.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2))
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) break
    x = y
  }
  if (rounding === 'ceil' && x * x !== n) return x + 1n
  return x
}
