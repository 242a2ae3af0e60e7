import type { Hex } from 'viem'

/**
 * One liability in the tree: a member's, or one account's of a member that supplies them.
 *
 * `amount` is a USD fixed-point bigint in the same unit as the adjusted reserves it is compared
 * with (see `checkSolvency`), in `[0, 2^128)`. `salt` is 32 secret random bytes given only to the
 * leaf's owner: without it a neighbour who sees this leaf's hash as a sibling cannot test guesses
 * of the id and amount (see `randomLeafSalt`, `deriveLeafSalt`).
 */
export type LiabilityLeaf = {
  /** Unique id in the tree, e.g. a member id, or `memberId/account` (see `liabilityLeafId`). */
  readonly id: string
  /** Liability in USD fixed point, `0 <= amount < 2^128`. */
  readonly amount: bigint
  /** 32-byte secret per-leaf salt, 0x-prefixed hex. */
  readonly salt: Hex
}

/**
 * The public commitment to all liabilities: the root hash, the total it commits to, and the
 * number of leaves (which fixes the depth of every proof).
 */
export type LiabilityRoot = {
  /** `sha256(0x02 || leafCount || topHash || total)`, 0x-prefixed hex. */
  readonly hash: Hex
  /** Sum of every leaf amount. */
  readonly total: bigint
  /** Number of real leaves (padding excluded). */
  readonly leafCount: number
}

/** A sibling on the path from a leaf to the root: its hash and the sum it commits to. */
export type ProofSibling = {
  readonly hash: Hex
  readonly sum: bigint
}

/**
 * Proof that `leaf` is counted in the tree with root `root`: the siblings from the leaf's level
 * up to just below the top. Bit `k` of `index` says whether the path node at level `k` is a right
 * child (1) or a left child (0).
 */
export type InclusionProof = {
  readonly leaf: LiabilityLeaf
  /** Position of the leaf, `0 <= index < leafCount`. */
  readonly index: number
  /** Number of leaves of the tree; the path has `ceil(log2(leafCount))` siblings. */
  readonly leafCount: number
  /** Siblings, leaf level first. */
  readonly siblings: readonly ProofSibling[]
}
