import { describe, expect, it } from 'vitest'
import { formatKeeperLine, formatPoolSummary, roundDecimal } from './formatPoolSummary.js'

describe('formatPoolSummary', () => {
  it('rounds half-even with thousands separators', () => {
    expect(roundDecimal('1234567.125', 2)).toBe('1,234,567.12')
    expect(roundDecimal('-0.00005', 4)).toBe('0.0000')
    expect(roundDecimal('-2.5', 0)).toBe('-2')
    expect(roundDecimal(null, 2)).toBe('n/a')
  })

  it('prints pooled, per member and per chain ratios', () => {
    const text = formatPoolSummary(pool)
    expect(text).toContain('Pool main (0xabababab…): below target, min ratio 1.1, target 1.3')
    expect(formatPoolSummary({ ...pool, status: 'HEALTHY' })).toMatch(/^Pool main \(0xabababab…\): healthy,/)
    expect(text).not.toContain('not exact')
    expect(text).toContain(
      'pooled ratio 1.1554  (adjusted reserves 1,282,500.00 USD / liabilities 1,110,000.00 USD)',
    )
    expect(text).toMatch(/alpha\s+ratio\s+1\.0400/)
    expect(text).toMatch(/one\s+ratio\s+n\/a/)
  })

  it('says DEGRADED and lists each reason with its asset and chain, before the figures', () => {
    const text = formatPoolSummary({
      ...pool,
      status: 'DEGRADED',
      degraded: [
        {
          code: 'UNPRICED',
          asset: 'XTK',
          chainId: 31337,
          message: 'XTK held by alpha on chain 31337 is left out: XTK has no feed.',
        },
        { code: 'ASSUMED_PEG', asset: 'aUSD', chainId: null, message: 'Liability aUSD has no feed.' },
      ],
    })
    const lines = text.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      'Pool main (0xabababab…): DEGRADED, min ratio 1.1, target 1.3',
      '  not exact (2 reasons):',
      '    UNPRICED XTK on chain 31337: XTK held by alpha on chain 31337 is left out: XTK has no feed.',
      '    ASSUMED_PEG aUSD: Liability aUSD has no feed.',
    ])
    expect(lines[4]).toMatch(/^ {2}pooled ratio 1\.1554/)
    expect(formatPoolSummary({ ...pool, healthy: false, status: 'BELOW_MINIMUM' })).toMatch(
      /^Pool main \(0xabababab…\): BELOW MINIMUM,/,
    )
  })
})

const pool: Parameters<typeof formatPoolSummary>[0] = {
  id: `0x${'ab'.repeat(32)}`,
  name: 'main',
  at: 1,
  minRatio: '1.1',
  targetRatio: '1.3',
  reserveRatio: '1.155405405405405405',
  adjustedReservesUsd: '1282500',
  reservesUsd: '1400000',
  liabilitiesUsd: '1110000',
  healthy: true,
  status: 'BELOW_TARGET',
  degraded: [],
  members: {
    totalCount: 1,
    nodes: [
      {
        id: '0x01',
        name: 'alpha',
        reserveRatio: '1.04',
        adjustedReservesUsd: '843000',
        liabilitiesUsd: '810000',
      },
    ],
  },
  chains: [{ chainId: 1, name: 'one', reserveRatio: null, adjustedReservesUsd: '0', liabilitiesUsd: '0' }],
}

describe('formatKeeperLine', () => {
  it("prints the latest decision's time, triggers and acted-on actions, or that there is none", () => {
    expect(formatKeeperLine(undefined)).toBe('  keeper: no decision yet')
    expect(
      formatKeeperLine({
        id: 'treasury-3',
        policy: 'treasury',
        mode: 'PROPOSE',
        at: 1_764_000_000,
        triggered: [
          {
            id: 'thin',
            kind: 'liquidity-coverage-below',
            reason: 'chain beta (2) liquidity coverage 0.5 is below 1',
          },
        ],
        actions: [
          {
            id: 'treasury-3/refill',
            actionId: 'refill',
            kind: 'REBALANCE',
            status: 'limit-hit',
            reason: 'over 100 USD',
            movedUsd: '400',
          },
          {
            id: 'treasury-3/page',
            actionId: 'page',
            kind: 'ALERT',
            status: 'not-triggered',
            reason: '',
            movedUsd: null,
          },
        ],
      }),
    ).toBe(
      '  keeper treasury: treasury-3 [propose] at 2025-11-24T16:00:00.000Z: chain beta (2) liquidity coverage 0.5 is below 1 -> refill limit-hit (over 100 USD)',
    )
  })
})
