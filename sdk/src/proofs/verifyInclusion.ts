import type { Hex } from 'viem'
import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT } from './constants.js'
import { InvalidInclusionProofError } from './errors.js'
import { hasLoneSurrogate } from './hasLoneSurrogate.js'
import {
  leafHashBytes,
  nodeHashBytes,
  RECORD_BYTES,
  rootHashBytes,
  toHex,
  treeDepth,
  writeBytes32,
  writeSum,
} from './liabilityHashes.js'
import type { InclusionProof, LiabilityLeaf, LiabilityRoot } from './types.js'

/** Why a proof was rejected. */
export type InclusionFailureReason =
  | 'malformed-root'
  | 'malformed-proof'
  | 'malformed-leaf'
  | 'negative-amount'
  | 'amount-overflow'
  | 'malformed-sibling'
  | 'negative-sibling-sum'
  | 'sum-overflow'
  | 'leaf-count-mismatch'
  | 'index-out-of-range'
  | 'path-length'
  | 'hash-mismatch'
  | 'total-mismatch'

/** The verdict of `verifyInclusion`: valid, or rejected with a reason and a readable message. */
export type InclusionVerdict =
  | {
      readonly valid: true
      /** The verified leaf: counted in `total`. */
      readonly leaf: LiabilityLeaf
      /** The root total the leaf is counted in. */
      readonly total: bigint
    }
  | {
      readonly valid: false
      readonly reason: InclusionFailureReason
      readonly message: string
    }

const reject = (reason: InclusionFailureReason, message: string): InclusionVerdict => ({
  valid: false,
  reason,
  message,
})

const isIndex = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max

/**
 * Checks that a leaf is counted in a liability root, with nothing but the proof and the root.
 *
 * Recomputes the path: start from the leaf record `(sha256(0x00 || salt || amount || id), amount)`,
 * at level `k` combine with sibling `k` on the side given by bit `k` of `index`, as
 * `(sha256(0x01 || h_l || s_l || h_r || s_r), s_l + s_r)`, then the root hash
 * `sha256(0x02 || leafCount || h_top || s_top)`. Accepts only if the hash and total equal the
 * root's, the path has `ceil(log2(leafCount))` siblings, `index < leafCount`, and every amount and
 * sum is in `[0, 2^128)`.
 *
 * What a valid proof shows: the leaf's amount is one of the non-negative terms of the root total,
 * at its own position (two owners can never both verify one position). So if every owner checks
 * their proof against the same published root, the total is at least the sum of their amounts.
 *
 * Never throws: malformed input is a rejection too (see {@link assertInclusion} to throw).
 *
 * @param proof - the proof, e.g. from `proveInclusion` or `parseProof`
 * @param root - the published root, e.g. from `parseRoot`
 * @returns `{ valid: true, leaf, total }` or `{ valid: false, reason, message }`
 * @example
 * ```ts
 * const verdict = verifyInclusion(proof, root)
 * if (!verdict.valid) console.error(verdict.reason, verdict.message)
 * ```
 */
export function verifyInclusion(proof: InclusionProof, root: LiabilityRoot): InclusionVerdict {
  if (
    typeof root !== 'object' ||
    root === null ||
    typeof root.hash !== 'string' ||
    !BYTES32_HEX.test(root.hash) ||
    typeof root.total !== 'bigint' ||
    root.total < 0n ||
    root.total >= LIABILITY_SUM_BOUND ||
    !isIndex(root.leafCount, MAX_LIABILITY_LEAF_COUNT)
  ) {
    return reject('malformed-root', 'The root needs a 32-byte hash, a total in [0, 2^128) and a leaf count.')
  }
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.siblings)) {
    return reject('malformed-proof', 'The proof needs a leaf, an index, a leaf count and siblings.')
  }
  const { leaf, index, leafCount, siblings } = proof
  if (typeof leaf !== 'object' || leaf === null || typeof leaf.id !== 'string' || leaf.id === '') {
    return reject('malformed-leaf', 'The leaf needs a non-empty string id.')
  }
  if (typeof leaf.amount !== 'bigint') return reject('malformed-leaf', 'The leaf amount is not a bigint.')
  if (leaf.amount < 0n) return reject('negative-amount', `The leaf amount ${leaf.amount} is negative.`)
  if (leaf.amount >= LIABILITY_SUM_BOUND) {
    return reject('amount-overflow', `The leaf amount ${leaf.amount} is not below 2^128.`)
  }
  if (typeof leaf.salt !== 'string' || !BYTES32_HEX.test(leaf.salt)) {
    return reject('malformed-leaf', 'The leaf salt is not 32 bytes of hex.')
  }
  if (!isIndex(leafCount, MAX_LIABILITY_LEAF_COUNT) || leafCount !== root.leafCount) {
    return reject(
      'leaf-count-mismatch',
      `The proof is for a tree of ${String(leafCount)} leaves; the root has ${root.leafCount}.`,
    )
  }
  if (!isIndex(index, MAX_LIABILITY_LEAF_COUNT) || index >= leafCount) {
    return reject('index-out-of-range', `Index ${String(index)} is not in [0, ${leafCount}).`)
  }
  const depth = treeDepth(leafCount)
  if (siblings.length !== depth) {
    return reject(
      'path-length',
      `The proof has ${siblings.length} siblings; a tree of ${leafCount} leaves needs ${depth}.`,
    )
  }

  if (hasLoneSurrogate(leaf.id)) {
    return reject('malformed-leaf', 'The leaf id has a lone surrogate: it has no UTF-8 encoding.')
  }
  const leafHash = leafHashBytes(leaf.id, leaf.amount, leaf.salt)
  if (leafHash === undefined) return reject('malformed-leaf', 'The leaf id is over 512 UTF-8 bytes.')
  // `current` and `sibling` are 48-byte records; the running sum is kept as a bigint.
  const current = new Uint8Array(RECORD_BYTES)
  const currentView = new DataView(current.buffer)
  const sibling = new Uint8Array(RECORD_BYTES)
  const siblingView = new DataView(sibling.buffer)
  current.set(leafHash, 0)
  let sum = leaf.amount
  writeSum(currentView, 32, sum)
  let position = index
  for (let k = 0; k < depth; k++) {
    const s = siblings[k]
    if (typeof s !== 'object' || s === null || typeof s.hash !== 'string' || typeof s.sum !== 'bigint') {
      return reject('malformed-sibling', `Sibling ${k} needs a hash and a bigint sum.`)
    }
    if (!BYTES32_HEX.test(s.hash) || !writeBytes32(s.hash, sibling, 0)) {
      return reject('malformed-sibling', `Sibling ${k} hash is not 32 bytes of hex.`)
    }
    if (s.sum < 0n) return reject('negative-sibling-sum', `Sibling ${k} sum ${s.sum} is negative.`)
    if (s.sum >= LIABILITY_SUM_BOUND) {
      return reject('sum-overflow', `Sibling ${k} sum ${s.sum} is not below 2^128.`)
    }
    writeSum(siblingView, 32, s.sum)
    sum += s.sum
    if (sum >= LIABILITY_SUM_BOUND) {
      return reject('sum-overflow', `The sum at level ${k + 1} reaches 2^128.`)
    }
    const hash =
      (position & 1) === 0 ? nodeHashBytes(current, 0, sibling, 0) : nodeHashBytes(sibling, 0, current, 0)
    current.set(hash, 0)
    writeSum(currentView, 32, sum)
    position >>>= 1
  }
  const hash: Hex = toHex(rootHashBytes(leafCount, current, 0))
  if (hash !== root.hash.toLowerCase()) {
    return reject('hash-mismatch', `The recomputed root hash ${hash} is not the root's ${root.hash}.`)
  }
  if (sum !== root.total) {
    return reject('total-mismatch', `The recomputed total ${sum} is not the root's ${root.total}.`)
  }
  return { valid: true, leaf, total: root.total }
}

/**
 * Like {@link verifyInclusion}, but throws when the proof does not verify.
 *
 * @param proof - the proof
 * @param root - the published root
 * @returns the verified leaf and the root total
 * @throws {InvalidInclusionProofError} with the reason in `details`
 * @example
 * ```ts
 * const { leaf, total } = assertInclusion(proof, root)
 * ```
 */
export function assertInclusion(
  proof: InclusionProof,
  root: LiabilityRoot,
): { leaf: LiabilityLeaf; total: bigint } {
  const verdict = verifyInclusion(proof, root)
  if (!verdict.valid) {
    throw new InvalidInclusionProofError('Inclusion proof rejected.', {
      details: `${verdict.reason}: ${verdict.message}`,
      metaMessages: [
        'Check that the proof and the root are from the same commitment (same pool, same time).',
      ],
    })
  }
  return { leaf: verdict.leaf, total: verdict.total }
}
