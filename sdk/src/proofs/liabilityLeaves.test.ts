import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { InvalidLiabilityLeafError } from './errors.js'
import { deriveLeafSalt, liabilityLeafId, liabilityLeaves, randomLeafSalt } from './liabilityLeaves.js'
import { proveInclusion } from './proveInclusion.js'
import { verifyInclusion } from './verifyInclusion.js'

const secret: Hex = `0x${'5e'.repeat(32)}`
const m1 = `0x${'01'.repeat(32)}`
const m2 = `0x${'02'.repeat(32)}`

describe('liabilityLeafId', () => {
  it('is the member id, or memberId/account', () => {
    expect(liabilityLeafId(m1)).toBe(m1)
    expect(liabilityLeafId(m1, '0xabc')).toBe(`${m1}/0xabc`)
  })

  it('rejects member ids that are empty or contain a slash', () => {
    expect(() => liabilityLeafId('')).toThrowError(InvalidLiabilityLeafError)
    expect(() => liabilityLeafId('a/b', 'c')).toThrowError(/member id "a\/b" is empty or contains "\/"/)
    expect(() => liabilityLeafId('a', '')).toThrowError(/account "" of member a is empty/)
  })
})

describe('randomLeafSalt / deriveLeafSalt', () => {
  it('gives 32-byte hex salts; random ones differ, derived ones repeat', () => {
    const a = randomLeafSalt()
    expect(a).toMatch(/^0x[0-9a-f]{64}$/)
    expect(randomLeafSalt()).not.toBe(a)
    expect(deriveLeafSalt(secret, 'x')).toBe(deriveLeafSalt(secret, 'x'))
    expect(deriveLeafSalt(secret, 'x')).not.toBe(deriveLeafSalt(secret, 'y'))
    expect(deriveLeafSalt(`0x${'5f'.repeat(32)}`, 'x')).not.toBe(deriveLeafSalt(secret, 'x'))
  })

  it('matches HMAC-SHA256 (RFC 4231 test case 2)', () => {
    // Key "Jefe" is too short for a salt secret, so check the construction with a padded key.
    const key: Hex = `0x${'4a656665'.padEnd(64, '0')}`
    // HMAC pads short keys with zeros to the block size: "Jefe" and "Jefe" || 0^28 are one key.
    expect(deriveLeafSalt(key, 'what do ya want for nothing?')).toBe(
      '0x5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('rejects a short secret', () => {
    expect(() => deriveLeafSalt('0x1234', 'x')).toThrowError(/Invalid salt secret[\s\S]*2 bytes or not hex/)
  })
})

describe('liabilityLeaves', () => {
  const members = [
    { memberId: m1, liability: 1000n },
    {
      memberId: m2,
      liability: 500n,
      accounts: [
        { account: '0xaa', liability: 200n },
        { account: '0xbb', liability: 250n },
      ],
    },
  ]

  it('makes one leaf per member, or per account plus the rest', () => {
    const leaves = liabilityLeaves(members, secret)
    expect(Object.fromEntries(leaves.map((l) => [l.id, l.amount]))).toEqual({
      [m1]: 1000n,
      [`${m2}/0xaa`]: 200n,
      [`${m2}/0xbb`]: 250n,
      [m2]: 50n,
    })
    for (const leaf of leaves) expect(leaf.salt).toBe(deriveLeafSalt(secret, leaf.id))
    const tree = buildLiabilityTree(leaves)
    expect(tree.root.total).toBe(1500n)
    for (const leaf of leaves)
      expect(verifyInclusion(proveInclusion(tree, leaf.id), tree.root).valid).toBe(true)
  })

  it('orders leaves by salt, so the same inputs rebuild the same root', () => {
    const leaves = liabilityLeaves(members, secret)
    const salts = leaves.map((l) => l.salt)
    expect(salts).toEqual([...salts].sort())
    expect(buildLiabilityTree(liabilityLeaves([...members].reverse(), secret)).root).toEqual(
      buildLiabilityTree(leaves).root,
    )
  })

  it('rejects accounts that add up to more than the member owes', () => {
    const over = [{ memberId: m1, liability: 10n, accounts: [{ account: '0xaa', liability: 11n }] }]
    expect(() => liabilityLeaves(over, secret)).toThrowError(
      `Account liabilities exceed the member total.\n\nDetails: member ${m1}: accounts add up to 11, above its liability 10`,
    )
  })

  it('rejects negative liabilities', () => {
    expect(() => liabilityLeaves([{ memberId: m1, liability: -1n }], secret)).toThrowError(
      `Invalid member liability.\n\nDetails: member ${m1}: liability -1 is not a bigint >= 0`,
    )
    const negativeAccount = [
      { memberId: m1, liability: 10n, accounts: [{ account: '0xaa', liability: -1n }] },
    ]
    expect(() => liabilityLeaves(negativeAccount, secret)).toThrowError(/negative amount/)
  })
})
