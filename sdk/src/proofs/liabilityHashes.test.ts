import { sha256 } from '@noble/hashes/sha2'
import fc from 'fast-check'
import { bytesToHex, concatBytes, hexToBytes, numberToBytes, stringToBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import { InvalidLiabilityLeafError, InvalidLiabilityNodeError, LiabilitySumOverflowError } from './errors.js'
import { addSumsInto, hashLiabilityLeaf, hashLiabilityNode, readSum, writeSum } from './liabilityHashes.js'

const salt = `0x${'ab'.repeat(32)}` as const
const u128 = (x: bigint) => numberToBytes(x, { size: 16 })

describe('hashLiabilityLeaf', () => {
  it('is sha256(0x00 || salt || amount[16] || utf8(id)), computed independently', () => {
    const expected = bytesToHex(
      sha256(concatBytes([new Uint8Array([0]), hexToBytes(salt), u128(1234n), stringToBytes('member-é')])),
    )
    expect(hashLiabilityLeaf({ id: 'member-é', amount: 1234n, salt })).toBe(expected)
  })

  it('changes with the id, the amount and the salt', () => {
    const base = hashLiabilityLeaf({ id: 'a', amount: 1n, salt })
    expect(hashLiabilityLeaf({ id: 'b', amount: 1n, salt })).not.toBe(base)
    expect(hashLiabilityLeaf({ id: 'a', amount: 2n, salt })).not.toBe(base)
    expect(hashLiabilityLeaf({ id: 'a', amount: 1n, salt: `0x${'ac'.repeat(32)}` })).not.toBe(base)
  })

  it('rejects negative and overflowing amounts with a clear error', () => {
    expect(() => hashLiabilityLeaf({ id: 'a', amount: -1n, salt })).toThrowError(InvalidLiabilityLeafError)
    expect(() => hashLiabilityLeaf({ id: 'a', amount: 2n ** 128n, salt })).toThrowError(
      'Invalid liability leaf: amount overflow.\n\nDetails: leaf: id "a": amount 340282366920938463463374607431768211456 >= 2^128\n\nHint: Amounts must be below 2^128; check the fixed-point scaling.',
    )
  })
})

describe('hashLiabilityNode', () => {
  it('is sha256(0x01 || h_l || s_l[16] || h_r || s_r[16]) with sum s_l + s_r', () => {
    const left = { hash: `0x${'01'.repeat(32)}` as const, sum: 7n }
    const right = { hash: `0x${'02'.repeat(32)}` as const, sum: 2n ** 127n }
    const expected = bytesToHex(
      sha256(
        concatBytes([
          new Uint8Array([1]),
          hexToBytes(left.hash),
          u128(left.sum),
          hexToBytes(right.hash),
          u128(right.sum),
        ]),
      ),
    )
    expect(hashLiabilityNode(left, right)).toEqual({ hash: expected, sum: 7n + 2n ** 127n })
  })

  it('binds each child sum, not only their total (Hu, Zhang and Guo)', () => {
    const h = (b: string) => `0x${b.repeat(32)}` as const
    const a = hashLiabilityNode({ hash: h('01'), sum: 5n }, { hash: h('02'), sum: 5n })
    const b = hashLiabilityNode({ hash: h('01'), sum: 10n }, { hash: h('02'), sum: 0n })
    expect(a.sum).toBe(b.sum)
    expect(a.hash).not.toBe(b.hash)
  })

  it('rejects negative sums, bad hashes and overflow', () => {
    const ok = { hash: `0x${'01'.repeat(32)}` as const, sum: 1n }
    expect(() => hashLiabilityNode({ ...ok, sum: -1n }, ok)).toThrowError(InvalidLiabilityNodeError)
    expect(() => hashLiabilityNode(ok, { ...ok, hash: '0x12' })).toThrowError(InvalidLiabilityNodeError)
    expect(() => hashLiabilityNode({ ...ok, sum: 2n ** 127n }, { ...ok, sum: 2n ** 127n })).toThrowError(
      LiabilitySumOverflowError,
    )
  })
})

describe('addSumsInto', () => {
  it('adds 128-bit sums like bigint addition and flags overflow exactly at 2^128', () => {
    const buf = new Uint8Array(48)
    const view = new DataView(buf.buffer)
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
        (a, b) => {
          writeSum(view, 0, a)
          writeSum(view, 16, b)
          const overflow = addSumsInto(view, 0, view, 16, view, 32)
          expect(overflow).toBe(a + b >= 2n ** 128n)
          if (!overflow) expect(readSum(view, 32)).toBe(a + b)
        },
      ),
    )
  })
})
