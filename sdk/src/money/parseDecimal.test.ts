import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal } from './formatDecimal.js'
import { MoneyError, PrecisionLossError } from './MoneyError.js'
import { parseDecimal } from './parseDecimal.js'

describe('parseDecimal', () => {
  it('reads 6, 8 and 18 decimals exactly', () => {
    expect(parseDecimal('1.5', 6)).toBe(1_500_000n)
    expect(parseDecimal('60000.12345678', 8)).toBe(6_000_012_345_678n)
    expect(parseDecimal('0.000000000000000001', 18)).toBe(1n)
    expect(parseDecimal('-12', 18)).toBe(-12n * 10n ** 18n)
    expect(parseDecimal('+3.1', 0, 'floor')).toBe(3n)
    expect(parseDecimal('007', 2)).toBe(700n)
  })

  it('rounds extra digits only when asked', () => {
    expect(() => parseDecimal('0.1234567', 6)).toThrow(PrecisionLossError)
    expect(parseDecimal('0.1234565', 6, 'halfEven')).toBe(123_456n)
    expect(parseDecimal('0.1234575', 6, 'halfEven')).toBe(123_458n)
    expect(parseDecimal('-0.1234567', 6, 'floor')).toBe(-123_457n)
    expect(parseDecimal('-0.1234567', 6, 'trunc')).toBe(-123_456n)
    expect(parseDecimal('1.2300000', 2)).toBe(123n)
  })

  it('rejects malformed strings with the value in the details', () => {
    for (const bad of ['', '1.', '.5', '1e18', '1,000', ' 1', 'NaN', '--1', '0x10', 'Infinity']) {
      expect(() => parseDecimal(bad, 6)).toThrow(MoneyError)
    }
    expect(() => parseDecimal('1e18', 6)).toThrow('value = "1e18"')
    expect(() => parseDecimal('1', -1)).toThrow('Invalid decimals.')
    expect(() => parseDecimal('1', 2.5)).toThrow('decimals = 2.5')
  })
})

describe('formatDecimal', () => {
  it('writes exact strings without trailing zeros', () => {
    expect(formatDecimal(1_500_000n, 6)).toBe('1.5')
    expect(formatDecimal(2_000_000n, 6)).toBe('2')
    expect(formatDecimal(1n, 18)).toBe('0.000000000000000001')
    expect(formatDecimal(-6_000_012_345_678n, 8)).toBe('-60000.12345678')
    expect(formatDecimal(0n, 6)).toBe('0')
    expect(formatDecimal(42n, 0)).toBe('42')
  })

  it('pads or rounds to fixed fraction digits', () => {
    expect(formatDecimal(1_234_567n, 6, { fractionDigits: 2, rounding: 'halfEven' })).toBe('1.23')
    expect(formatDecimal(1_235_000n, 6, { fractionDigits: 2, rounding: 'halfEven' })).toBe('1.24')
    expect(formatDecimal(1_500_000n, 6, { fractionDigits: 8 })).toBe('1.50000000')
    expect(formatDecimal(-1_999n, 3, { fractionDigits: 0, rounding: 'ceil' })).toBe('-1')
    expect(() => formatDecimal(1_234_567n, 6, { fractionDigits: 2 })).toThrow(PrecisionLossError)
  })

  it('round-trips every bigint exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 80n), max: 10n ** 80n }),
        fc.integer({ min: 0, max: 77 }),
        (x, d) => {
          expect(parseDecimal(formatDecimal(x, d), d)).toBe(x)
        },
      ),
    )
  })

  it('round-trips canonical decimal strings (property)', () => {
    const canonical = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }))
      .map(([neg, digits, d]) => {
        const s = formatDecimal(neg ? -digits : digits, d)
        return { s, d }
      })
    fc.assert(
      fc.property(canonical, ({ s, d }) => {
        expect(formatDecimal(parseDecimal(s, d), d)).toBe(s)
      }),
    )
  })
})
