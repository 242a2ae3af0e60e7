import { describe, expect, it } from 'vitest'
import { poolStatus } from './poolStatus.js'

const pool = { reserveRatio: '1.25', minRatio: '1.1', targetRatio: '1.3', healthy: true }
const synced = [{ name: 'alpha', lagBlocks: '0' }]

describe('poolStatus', () => {
  it('compares the exact ratio with the target and the minimum', () => {
    expect(poolStatus({ ...pool, reserveRatio: '1.3' }, synced).label).toBe('HEALTHY')
    expect(poolStatus({ ...pool, reserveRatio: '1.299999999999999999' }, synced)).toEqual({
      label: 'BELOW TARGET',
      tone: 'warn',
      reasons: ['pooled ratio is below the target 1.3'],
    })
    expect(poolStatus({ ...pool, reserveRatio: '1.05', healthy: false }, synced).label).toBe('BELOW MINIMUM')
    expect(poolStatus({ ...pool, reserveRatio: null }, synced).label).toBe('NO LIABILITIES')
  })

  it('is DEGRADED, with the reason, when a chain lags more than 50 blocks', () => {
    const s = poolStatus({ ...pool, reserveRatio: '1.4' }, [{ name: 'beta', lagBlocks: '51' }])
    expect(s.label).toBe('DEGRADED')
    expect(s.reasons).toEqual(['chain beta lags 51 blocks behind its head'])
    // Below the minimum says so first, and keeps the lag as a second reason.
    const bad = poolStatus({ ...pool, healthy: false }, [{ name: 'beta', lagBlocks: '51' }])
    expect(bad.label).toBe('BELOW MINIMUM')
    expect(bad.reasons).toHaveLength(2)
  })
})
