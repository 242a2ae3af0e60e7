import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLiabilityTree } from './buildLiabilityTree.js'
import { checkSolvency } from './checkSolvency.js'
import { InvalidLiabilityRootError, InvalidReservesError } from './errors.js'

const saltOf = (i: number): Hex => `0x${i.toString(16).padStart(64, '0')}`
const usd = (x: bigint) => x * 10n ** 18n
const tree = buildLiabilityTree([
  { id: 'a', amount: usd(600n), salt: saltOf(1) },
  { id: 'b', amount: usd(400n), salt: saltOf(2) },
])
const blocks = [
  { chainId: 8453, blockNumber: 200n },
  { chainId: 1, blockNumber: 100n },
]

describe('checkSolvency', () => {
  it('is solvent when adjusted reserves cover the root total', () => {
    expect(checkSolvency(tree.root, { adjustedReservesUsd: usd(1250n), blocks })).toEqual({
      status: 'solvent',
      liabilities: usd(1000n),
      adjustedReserves: usd(1250n),
      surplus: usd(250n),
      ratioWad: 1_250_000_000_000_000_000n,
      rootHash: tree.root.hash,
      blocks: [
        { chainId: 1, blockNumber: 100n },
        { chainId: 8453, blockNumber: 200n },
      ],
    })
  })

  it('is solvent at exactly 100 % and insolvent one unit below', () => {
    expect(checkSolvency(tree.root, { adjustedReservesUsd: usd(1000n), blocks }).status).toBe('solvent')
    const short = checkSolvency(tree.root, { adjustedReservesUsd: usd(1000n) - 1n, blocks })
    expect(short.status).toBe('insolvent')
    expect(short.surplus).toBe(-1n)
    expect(short.ratioWad).toBe(999_999_999_999_999_999n)
  })

  it('has no ratio without liabilities', () => {
    const empty = buildLiabilityTree([])
    expect(checkSolvency(empty.root, { adjustedReservesUsd: 0n, blocks })).toMatchObject({
      status: 'solvent',
      ratioWad: null,
    })
  })

  it('rejects negative reserves, missing or repeated chains and bad block numbers', () => {
    expect(() => checkSolvency(tree.root, { adjustedReservesUsd: -1n, blocks })).toThrowError(
      'Invalid adjusted reserves.\n\nDetails: adjustedReservesUsd is -1; expected a bigint >= 0',
    )
    expect(() => checkSolvency(tree.root, { adjustedReservesUsd: 1n, blocks: [] })).toThrowError(
      InvalidReservesError,
    )
    expect(() =>
      checkSolvency(tree.root, {
        adjustedReservesUsd: 1n,
        blocks: [...blocks, { chainId: 1, blockNumber: 5n }],
      }),
    ).toThrowError('Chain listed twice.\n\nDetails: chain 1 appears more than once in blocks')
    expect(() =>
      checkSolvency(tree.root, {
        adjustedReservesUsd: 1n,
        blocks: [{ chainId: 1, blockNumber: 5 as unknown as bigint }],
      }),
    ).toThrowError(/blocks\[0\]\.blockNumber \(chain 1\) is 5; expected a bigint >= 0/)
    expect(() =>
      checkSolvency(tree.root, { adjustedReservesUsd: 1n, blocks: [{ chainId: 0, blockNumber: 5n }] }),
    ).toThrowError('Invalid chain id.')
  })

  it('rejects a malformed root', () => {
    expect(() =>
      checkSolvency({ ...tree.root, total: -5n }, { adjustedReservesUsd: 1n, blocks }),
    ).toThrowError(InvalidLiabilityRootError)
    expect(() =>
      checkSolvency({ ...tree.root, hash: '0x00' }, { adjustedReservesUsd: 1n, blocks }),
    ).toThrowError(/root \{"hash":"0x00","total":"1000000000000000000000n","leafCount":2\}/)
  })
})
