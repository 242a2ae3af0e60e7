import { describe, expect, it } from 'vitest'
import { hrefOf, parseRoute } from './route.js'

describe('parseRoute / hrefOf', () => {
  it('reads every page from the hash and writes it back', () => {
    const cases = [
      ['#/', { view: 'pools' }],
      ['#/pool/0xab', { view: 'pool', poolId: '0xab', at: undefined }],
      ['#/pool/0xab?at=1764064800', { view: 'pool', poolId: '0xab', at: 1764064800 }],
      ['#/pool/0xab/what-if', { view: 'what-if', poolId: '0xab', at: undefined }],
      ['#/pool/0xab/rebalance?at=5', { view: 'rebalance', poolId: '0xab', at: 5 }],
      ['#/pool/0xab/member', { view: 'member', poolId: '0xab', memberId: undefined, at: undefined }],
      ['#/pool/0xab/member/0xcd', { view: 'member', poolId: '0xab', memberId: '0xcd', at: undefined }],
    ] as const
    for (const [hash, route] of cases) {
      expect(parseRoute(hash)).toEqual(route)
      expect(hrefOf(parseRoute(hash))).toBe(hash)
    }
  })

  it('names a page it does not know, and ignores an `at` that is not unix seconds', () => {
    expect(parseRoute('#/nope')).toEqual({ view: 'not-found', path: '/nope' })
    expect(parseRoute('#/pool/0xab/what')).toEqual({ view: 'not-found', path: '/pool/0xab/what' })
    expect(parseRoute('#/pool/0xab?at=yesterday')).toEqual({ view: 'pool', poolId: '0xab', at: undefined })
  })
})
