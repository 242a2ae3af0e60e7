import fc from 'fast-check'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { InvalidProofJsonError } from './errors.js'
import { proveInclusion } from './proveInclusion.js'
import { parseProof, parseRoot, serializeProof, serializeRoot } from './serializeProof.js'
import { verifyInclusion } from './verifyInclusion.js'

const saltOf = (i: number): Hex => `0x${i.toString(16).padStart(64, 'A')}`
const leaves = [5n, 2n ** 127n, 0n].map((amount, i) => ({ id: `m${i}`, amount, salt: saltOf(i) }))
const tree = buildLiabilityTree(leaves)
const proof = proveInclusion(tree, 'm1')
const json = serializeProof(proof)

const parseError = (input: unknown, parse: (x: unknown) => unknown = parseProof): Error => {
  try {
    parse(input)
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}

describe('serializeProof / parseProof', () => {
  it('writes bigints as decimal strings and hex in lower case', () => {
    expect(json.format).toBe('ballast-liability-inclusion/sha256/v1')
    expect(json.leaf.amount).toBe('170141183460469231731687303715884105728')
    expect(json.leaf.salt).toBe(saltOf(1).toLowerCase())
    expect(json.siblings.map((s) => s.sum)).toEqual(['5', '0'])
  })

  it('round-trips through JSON text and still verifies', () => {
    const text = JSON.stringify(json)
    const again = parseProof(text)
    expect(serializeProof(again)).toEqual(json)
    expect(parseProof(JSON.parse(text))).toEqual(again)
    const root = parseRoot(JSON.stringify(serializeRoot(tree.root)))
    expect(root).toEqual({ ...tree.root, hash: tree.root.hash.toLowerCase() })
    expect(verifyInclusion(again, root).valid).toBe(true)
  })

  it('property: every proof of any tree round-trips and verifies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 120n }), { minLength: 1, maxLength: 12 }),
        (values) => {
          const t = buildLiabilityTree(
            values.map((amount, i) => ({ id: `id-${i}`, amount, salt: saltOf(i) })),
          )
          const root = parseRoot(JSON.stringify(serializeRoot(t.root)))
          for (const leaf of t.leaves) {
            const p = proveInclusion(t, leaf.id)
            const back = parseProof(JSON.stringify(serializeProof(p)))
            expect(back.leaf.amount).toBe(leaf.amount)
            expect(verifyInclusion(back, root).valid).toBe(true)
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('names the bad field: not JSON, wrong format, bad amount, bad hash, bad index', () => {
    expect(parseError('{nope')).toBeInstanceOf(InvalidProofJsonError)
    expect(parseError('{nope').message).toMatch(/^Invalid inclusion proof JSON: not JSON\./)
    expect(parseError({ ...json, format: 'other/v9' }).message).toBe(
      'Invalid inclusion proof JSON: bad format.\n\nDetails: format is "other/v9", expected "ballast-liability-inclusion/sha256/v1"\n\nHint: Produce the file with the same Ballast version (the serialize* functions of @ballast/sdk/proofs).',
    )
    expect(parseError({ ...json, leaf: { ...json.leaf, amount: '-5' } }).message).toContain(
      'leaf.amount is "-5", not a decimal string',
    )
    expect(parseError({ ...json, leaf: { ...json.leaf, amount: 5 } }).message).toContain(
      'leaf.amount is number 5, not a decimal string',
    )
    expect(parseError({ ...json, leaf: { ...json.leaf, amount: '007' } }).message).toContain(
      'bad leaf.amount',
    )
    expect(
      parseError({ ...json, leaf: { ...json.leaf, amount: (2n ** 128n).toString() } }).message,
    ).toContain('is not below 2^128')
    const siblings = [{ hash: '0x1234', sum: '1' }]
    expect(parseError({ ...json, siblings }).message).toContain(
      'siblings[0].hash is "0x1234", not 32 bytes of hex',
    )
    expect(parseError({ ...json, siblings: 'x' }).message).toContain('bad siblings')
    const long = Array.from({ length: 33 }, () => json.siblings[0])
    expect(parseError({ ...json, siblings: long }).message).toContain(
      'siblings has 33 entries; a path has at most 32',
    )
    expect(parseError({ ...json, index: 1.5 }).message).toContain('bad index')
    expect(parseError({ ...json, leafCount: 0 }).message).toContain('bad leafCount')
    expect(parseError({ ...json, leaf: { ...json.leaf, id: '' } }).message).toContain('bad leaf.id')
    expect(parseError([]).message).toContain('proof is an array, not an object')
  })

  it('parseRoot checks its fields too', () => {
    const root = serializeRoot(tree.root)
    expect(parseError({ ...root, total: '1e3' }, parseRoot).message).toContain('bad total')
    expect(parseError({ ...root, hash: 'abc' }, parseRoot).message).toContain('bad hash')
    expect(parseError({ ...root, format: json.format }, parseRoot).message).toContain('bad format')
  })
})
