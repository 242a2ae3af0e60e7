import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { LiabilityLeafNotFoundError } from './errors.js'
import { hashLiabilityLeaf, hashLiabilityNode } from './liabilityHashes.js'
import { proveInclusion } from './proveInclusion.js'

const saltOf = (i: number): Hex => `0x${i.toString(16).padStart(64, '0')}`
const leaves = [3n, 4n, 5n, 6n, 7n].map((amount, i) => ({ id: `m${i}`, amount, salt: saltOf(i + 1) }))
const tree = buildLiabilityTree(leaves)

describe('proveInclusion', () => {
  it('gives the siblings from the leaf level up, padding included', () => {
    const last = proveInclusion(tree, 'm4')
    const empty = { hash: `0x${'00'.repeat(32)}` as Hex, sum: 0n }
    const emptyPair = hashLiabilityNode(empty, empty)
    expect(last.index).toBe(4)
    expect(last.leafCount).toBe(5)
    expect(last.leaf).toEqual(leaves[4])
    expect(last.siblings).toEqual([empty, emptyPair, expect.objectContaining({ sum: 18n })])
  })

  it('gives the real neighbour as the first sibling', () => {
    const first = proveInclusion(tree, 'm1')
    expect(first.index).toBe(1)
    expect(first.siblings[0]).toEqual({ hash: hashLiabilityLeaf(leaves[0] as (typeof leaves)[0]), sum: 3n })
    expect(first.siblings.map((s) => s.sum)).toEqual([3n, 11n, 7n])
  })

  it('throws a clear error for an unknown id', () => {
    expect(() => proveInclusion(tree, 'nobody')).toThrowError(LiabilityLeafNotFoundError)
    expect(() => proveInclusion(tree, 'nobody')).toThrowError(
      'Liability leaf not found.\n\nDetails: no leaf has id "nobody" (the tree has 5 leaves)',
    )
  })
})
