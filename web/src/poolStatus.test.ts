import { describe, expect, it } from 'vitest'
import type { PoolStatusInput } from './poolStatus.js'
import { poolStatus } from './poolStatus.js'

const pool: PoolStatusInput = {
  reserveRatio: '1.35',
  minRatio: '1.1',
  targetRatio: '1.3',
  status: 'HEALTHY',
  degraded: [],
}
const synced = [{ name: 'alpha', lagBlocks: '0' }]
const unpriced = {
  code: 'UNPRICED' as const,
  asset: 'XTK',
  chainId: 31337,
  message: 'XTK held by alpha on chain 31337 is left out: XTK has no feed.',
}

describe('poolStatus', () => {
  it("shows the server's status, naming the band it is below", () => {
    expect(poolStatus(pool, synced)).toEqual({ label: 'HEALTHY', tone: 'ok', reasons: [] })
    expect(
      poolStatus({ ...pool, reserveRatio: '1.299999999999999999', status: 'BELOW_TARGET' }, synced),
    ).toEqual({
      label: 'BELOW TARGET',
      tone: 'warn',
      reasons: ['pooled ratio is below the target 1.3'],
    })
    expect(poolStatus({ ...pool, reserveRatio: '1.05', status: 'BELOW_MINIMUM' }, synced)).toEqual({
      label: 'BELOW MINIMUM',
      tone: 'bad',
      reasons: ['pooled ratio 1.05 is below the minimum 1.1'],
    })
    expect(poolStatus({ ...pool, reserveRatio: null, status: 'NO_LIABILITIES' }, synced).label).toBe(
      'NO LIABILITIES',
    )
  })

  it("is DEGRADED with the server's reasons, unless below the minimum, which says so first", () => {
    const s = poolStatus({ ...pool, status: 'DEGRADED', degraded: [unpriced] }, synced)
    expect(s).toEqual({ label: 'DEGRADED', tone: 'warn', reasons: [unpriced.message] })
    const bad = poolStatus(
      { ...pool, reserveRatio: '1', status: 'BELOW_MINIMUM', degraded: [unpriced] },
      synced,
    )
    expect(bad.label).toBe('BELOW MINIMUM')
    expect(bad.reasons).toEqual(['pooled ratio 1 is below the minimum 1.1', unpriced.message])
  })

  it('is DEGRADED, with the reason, when a chain lags more than 50 blocks', () => {
    expect(poolStatus(pool, [{ name: 'beta', lagBlocks: '50' }]).label).toBe('HEALTHY')
    const s = poolStatus(pool, [{ name: 'beta', lagBlocks: '51' }])
    expect(s.label).toBe('DEGRADED')
    expect(s.reasons).toEqual(['chain beta lags 51 blocks behind its head'])
    // Lag outranks "no liabilities" and "below target" (the figures are behind), not the minimum.
    expect(
      poolStatus({ ...pool, reserveRatio: null, status: 'NO_LIABILITIES' }, [
        { name: 'beta', lagBlocks: '51' },
      ]).label,
    ).toBe('DEGRADED')
    const bad = poolStatus({ ...pool, status: 'BELOW_MINIMUM' }, [{ name: 'beta', lagBlocks: '51' }])
    expect(bad.label).toBe('BELOW MINIMUM')
    expect(bad.reasons).toHaveLength(2)
    // Both kinds of reason, the server's first.
    const both = poolStatus({ ...pool, status: 'DEGRADED', degraded: [unpriced] }, [
      { name: 'beta', lagBlocks: '99' },
    ])
    expect(both.reasons).toEqual([unpriced.message, 'chain beta lags 99 blocks behind its head'])
  })
})
