import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256 } from '@noble/hashes/sha2'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { InvalidLiabilityLeafError } from './errors.js'
import { hasLoneSurrogate } from './hasLoneSurrogate.js'
import { hashLiabilityLeaf } from './liabilityHashes.js'
import { proveInclusion } from './proveInclusion.js'
import type { InclusionProof, LiabilityLeaf } from './types.js'
import { verifyInclusion } from './verifyInclusion.js'

// The test vectors of docs/solvency-proof.md. They are checked two ways: an implementation of the
// specification written here from the document alone (byte concatenation and SHA-256, nothing of
// the sdk's hashing code), and the sdk's builder, prover and verifier.
type VectorNode = { hash: Hex; sum: string; padding: boolean }
type Vectors = {
  format: string
  trees: {
    name: string
    leaves: { id: string; idUtf8: Hex; amount: string; salt: Hex; preimage: Hex }[]
    depth: number
    levels: VectorNode[][]
    root: { hash: Hex; total: string; leafCount: number; preimage: Hex }
    proofs: { id: string; index: number; siblings: { hash: Hex; sum: string }[] }[]
  }[]
  rejected: { idUtf16: string[]; reason: string }[]
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'solvency-proof-vectors.json'), 'utf8'),
) as Vectors

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
const hex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`
const u128 = (v: bigint) => bytes(`0x${v.toString(16).padStart(32, '0')}`)
const u64 = (v: number) => bytes(`0x${v.toString(16).padStart(16, '0')}`)
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))
const record = (n: { hash: Hex; sum: string }) => concat(bytes(n.hash), u128(BigInt(n.sum)))

/** The specification, section by section. */
const spec = {
  leafPreimage: (l: { id: string; amount: string; salt: Hex }) =>
    concat(Uint8Array.of(0x00), bytes(l.salt), u128(BigInt(l.amount)), new TextEncoder().encode(l.id)),
  node: (a: { hash: Hex; sum: string }, b: { hash: Hex; sum: string }) => ({
    hash: hex(sha256(concat(Uint8Array.of(0x01), record(a), record(b)))),
    sum: (BigInt(a.sum) + BigInt(b.sum)).toString(),
  }),
  rootPreimage: (leafCount: number, top: { hash: Hex; sum: string }) =>
    concat(Uint8Array.of(0x02), u64(leafCount), record(top)),
  depth: (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n))),
}

const leavesOf = (t: Vectors['trees'][number]): LiabilityLeaf[] =>
  t.leaves.map((l) => ({ id: l.id, amount: BigInt(l.amount), salt: l.salt }))

describe('solvency proof test vectors (docs/solvency-proof-vectors.json)', () => {
  it('has the format tag and trees of 0, 1, 2, 3 and 5 leaves', () => {
    expect(vectors.format).toBe('ballast-solvency-proof-vectors/1')
    expect(vectors.trees.map((t) => t.leaves.length)).toEqual([0, 1, 2, 3, 5])
  })

  for (const t of vectors.trees) {
    it(`${t.name}: the specification, implemented independently, gives every node and the root`, () => {
      const enc = new TextEncoder()
      expect(t.depth).toBe(spec.depth(t.leaves.length))
      t.leaves.forEach((l, i) => {
        expect(hex(enc.encode(l.id))).toBe(l.idUtf8)
        expect(hex(spec.leafPreimage(l))).toBe(l.preimage)
        expect(t.levels[0]![i]).toEqual({
          hash: hex(sha256(spec.leafPreimage(l))),
          sum: l.amount,
          padding: false,
        })
      })
      // Level 0 is padded on the right with the empty record to 2^depth entries.
      expect(t.levels[0]).toHaveLength(2 ** t.depth)
      for (const pad of t.levels[0]!.slice(t.leaves.length)) {
        expect(pad).toEqual({ hash: `0x${'00'.repeat(32)}`, sum: '0', padding: true })
      }
      for (let k = 1; k <= t.depth; k++) {
        const below = t.levels[k - 1]!
        expect(t.levels[k]).toHaveLength(below.length / 2)
        t.levels[k]!.forEach((n, i) => {
          expect({ hash: n.hash, sum: n.sum }).toEqual(spec.node(below[2 * i]!, below[2 * i + 1]!))
        })
      }
      const top = t.levels[t.depth]![0]!
      expect(hex(spec.rootPreimage(t.leaves.length, top))).toBe(t.root.preimage)
      expect(t.root.hash).toBe(hex(sha256(spec.rootPreimage(t.leaves.length, top))))
      expect(t.root.total).toBe(top.sum)
      // Proofs: sibling k is the other child at level k; bit k of the index says the side.
      for (const p of t.proofs) {
        const index = t.leaves.findIndex((l) => l.id === p.id)
        expect(p.index).toBe(index)
        expect(p.siblings).toEqual(
          t.levels.slice(0, t.depth).map((lvl, k) => {
            const s = lvl[(index >> k) ^ 1]!
            return { hash: s.hash, sum: s.sum }
          }),
        )
      }
    })

    it(`${t.name}: the sdk builds the same tree, proves the same paths and verifies them`, () => {
      const tree = buildLiabilityTree(leavesOf(t))
      expect({ ...tree.root, total: tree.root.total.toString() }).toEqual({
        hash: t.root.hash,
        total: t.root.total,
        leafCount: t.root.leafCount,
      })
      expect(tree.depth).toBe(t.depth)
      const root = { hash: t.root.hash, total: BigInt(t.root.total), leafCount: t.root.leafCount }
      leavesOf(t).forEach((leaf, i) => {
        expect(hashLiabilityLeaf(leaf)).toBe(t.levels[0]![i]!.hash)
      })
      for (const p of t.proofs) {
        const mine = proveInclusion(tree, p.id)
        expect(mine.siblings.map((s) => ({ hash: s.hash, sum: s.sum.toString() }))).toEqual(p.siblings)
        const fromFile: InclusionProof = {
          leaf: leavesOf(t).find((l) => l.id === p.id)!,
          index: p.index,
          leafCount: t.root.leafCount,
          siblings: p.siblings.map((s) => ({ hash: s.hash, sum: BigInt(s.sum) })),
        }
        expect(verifyInclusion(fromFile, root).valid).toBe(true)
      }
    })
  }
})

describe('ids with lone surrogates', () => {
  const lone = vectors.rejected
    .filter((r) => r.reason.includes('surrogate'))
    .map((r) => String.fromCharCode(...r.idUtf16.map((u) => Number.parseInt(u, 16))))
  const salt: Hex = `0x${'11'.repeat(32)}`

  it('would collide: both encode to U+FFFD', () => {
    const enc = new TextEncoder()
    expect(hex(enc.encode('a\uD800b'))).toBe(hex(enc.encode('a\uDBFFb')))
    expect(hex(enc.encode('a\uD800b'))).toBe(hex(enc.encode('a\uFFFDb')))
    expect(lone).toHaveLength(2)
    for (const id of lone) expect(hasLoneSurrogate(id)).toBe(true)
    expect(hasLoneSurrogate('💰 \uFFFD café')).toBe(false)
  })

  it('are rejected by the builder, the leaf hash and the verifier with a clear error', () => {
    for (const id of lone) {
      expect(() => buildLiabilityTree([{ id, amount: 1n, salt }])).toThrow(InvalidLiabilityLeafError)
      expect(() => buildLiabilityTree([{ id, amount: 1n, salt }])).toThrow(
        'Invalid liability leaf: id has a lone surrogate.',
      )
      expect(() => hashLiabilityLeaf({ id, amount: 1n, salt })).toThrow('not well-formed UTF-16')
    }
    // A proof of a well-formed leaf, replayed with a lone-surrogate id that encodes the same.
    const tree = buildLiabilityTree([
      { id: 'a\uFFFDb', amount: 5n, salt },
      { id: 'c', amount: 6n, salt },
    ])
    const proof = proveInclusion(tree, 'a\uFFFDb')
    expect(verifyInclusion(proof, tree.root).valid).toBe(true)
    const forged = { ...proof, leaf: { ...proof.leaf, id: 'a\uD800b' } }
    expect(verifyInclusion(forged, tree.root)).toEqual({
      valid: false,
      reason: 'malformed-leaf',
      message: 'The leaf id has a lone surrogate: it has no UTF-8 encoding.',
    })
  })
})
