import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import {
  buildLiabilityTree,
  type LiabilityTree,
  liabilityLeaves,
  proveInclusion,
  type SolvencyStatement,
  serializeSolvencyStatement,
  verifySolvencyStatement,
} from '@ballast/sdk/proofs'

/** A member's solvency proof, as the API serves it. */
export type MemberSolvencyProof = {
  /** Root hash of the pool's Merkle-sum liability tree. */
  root: `0x${string}`
  /** Root total: the pool's liabilities in USD (18 decimals). */
  rootSum: bigint
  /** The pool's adjusted reserves (USD, 18 decimals) at the same blocks. */
  adjustedReservesUsd: bigint
  /** The sdk's solvency statement (root, reserves at blocks, inclusion proof) as JSON. */
  json: string
  /** Whether the sdk's verifier accepts the proof against the root. */
  verified: boolean
}

const trees = new WeakMap<PoolEvaluation, LiabilityTree>()

/**
 * Builds (once per pool evaluation) the Merkle-sum tree over the pool members' liabilities in USD
 * and proves one member's inclusion, with the solvency verdict of the root against the pool's
 * adjusted reserves at the state's blocks (sdk `liabilityLeaves`, `buildLiabilityTree`,
 * `proveInclusion`, `checkSolvency`).
 *
 * Liabilities here are on-chain supplies, public anyway; the salts only keep sibling sums from
 * revealing which member they belong to. Use a fixed `secret` so proofs of the same state are
 * reproducible across restarts.
 *
 * @param state - the pool state (blocks of the reserves).
 * @param figures - the pool's figures (member liabilities, adjusted reserves).
 * @param memberId - whose inclusion to prove.
 * @param secret - salt secret (>= 32 bytes hex).
 * @returns the proof and its checks.
 * @example
 * ```ts
 * solvencyProofOf(state, figures, memberId, secret).verified // true
 * ```
 */
export function solvencyProofOf(
  state: PoolState,
  figures: PoolEvaluation,
  memberId: string,
  secret: `0x${string}`,
): MemberSolvencyProof {
  let tree = trees.get(figures)
  if (tree === undefined) {
    tree = buildLiabilityTree(
      liabilityLeaves(
        figures.members.map((m) => ({ memberId: m.memberId, liability: m.liabilitiesUsd })),
        secret,
      ),
    )
    trees.set(figures, tree)
  }
  const statement: SolvencyStatement = {
    poolId: figures.poolId,
    timestamp: state.timestamp,
    root: tree.root,
    reserves: {
      adjustedReservesUsd: figures.adjustedReservesUsd,
      blocks: state.blocks.map((b) => ({ chainId: b.chainId, blockNumber: b.blockNumber })),
    },
    proof: proveInclusion(tree, memberId),
  }
  const verdict = verifySolvencyStatement(statement)
  const json = JSON.stringify(serializeSolvencyStatement(statement))
  return {
    root: tree.root.hash,
    rootSum: tree.root.total,
    adjustedReservesUsd: figures.adjustedReservesUsd,
    json,
    verified: verdict.inclusion?.valid === true,
  }
}
