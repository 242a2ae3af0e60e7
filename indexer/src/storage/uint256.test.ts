import { describe, expect, it } from 'vitest'
import { IndexerError } from '../errors/IndexerError.js'
import { decodeUint256, encodeUint256 } from './uint256.js'

describe('encodeUint256', () => {
  const values = [0n, 1n, 10n ** 18n, 2n ** 256n - 1n, -1n, -(2n ** 255n), 2n ** 255n - 1n, 123456789n]
  it('round-trips int256 and uint256 extremes', () => {
    for (const v of values) expect(decodeUint256(encodeUint256(v))).toBe(v)
    expect(encodeUint256(5n)).toBe(`0${'0'.repeat(77)}5`)
  })
  it('keeps text order equal to numeric order', () => {
    const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const byText = [...values].map(encodeUint256).sort().map(decodeUint256)
    expect(byText).toEqual(sorted)
  })
  it('rejects values that do not fit and corrupt text', () => {
    expect(() => encodeUint256(10n ** 78n)).toThrow(IndexerError)
    expect(() => decodeUint256('12')).toThrow('Corrupt stored integer.')
  })
})
