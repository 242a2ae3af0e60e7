import { describe, expect, it } from 'vitest'
import { degradedFields, poolStatusOf } from './poolStatusOf.js'

const WAD = 10n ** 18n
const exact = {
  belowMinimum: false,
  reserveRatio: (WAD * 14n) / 10n,
  targetRatio: (WAD * 13n) / 10n,
  degraded: [],
}
const reason = { code: 'stale-price' as const, asset: 'WETH', message: 'The price of WETH is 90000 s old.' }

describe('poolStatusOf', () => {
  it('orders BELOW_MINIMUM, DEGRADED, NO_LIABILITIES, BELOW_TARGET, HEALTHY', () => {
    expect(poolStatusOf(exact)).toBe('HEALTHY')
    expect(poolStatusOf({ ...exact, reserveRatio: (WAD * 13n) / 10n })).toBe('HEALTHY')
    expect(poolStatusOf({ ...exact, reserveRatio: (WAD * 13n) / 10n - 1n })).toBe('BELOW_TARGET')
    expect(poolStatusOf({ ...exact, reserveRatio: null })).toBe('NO_LIABILITIES')
    expect(poolStatusOf({ ...exact, degraded: [reason] })).toBe('DEGRADED')
    expect(poolStatusOf({ ...exact, reserveRatio: null, degraded: [reason] })).toBe('DEGRADED')
    expect(poolStatusOf({ ...exact, reserveRatio: WAD, belowMinimum: true, degraded: [reason] })).toBe(
      'BELOW_MINIMUM',
    )
  })

  it('names codes as the GraphQL enum and fills what a reason does not name with null', () => {
    expect(degradedFields([reason])).toEqual([
      { code: 'STALE_PRICE', asset: 'WETH', chainId: null, message: reason.message },
    ])
    expect(degradedFields([{ code: 'assumed-peg', message: 'm' }])[0]?.code).toBe('ASSUMED_PEG')
  })
})
