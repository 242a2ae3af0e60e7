import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { divRound } from './divRound.js'
import { MoneyError, PrecisionLossError } from './MoneyError.js'
import { mulDiv } from './mulDiv.js'

describe('divRound', () => {
  // Hand table: 7/2 = 3.5, -7/2 = -3.5, 5/2 = 2.5 (even tie), 7/3 = 2.33, -7/3 = -2.33
  const table: [bigint, bigint, Record<string, bigint>][] = [
    [
      7n,
      2n,
      {
        ceil: 4n,
        floor: 3n,
        expand: 4n,
        trunc: 3n,
        halfCeil: 4n,
        halfFloor: 3n,
        halfExpand: 4n,
        halfTrunc: 3n,
        halfEven: 4n,
      },
    ],
    [
      -7n,
      2n,
      {
        ceil: -3n,
        floor: -4n,
        expand: -4n,
        trunc: -3n,
        halfCeil: -3n,
        halfFloor: -4n,
        halfExpand: -4n,
        halfTrunc: -3n,
        halfEven: -4n,
      },
    ],
    [5n, 2n, { halfEven: 2n, halfExpand: 3n, halfTrunc: 2n }],
    [7n, 3n, { ceil: 3n, floor: 2n, halfEven: 2n, halfExpand: 2n }],
    [-7n, 3n, { ceil: -2n, floor: -3n, halfEven: -2n, expand: -3n }],
    [7n, -3n, { ceil: -2n, floor: -3n }],
    [8n, 3n, { halfFloor: 3n, halfTrunc: 3n, trunc: 2n }],
  ]
  for (const [n, d, modes] of table) {
    for (const [mode, expected] of Object.entries(modes)) {
      it(`${n} / ${d} with ${mode} = ${expected}`, () => {
        expect(divRound(n, d, mode as 'floor')).toBe(expected)
      })
    }
  }

  it('exact divides exactly or throws PrecisionLossError', () => {
    expect(divRound(10n, 5n, 'exact')).toBe(2n)
    expect(() => divRound(10n, 3n, 'exact')).toThrow(PrecisionLossError)
    expect(() => divRound(10n, 3n, 'exact')).toThrow('10 / 3 leaves remainder 1')
  })

  it('rejects a zero denominator and an unknown mode', () => {
    expect(() => divRound(1n, 0n, 'floor')).toThrow(MoneyError)
    expect(() => divRound(1n, 0n, 'floor')).toThrow('Division by zero.')
    expect(() => divRound(1n, 2n, 'banker' as 'floor')).toThrow('Unknown rounding mode.')
  })

  it('floor <= exact quotient <= ceil, and they differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.bigInt(),
        fc.bigInt().filter((d) => d !== 0n),
        (n, d) => {
          const lo = divRound(n, d, 'floor')
          const hi = divRound(n, d, 'ceil')
          expect(lo * d === n || hi - lo === 1n).toBe(true)
          const h = divRound(n, d, 'halfEven')
          expect(h >= lo && h <= hi).toBe(true)
        },
      ),
    )
  })

  it('mulDiv rounds the exact product once', () => {
    expect(mulDiv(10n, 10n, 3n, 'floor')).toBe(33n)
    expect(mulDiv(10n, 10n, 3n, 'ceil')).toBe(34n)
    // 2^255 * 3 / 2^254 = 6 exactly: no overflow with bigints
    expect(mulDiv(2n ** 255n, 3n, 2n ** 254n, 'exact')).toBe(6n)
  })
})
