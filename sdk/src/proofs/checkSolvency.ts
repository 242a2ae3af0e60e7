import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT } from './constants.js'
import { InvalidLiabilityRootError, InvalidReservesError } from './errors.js'
import type { LiabilityRoot } from './types.js'

/** The chain state the reserves were read at: one block per chain. */
export type ReserveBlock = {
  /** EVM chain id. */
  readonly chainId: number
  /** Block number the reserves of this chain were read at. */
  readonly blockNumber: bigint
}

/**
 * Adjusted reserves to compare with a liability root: `AR = sum over members, chains and assets
 * of R * P * (1 - h)`, in the same USD fixed point as the tree's amounts, and the blocks they were
 * read at.
 */
export type AdjustedReserves = {
  /** Haircut-adjusted reserves in USD fixed point (same unit as the leaf amounts). */
  readonly adjustedReservesUsd: bigint
  /** The block per chain the reserves were read at; one entry per chain, at least one. */
  readonly blocks: readonly ReserveBlock[]
}

/** The verdict of `checkSolvency`. */
export type SolvencyVerdict = {
  /** `'solvent'` when adjusted reserves cover the root total, else `'insolvent'`. */
  readonly status: 'solvent' | 'insolvent'
  /** The root total (all committed liabilities). */
  readonly liabilities: bigint
  /** The adjusted reserves compared with it. */
  readonly adjustedReserves: bigint
  /** `adjustedReserves - liabilities`: negative is the shortfall. */
  readonly surplus: bigint
  /** `adjustedReserves * 10^18 / liabilities` rounded down (1e18 = 100 %); `null` with no liabilities. */
  readonly ratioWad: bigint | null
  /** The root hash the verdict is about. */
  readonly rootHash: LiabilityRoot['hash']
  /** The blocks the reserves were read at, sorted by chain id. */
  readonly blocks: readonly ReserveBlock[]
}

const WAD = 10n ** 18n

/**
 * Compares the total of a liability root with adjusted reserves read at stated blocks.
 *
 * Formula: solvent iff `AR >= L`, where `L` is the root total; ratio `AR / L` as an 18-decimal
 * fixed point, rounded down. The liabilities side is what the tree proves (each owner checks their
 * leaf); the reserves side is trusted to the chain state at `blocks`: anyone can re-read it there.
 *
 * @param root - the liability root (from `buildLiabilityTree` or `parseRoot`)
 * @param reserves - adjusted reserves and the block per chain they were read at
 * @returns the typed verdict
 * @throws {InvalidLiabilityRootError} when the root is malformed
 * @throws {InvalidReservesError} when reserves are negative or the blocks are missing or repeated
 * @example
 * ```ts
 * const verdict = checkSolvency(tree.root, {
 *   adjustedReservesUsd: 1_200n * 10n ** 18n,
 *   blocks: [{ chainId: 1, blockNumber: 21_000_000n }],
 * })
 * verdict.status // 'solvent' when reserves cover the total
 * ```
 */
export function checkSolvency(root: LiabilityRoot, reserves: AdjustedReserves): SolvencyVerdict {
  if (
    typeof root !== 'object' ||
    root === null ||
    typeof root.hash !== 'string' ||
    !BYTES32_HEX.test(root.hash) ||
    typeof root.total !== 'bigint' ||
    root.total < 0n ||
    root.total >= LIABILITY_SUM_BOUND ||
    !Number.isInteger(root.leafCount) ||
    root.leafCount < 0 ||
    root.leafCount > MAX_LIABILITY_LEAF_COUNT
  ) {
    throw new InvalidLiabilityRootError('Invalid liability root.', {
      details: `root ${describeRoot(root)} needs a 32-byte hex hash, a bigint total in [0, 2^128) and an integer leaf count`,
      metaMessages: ['Use the root of buildLiabilityTree, or parseRoot on its JSON.'],
    })
  }
  const ar = reserves?.adjustedReservesUsd
  if (typeof ar !== 'bigint' || ar < 0n) {
    throw new InvalidReservesError('Invalid adjusted reserves.', {
      details: `adjustedReservesUsd is ${typeof ar === 'bigint' ? ar : typeof ar}; expected a bigint >= 0`,
      metaMessages: ['Pass the haircut-adjusted reserves in USD fixed point, the unit of the leaf amounts.'],
    })
  }
  if (!Array.isArray(reserves.blocks) || reserves.blocks.length === 0) {
    throw new InvalidReservesError('Reserves without blocks.', {
      details: 'blocks is empty or not an array',
      metaMessages: ['State the block each chain was read at: [{ chainId, blockNumber }].'],
    })
  }
  const seen = new Set<number>()
  for (const [i, block] of reserves.blocks.entries()) {
    const { chainId, blockNumber } = block ?? {}
    if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0) {
      throw new InvalidReservesError('Invalid chain id.', {
        details: `blocks[${i}].chainId is ${String(chainId)}; expected a positive integer`,
        metaMessages: ['Use the EVM chain id, e.g. 1 for Ethereum.'],
      })
    }
    if (typeof blockNumber !== 'bigint' || blockNumber < 0n) {
      throw new InvalidReservesError('Invalid block number.', {
        details: `blocks[${i}].blockNumber (chain ${chainId}) is ${String(blockNumber)}; expected a bigint >= 0`,
        metaMessages: ['Block numbers are bigints, as viem returns them.'],
      })
    }
    if (seen.has(chainId)) {
      throw new InvalidReservesError('Chain listed twice.', {
        details: `chain ${chainId} appears more than once in blocks`,
        metaMessages: ['Read each chain at one block and list it once.'],
      })
    }
    seen.add(chainId)
  }
  const blocks = reserves.blocks
    .map(({ chainId, blockNumber }) => ({ chainId, blockNumber }))
    .sort((a, b) => a.chainId - b.chainId)
  return {
    status: ar >= root.total ? 'solvent' : 'insolvent',
    liabilities: root.total,
    adjustedReserves: ar,
    surplus: ar - root.total,
    ratioWad: root.total === 0n ? null : (ar * WAD) / root.total,
    rootHash: root.hash,
    blocks,
  }
}

function describeRoot(root: unknown): string {
  try {
    return JSON.stringify(root, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))
  } catch {
    return String(root)
  }
}
