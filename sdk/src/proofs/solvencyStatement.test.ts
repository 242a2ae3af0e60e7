import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { InvalidProofJsonError } from './errors.js'
import { liabilityLeaves } from './liabilityLeaves.js'
import { proveInclusion } from './proveInclusion.js'
import {
  parseSolvencyStatement,
  type SolvencyStatement,
  serializeSolvencyStatement,
  verifySolvencyStatement,
} from './solvencyStatement.js'

const usd = (x: bigint) => x * 10n ** 18n
const member = `0x${'0a'.repeat(32)}`
const tree = buildLiabilityTree(
  liabilityLeaves(
    [
      { memberId: member, liability: usd(700n) },
      { memberId: `0x${'0b'.repeat(32)}`, liability: usd(300n) },
    ],
    `0x${'77'.repeat(32)}`,
  ),
)
const statement: SolvencyStatement = {
  poolId: 'pool-1',
  timestamp: 1_760_000_000,
  root: tree.root,
  reserves: { adjustedReservesUsd: usd(1100n), blocks: [{ chainId: 1, blockNumber: 21_000_000n }] },
  proof: proveInclusion(tree, member),
}

describe('solvency statements', () => {
  it('round-trip through JSON text and verify on "another machine"', () => {
    const text = JSON.stringify(serializeSolvencyStatement(statement), null, 2)
    const again = parseSolvencyStatement(text)
    expect(serializeSolvencyStatement(again)).toEqual(serializeSolvencyStatement(statement))
    const verdict = verifySolvencyStatement(again)
    expect(verdict.ok).toBe(true)
    expect(verdict.inclusion).toMatchObject({ valid: true, total: usd(1000n) })
    expect(verdict.solvency).toMatchObject({ status: 'solvent', surplus: usd(100n) })
  })

  it('is not ok when the proof is tampered with or reserves fall short', () => {
    const json = serializeSolvencyStatement(statement)
    const proof = json.proof as NonNullable<typeof json.proof>
    const tampered = { ...json, proof: { ...proof, leaf: { ...proof.leaf, amount: '1' } } }
    const verdict = verifySolvencyStatement(parseSolvencyStatement(tampered))
    expect(verdict.ok).toBe(false)
    expect(verdict.inclusion).toMatchObject({ valid: false, reason: 'hash-mismatch' })
    const short = { ...statement, reserves: { ...statement.reserves, adjustedReservesUsd: usd(999n) } }
    expect(verifySolvencyStatement(short)).toMatchObject({ ok: false, solvency: { status: 'insolvent' } })
  })

  it('works without a proof or context (a pool-level commitment)', () => {
    const { root, reserves } = statement
    const json = serializeSolvencyStatement({ root, reserves })
    expect(Object.keys(json)).toEqual(['format', 'root', 'reserves'])
    expect(verifySolvencyStatement(parseSolvencyStatement(json))).toMatchObject({ ok: true, inclusion: null })
  })

  it('names the bad nested field', () => {
    const json = serializeSolvencyStatement(statement)
    const proof = json.proof as NonNullable<typeof json.proof>
    const badSibling = {
      ...json,
      proof: { ...proof, siblings: [{ hash: proof.siblings[0]?.hash, sum: 'x' }] },
    }
    expect(() => parseSolvencyStatement(badSibling)).toThrowError(InvalidProofJsonError)
    expect(() => parseSolvencyStatement(badSibling)).toThrowError(
      'Invalid solvency statement JSON: bad proof.siblings[0].sum.',
    )
    const badBlock = { ...json, reserves: { ...json.reserves, blocks: [{ chainId: 1, blockNumber: 5 }] } }
    expect(() => parseSolvencyStatement(badBlock)).toThrowError(
      /reserves\.blocks\[0\]\.blockNumber is number 5/,
    )
    expect(() => parseSolvencyStatement({ ...json, root: { ...json.root, total: '-1' } })).toThrowError(
      /bad root\.total/,
    )
  })
})
