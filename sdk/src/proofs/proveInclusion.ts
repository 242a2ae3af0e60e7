import type { LiabilityTree } from './buildLiabilityTree.js'
import { LiabilityLeafNotFoundError } from './errors.js'
import { RECORD_BYTES, readSum, toHex } from './liabilityHashes.js'
import type { InclusionProof, ProofSibling } from './types.js'

/**
 * The inclusion proof of one leaf: its leaf (id, amount, salt), index, the leaf count and the
 * (hash, sum) of each sibling on the path to the root. Give it to the leaf's owner only: it
 * carries the leaf's salt.
 *
 * @param tree - a tree from `buildLiabilityTree`
 * @param id - the leaf id
 * @returns the proof, verifiable with `verifyInclusion(proof, tree.root)`
 * @throws {LiabilityLeafNotFoundError} when no leaf has this id
 * @example
 * ```ts
 * const proof = proveInclusion(tree, 'alice')
 * verifyInclusion(proof, tree.root).valid // true
 * ```
 */
export function proveInclusion(tree: LiabilityTree, id: string): InclusionProof {
  const index = tree.indexById.get(id)
  const leaf = index === undefined ? undefined : tree.leaves[index]
  if (index === undefined || leaf === undefined) {
    throw new LiabilityLeafNotFoundError('Liability leaf not found.', {
      details: `no leaf has id ${JSON.stringify(id)} (the tree has ${tree.root.leafCount} leaves)`,
      metaMessages: ['Use the id the tree was built with, e.g. memberId or memberId/account.'],
    })
  }
  const siblings: ProofSibling[] = []
  let position = index
  for (let k = 0; k < tree.depth; k++) {
    const level = tree.levels[k] as Uint8Array
    const sibling = position % 2 === 0 ? position + 1 : position - 1
    const inLevel = (sibling + 1) * RECORD_BYTES <= level.length
    const buffer = inLevel ? level : (tree.padding[k] as Uint8Array)
    const offset = inLevel ? sibling * RECORD_BYTES : 0
    siblings.push({
      hash: toHex(buffer.subarray(offset, offset + 32)),
      sum: readSum(new DataView(buffer.buffer, buffer.byteOffset), offset + 32),
    })
    position >>>= 1
  }
  return { leaf, index, leafCount: tree.root.leafCount, siblings }
}
