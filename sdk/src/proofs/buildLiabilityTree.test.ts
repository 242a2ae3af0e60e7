import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import {
  DuplicateLiabilityLeafError,
  InvalidLiabilityLeafError,
  LiabilitySumOverflowError,
} from './errors.js'
import { hashLiabilityLeaf, hashLiabilityNode } from './liabilityHashes.js'
import type { LiabilityLeaf } from './types.js'

const saltOf = (i: number): Hex => `0x${i.toString(16).padStart(64, '0')}`
const leafOf = (i: number, amount: bigint): LiabilityLeaf => ({ id: `m${i}`, amount, salt: saltOf(i + 1) })
const catchError = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}

describe('buildLiabilityTree', () => {
  it('builds the tree the formulas describe, padding with empty records', () => {
    const leaves = [leafOf(0, 1n), leafOf(1, 2n), leafOf(2, 3n)]
    const tree = buildLiabilityTree(leaves)
    const [a, b, c] = leaves.map((l) => ({ hash: hashLiabilityLeaf(l), sum: l.amount })) as [
      { hash: Hex; sum: bigint },
      { hash: Hex; sum: bigint },
      { hash: Hex; sum: bigint },
    ]
    const empty = { hash: `0x${'00'.repeat(32)}` as Hex, sum: 0n }
    const top = hashLiabilityNode(hashLiabilityNode(a, b), hashLiabilityNode(c, empty))
    expect(tree.depth).toBe(2)
    expect(tree.root.total).toBe(6n)
    expect(tree.root.leafCount).toBe(3)
    expect(tree.padding[1]).toBeDefined()
    // The top record of the built tree is exactly the hand-built one.
    const levelTop = tree.levels[2] as Uint8Array
    expect(`0x${Buffer.from(levelTop.subarray(0, 32)).toString('hex')}`).toBe(top.hash)
  })

  it('is deterministic and depends on the leaf order', () => {
    const leaves = [leafOf(0, 5n), leafOf(1, 9n)]
    expect(buildLiabilityTree(leaves).root).toEqual(buildLiabilityTree([...leaves]).root)
    expect(buildLiabilityTree([...leaves].reverse()).root.hash).not.toBe(buildLiabilityTree(leaves).root.hash)
  })

  it('commits to the leaf count: one leaf and no leaf have distinct roots', () => {
    const empty = buildLiabilityTree([])
    expect(empty.root.total).toBe(0n)
    expect(empty.root.leafCount).toBe(0)
    const one = buildLiabilityTree([leafOf(0, 0n)])
    expect(one.depth).toBe(0)
    expect(one.root.hash).not.toBe(empty.root.hash)
  })

  it('rejects a negative leaf with a clear error', () => {
    const error = catchError(() => buildLiabilityTree([leafOf(0, 1n), leafOf(1, -3n)]))
    expect(error).toBeInstanceOf(InvalidLiabilityLeafError)
    expect(error.message).toBe(
      'Invalid liability leaf: negative amount.\n\nDetails: leaves[1]: id "m1": amount -3 < 0\n\nHint: Liabilities are never negative.',
    )
  })

  it('rejects a leaf of 2^128 or more, and a total reaching 2^128', () => {
    expect(() => buildLiabilityTree([leafOf(0, 2n ** 128n)])).toThrowError(InvalidLiabilityLeafError)
    const error = catchError(() =>
      buildLiabilityTree([leafOf(0, 2n ** 127n), leafOf(1, 1n), leafOf(2, 2n ** 127n)]),
    )
    expect(error).toBeInstanceOf(LiabilitySumOverflowError)
    expect(error.message).toContain('the sum of the leaves reaches 2^128 (at level 2, node 0)')
    // Just below the bound is fine.
    expect(buildLiabilityTree([leafOf(0, 2n ** 127n), leafOf(1, 2n ** 127n - 1n)]).root.total).toBe(
      2n ** 128n - 1n,
    )
  })

  it('rejects duplicate ids, bad salts, empty or long ids and non-bigint amounts', () => {
    const dup = catchError(() => buildLiabilityTree([leafOf(0, 1n), { ...leafOf(1, 1n), id: 'm0' }]))
    expect(dup).toBeInstanceOf(DuplicateLiabilityLeafError)
    expect(dup.message).toContain('id "m0" is at leaves[0] and leaves[1]')
    expect(() => buildLiabilityTree([{ ...leafOf(0, 1n), salt: '0x1234' }])).toThrowError(/bad salt/)
    expect(() => buildLiabilityTree([{ ...leafOf(0, 1n), id: '' }])).toThrowError(/bad id/)
    expect(() => buildLiabilityTree([{ ...leafOf(0, 1n), id: 'é'.repeat(257) }])).toThrowError(/id too long/)
    expect(buildLiabilityTree([{ ...leafOf(0, 1n), id: 'é'.repeat(256) }]).root.total).toBe(1n)
    expect(() => buildLiabilityTree([{ ...leafOf(0, 1n), amount: 1 as unknown as bigint }])).toThrowError(
      /amount is not a bigint/,
    )
  })
})
