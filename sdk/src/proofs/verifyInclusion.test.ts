import { sha256 } from '@noble/hashes/sha2'
import fc from 'fast-check'
import { bytesToHex, concatBytes, type Hex, hexToBytes, numberToBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { InvalidInclusionProofError } from './errors.js'
import {
  hashLiabilityLeaf,
  hashLiabilityNode,
  RECORD_BYTES,
  rootHashBytes,
  toHex,
  writeBytes32,
  writeSum,
} from './liabilityHashes.js'
import { proveInclusion } from './proveInclusion.js'
import type { InclusionProof, LiabilityLeaf, LiabilityRoot } from './types.js'
import { assertInclusion, verifyInclusion } from './verifyInclusion.js'

const saltOf = (i: number): Hex => `0x${i.toString(16).padStart(64, '0')}`
const leavesOf = (amounts: readonly bigint[]): LiabilityLeaf[] =>
  amounts.map((amount, i) => ({ id: `member-${i}`, amount, salt: saltOf(i + 1) }))

const amounts = [100n, 250n, 0n, 7n, 1_000_000n, 42n]
const tree = buildLiabilityTree(leavesOf(amounts))
const proof = proveInclusion(tree, 'member-3')

/** The root hash over a top (hash, sum) for a tree of `leafCount` leaves, as the builder does. */
function rootOf(top: { hash: Hex; sum: bigint }, leafCount: number): LiabilityRoot {
  const record = new Uint8Array(RECORD_BYTES)
  writeBytes32(top.hash, record, 0)
  writeSum(new DataView(record.buffer), 32, top.sum)
  return { hash: toHex(rootHashBytes(leafCount, record, 0)), total: top.sum, leafCount }
}

const withSibling = (
  p: InclusionProof,
  k: number,
  change: Partial<{ hash: Hex; sum: bigint }>,
): InclusionProof => ({
  ...p,
  siblings: p.siblings.map((s, i) => (i === k ? { ...s, ...change } : s)),
})
const reasonOf = (p: InclusionProof, root: LiabilityRoot = tree.root) => {
  const verdict = verifyInclusion(p, root)
  return verdict.valid ? 'valid' : verdict.reason
}

describe('verifyInclusion', () => {
  it('accepts an honest proof and reports the leaf and total', () => {
    expect(verifyInclusion(proof, tree.root)).toEqual({ valid: true, leaf: proof.leaf, total: 1_000_399n })
    expect(proof.siblings).toHaveLength(3)
  })

  it('rejects a changed leaf amount', () => {
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, amount: 8n } })).toBe('hash-mismatch')
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, amount: 6n } })).toBe('hash-mismatch')
  })

  it('rejects a changed id or salt (the leaf hash commits to both)', () => {
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, id: 'member-4' } })).toBe('hash-mismatch')
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, salt: saltOf(99) } })).toBe('hash-mismatch')
  })

  it('rejects a changed sibling hash at every level', () => {
    for (let k = 0; k < proof.siblings.length; k++) {
      expect(reasonOf(withSibling(proof, k, { hash: saltOf(12345) }))).toBe('hash-mismatch')
    }
  })

  it('rejects a changed sibling sum at every level, up or down', () => {
    for (let k = 0; k < proof.siblings.length; k++) {
      const sum = (proof.siblings[k] as { sum: bigint }).sum
      expect(reasonOf(withSibling(proof, k, { sum: sum + 1n }))).toBe('hash-mismatch')
      if (sum > 0n) expect(reasonOf(withSibling(proof, k, { sum: sum - 1n }))).toBe('hash-mismatch')
    }
  })

  it('rejects value moved between the leaf and its sibling (total unchanged)', () => {
    // The parent's total stays 7 + 0 = 7: only a scheme that hashes each child's sum catches it.
    expect(proof.leaf.amount).toBe(7n)
    expect(proof.siblings[0]?.sum).toBe(0n)
    const moveToSibling = { ...withSibling(proof, 0, { sum: 3n }), leaf: { ...proof.leaf, amount: 4n } }
    const moveToLeaf = { ...withSibling(proof, 1, { sum: 349n }), leaf: { ...proof.leaf, amount: 8n } }
    expect(reasonOf(moveToSibling)).toBe('hash-mismatch')
    expect(reasonOf(moveToLeaf)).toBe('hash-mismatch')
  })

  it('rejects a negative leaf amount or sibling sum, and overflow', () => {
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, amount: -1n } })).toBe('negative-amount')
    expect(reasonOf({ ...proof, leaf: { ...proof.leaf, amount: 2n ** 128n } })).toBe('amount-overflow')
    expect(reasonOf(withSibling(proof, 1, { sum: -5n }))).toBe('negative-sibling-sum')
    expect(reasonOf(withSibling(proof, 1, { sum: 2n ** 128n }))).toBe('sum-overflow')
    // Each term is in range but the running sum is not: a wrap-around would hide value.
    expect(reasonOf(withSibling(proof, 2, { sum: 2n ** 128n - 1n }))).toBe('sum-overflow')
  })

  it('rejects a wrong root: other hash, other total, other leaf count', () => {
    expect(reasonOf(proof, { ...tree.root, hash: saltOf(7) })).toBe('hash-mismatch')
    expect(reasonOf(proof, { ...tree.root, total: tree.root.total + 1n })).toBe('total-mismatch')
    expect(reasonOf(proof, { ...tree.root, leafCount: 7 })).toBe('leaf-count-mismatch')
    const other = buildLiabilityTree(leavesOf([...amounts.slice(0, 5), 43n]))
    expect(reasonOf(proof, other.root)).toBe('hash-mismatch')
  })

  it('rejects a wrong index or path length', () => {
    expect(reasonOf({ ...proof, index: 2 })).toBe('hash-mismatch')
    expect(reasonOf({ ...proof, index: 6 })).toBe('index-out-of-range')
    expect(reasonOf({ ...proof, index: -1 })).toBe('index-out-of-range')
    expect(reasonOf({ ...proof, index: 1.5 })).toBe('index-out-of-range')
    expect(reasonOf({ ...proof, siblings: proof.siblings.slice(0, 2) })).toBe('path-length')
    expect(reasonOf({ ...proof, siblings: [...proof.siblings, { hash: saltOf(1), sum: 0n }] })).toBe(
      'path-length',
    )
    // A longer path with a matching leaf count claim still has to match the root's count.
    expect(
      reasonOf({ ...proof, leafCount: 9, siblings: [...proof.siblings, { hash: saltOf(1), sum: 0n }] }),
    ).toBe('leaf-count-mismatch')
  })

  it('rejects malformed input without throwing', () => {
    const bad = (p: unknown) => reasonOf(p as InclusionProof)
    expect(bad(null)).toBe('malformed-proof')
    expect(bad({ ...proof, leaf: { ...proof.leaf, amount: 7 } })).toBe('malformed-leaf')
    expect(bad({ ...proof, leaf: { ...proof.leaf, salt: '0x12' } })).toBe('malformed-leaf')
    expect(bad(withSibling(proof, 0, { hash: '0xzz' as Hex }))).toBe('malformed-sibling')
    expect(reasonOf(proof, { ...tree.root, total: -1n })).toBe('malformed-root')
  })

  it('handles the largest trees: 2^32 leaves, last index, 32 siblings', () => {
    // Built by hand from the node formula (a real tree this size would not fit in memory).
    const leafCount = 2 ** 32
    const index = leafCount - 1
    const leaf = { id: 'last', amount: 5n, salt: saltOf(3) }
    const siblings = Array.from({ length: 32 }, (_, k) => ({ hash: saltOf(100 + k), sum: BigInt(k) }))
    let node = { hash: hashLiabilityLeaf(leaf), sum: leaf.amount }
    for (const [k, sibling] of siblings.entries()) {
      const right = Math.floor(index / 2 ** k) % 2 === 1
      node = right ? hashLiabilityNode(sibling, node) : hashLiabilityNode(node, sibling)
    }
    const root = rootOf(node, leafCount)
    const big: InclusionProof = { leaf, index, leafCount, siblings }
    expect(verifyInclusion(big, root)).toMatchObject({ valid: true, total: 5n + 496n })
    expect(reasonOf({ ...big, index: index - 2 ** 31 }, root)).toBe('hash-mismatch')
    expect(reasonOf({ ...big, index: leafCount }, root)).toBe('index-out-of-range')
  })

  it("defeats the Maxwell attack: a root undercounting two siblings can't verify both", () => {
    // Maxwell's node hashed only the parent total, so an operator could commit the parent of a
    // (10) and b (6) with total 10 and hand a the sibling sum 0, b the sibling sum 4: both proofs
    // recompute the same parent. Here each child's sum is hashed, so the operator must pick one.
    const [a, b] = leavesOf([10n, 6n]) as [LiabilityLeaf, LiabilityLeaf]
    const ha = hashLiabilityLeaf(a)
    const hb = hashLiabilityLeaf(b)
    const forA = rootOf(hashLiabilityNode({ hash: ha, sum: 10n }, { hash: hb, sum: 0n }), 2)
    const forB = rootOf(hashLiabilityNode({ hash: ha, sum: 4n }, { hash: hb, sum: 6n }), 2)
    expect(forA.total).toBe(10n)
    expect(forB.total).toBe(10n)
    expect(forA.hash).not.toBe(forB.hash)
    const proofA: InclusionProof = { leaf: a, index: 0, leafCount: 2, siblings: [{ hash: hb, sum: 0n }] }
    const proofB: InclusionProof = { leaf: b, index: 1, leafCount: 2, siblings: [{ hash: ha, sum: 4n }] }
    // Under Maxwell's node hash both proofs recompute the same parent: the attack works there.
    const maxwellParent = (l: Hex, sl: bigint, r: Hex, sr: bigint) =>
      bytesToHex(sha256(concatBytes([numberToBytes(sl + sr, { size: 16 }), hexToBytes(l), hexToBytes(r)])))
    expect(maxwellParent(ha, 10n, hb, 0n)).toBe(maxwellParent(ha, 4n, hb, 6n))
    // Whichever undercounting root is published, one of the two members is rejected.
    for (const root of [forA, forB]) {
      const verdicts = [verifyInclusion(proofA, root).valid, verifyInclusion(proofB, root).valid]
      expect(verdicts).toContain(false)
    }
    // The honest root (total 16) verifies both.
    const honest = buildLiabilityTree([a, b])
    expect(honest.root.total).toBe(16n)
    expect(verifyInclusion(proveInclusion(honest, a.id), honest.root).valid).toBe(true)
    expect(verifyInclusion(proveInclusion(honest, b.id), honest.root).valid).toBe(true)
  })

  it('property: every leaf proof verifies and the root total is the sum of the leaves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 100n }), { minLength: 1, maxLength: 40 }),
        (values) => {
          const t = buildLiabilityTree(leavesOf(values))
          expect(t.root.total).toBe(values.reduce((s, v) => s + v, 0n))
          expect(t.root.leafCount).toBe(values.length)
          for (const leaf of t.leaves) {
            const p = proveInclusion(t, leaf.id)
            expect(verifyInclusion(p, t.root)).toEqual({ valid: true, leaf, total: t.root.total })
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('property: changing one sibling sum or the leaf amount is always rejected', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n }), { minLength: 2, maxLength: 20 }),
        fc.nat(),
        fc.nat(),
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).filter((d) => d !== 0n),
        (values, leafPick, levelPick, delta) => {
          const t = buildLiabilityTree(leavesOf(values))
          const p = proveInclusion(t, `member-${leafPick % values.length}`)
          const k = levelPick % p.siblings.length
          const sum = (p.siblings[k] as { sum: bigint }).sum
          expect(verifyInclusion(withSibling(p, k, { sum: sum + delta }), t.root).valid).toBe(false)
          expect(
            verifyInclusion({ ...p, leaf: { ...p.leaf, amount: p.leaf.amount + delta } }, t.root).valid,
          ).toBe(false)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('assertInclusion', () => {
  it('returns the leaf and total of a valid proof', () => {
    expect(assertInclusion(proof, tree.root)).toEqual({ leaf: proof.leaf, total: tree.root.total })
  })

  it('throws a clear error naming the reason', () => {
    const error = (() => {
      try {
        assertInclusion({ ...proof, index: 6 }, tree.root)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(InvalidInclusionProofError)
    expect((error as Error).message).toBe(
      'Inclusion proof rejected.\n\nDetails: index-out-of-range: Index 6 is not in [0, 6).\n\nHint: Check that the proof and the root are from the same commitment (same pool, same time).',
    )
  })
})
