import { evaluatePool } from '@ballast/sdk/math'
import { describe, expect, it } from 'vitest'
import { examplePoolState } from '../testing/examplePoolState.js'
import { observedRedemptions } from './observedRedemptions.js'

describe('observedRedemptions', () => {
  it('is the fall of each chain’s liabilities between successive evaluations', () => {
    const poolId = `0x${'11'.repeat(32)}`
    const a = examplePoolState(1_764_000_000)
    const b = examplePoolState(1_764_003_600)
    // 50,000 aUSD redeemed on chain 31337 between a and b.
    const member = b.members[0]!
    const liabilities = member.liabilities.map((l) =>
      l.chainId === 31337 ? { ...l, supply: l.supply - 50_000n * 10n ** 18n } : l,
    )
    const b2 = { ...b, members: [{ ...member, liabilities }, b.members[1]!] }
    const result = observedRedemptions([evaluatePool(a, { poolId }), evaluatePool(b2, { poolId })])
    expect(result).toEqual([
      { chainId: 31337, amountsUsd: [50_000n * 10n ** 18n] },
      { chainId: 31338, amountsUsd: [0n] },
    ])
  })
})
