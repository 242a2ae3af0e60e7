import { describe, expect, it } from 'vitest'
import { diffTotals } from './chainTotals.js'

describe('diffTotals', () => {
  it('names every key that differs, a missing key counting as zero', () => {
    const reference = new Map([
      ['balance:1:0xt:0xa', 5n],
      ['balance:1:0xt:0xb', 0n],
      ['supply:1:0xt', 7n],
    ])
    const actual = new Map([
      ['balance:1:0xt:0xa', 4n],
      ['supply:1:0xt', 7n],
      ['balance:1:0xt:0xuntracked', 9n],
    ])
    expect(diffTotals(reference, actual)).toEqual(['balance:1:0xt:0xa: expected 5, got 4'])
    expect(diffTotals(reference, new Map())).toEqual([
      'balance:1:0xt:0xa: expected 5, got 0',
      'supply:1:0xt: expected 7, got 0',
    ])
  })
})
