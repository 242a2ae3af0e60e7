import { sha256 } from '@noble/hashes/sha2'
import type { Hex } from 'viem'
import { assertLiabilityLeaf } from './assertLiabilityLeaf.js'
import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_ID_BYTES } from './constants.js'
import { InvalidLiabilityNodeError, LiabilitySumOverflowError } from './errors.js'
import { hasLoneSurrogate } from './hasLoneSurrogate.js'

/** Domain tags: the first byte of every hash input, so a leaf can never pose as a node or a root. */
export const LEAF_TAG = 0x00
export const NODE_TAG = 0x01
export const ROOT_TAG = 0x02

/**
 * One SHA-256 of `input` into a shared 32-byte buffer, valid until the next call. A million-leaf
 * tree needs two million hashes: resetting one hasher with noble's `_cloneInto` (meant for
 * instance reuse) avoids allocating a hasher, its buffers and its output for each one.
 */
const freshHasher = sha256.create()
const hasher = sha256.create()
const digest = new Uint8Array(32)
function sha256Shared(input: Uint8Array): Uint8Array {
  freshHasher._cloneInto(hasher)
  hasher.update(input)
  hasher.digestInto(digest)
  return digest
}

/** Bytes of one node record: the 32-byte hash, then the sum as 16 bytes big-endian. */
export const RECORD_BYTES = 48
const SALT_BYTES = 32
const utf8 = new TextEncoder()

/** A (hash, sum) pair as the public API shows it: a hex hash and a bigint sum. */
export type LiabilityNode = { hash: Hex; sum: bigint }

/**
 * Writes `value` (already range-checked to `[0, 2^128)`) as 16 bytes big-endian at `offset`.
 *
 * @param view - a view over the target buffer
 * @param offset - byte offset of the 16-byte field
 * @param value - the sum
 */
export function writeSum(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset, value >> 64n)
  view.setBigUint64(offset + 8, BigInt.asUintN(64, value))
}

/**
 * Reads a 16-byte big-endian sum at `offset`.
 *
 * @param view - a view over the source buffer
 * @param offset - byte offset of the 16-byte field
 * @returns the sum
 */
export function readSum(view: DataView, offset: number): bigint {
  return (view.getBigUint64(offset) << 64n) | view.getBigUint64(offset + 8)
}

/**
 * Adds two 128-bit big-endian sums with four 32-bit limbs (no bigint, no allocation): the hot
 * path of building a tree of a million leaves.
 *
 * @returns `true` when the sum reaches 2^128 (overflow); `dst` then holds garbage
 */
export function addSumsInto(
  leftView: DataView,
  left: number,
  rightView: DataView,
  right: number,
  dst: DataView,
  out: number,
): boolean {
  let carry = 0
  for (let limb = 12; limb >= 0; limb -= 4) {
    const s = leftView.getUint32(left + limb) + rightView.getUint32(right + limb) + carry
    dst.setUint32(out + limb, s >>> 0)
    carry = s > 0xffffffff ? 1 : 0
  }
  return carry === 1
}

const HEX = '0123456789abcdef'
const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!)

/** Lower-case 0x-prefixed hex of `bytes` (only at the API edge, never per node while building). */
export function toHex(bytes: Uint8Array): Hex {
  let out = '0x'
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!
  return out as Hex
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 97 && code <= 102) return code - 87
  if (code >= 65 && code <= 70) return code - 55
  return -1
}

/**
 * Decodes a 32-byte hex string (`0x` and 64 hex digits) into `target` at `offset`.
 *
 * @returns `false` when it is not 32 bytes of hex (`target` may then hold part of it)
 */
export function writeBytes32(hex: string, target: Uint8Array, offset: number): boolean {
  if (hex.length !== 66 || hex.charCodeAt(0) !== 48 || hex.charCodeAt(1) !== 120) return false
  for (let i = 0; i < 32; i++) {
    const hi = nibble(hex.charCodeAt(2 + 2 * i))
    const lo = nibble(hex.charCodeAt(3 + 2 * i))
    if (hi < 0 || lo < 0) return false
    target[offset + i] = (hi << 4) | lo
  }
  return true
}

/** Reusable input buffer of leaf hashes: tag, salt, sum, then the id's UTF-8 bytes. */
const leafInput = new Uint8Array(1 + SALT_BYTES + 16 + MAX_LIABILITY_LEAF_ID_BYTES)
const leafInputView = new DataView(leafInput.buffer)

/**
 * Hashes a leaf into raw bytes; inputs must already be validated (see `validateLeaf`).
 *
 * Formula: `sha256(0x00 || salt[32] || amount[16, big-endian] || utf8(id))`. The id is last, so
 * its length follows from the input length and the encoding is injective without a length field.
 *
 * @returns the 32-byte leaf hash in a shared buffer (copy it before the next hash), or
 *   `undefined` when the id is too long in UTF-8 or has a lone surrogate (no UTF-8 encoding)
 */
export function leafHashBytes(id: string, amount: bigint, salt: string): Uint8Array | undefined {
  leafInput[0] = LEAF_TAG
  if (!writeBytes32(salt, leafInput, 1)) return undefined
  writeSum(leafInputView, 1 + SALT_BYTES, amount)
  const { read, written } = utf8.encodeInto(id, leafInput.subarray(1 + SALT_BYTES + 16))
  // The buffer holds exactly the longest id: a longer one is cut short, which `read` reveals.
  if (read !== id.length) return undefined
  // A lone surrogate is written as U+FFFD (EF BF BD): only then is the id scanned (a byte loop,
  // no view allocated per leaf).
  const idStart = 1 + SALT_BYTES + 16
  for (let i = idStart; i < idStart + written; i++) {
    if (leafInput[i] === 0xef) {
      if (hasLoneSurrogate(id)) return undefined
      break
    }
  }
  return sha256Shared(leafInput.subarray(0, 1 + SALT_BYTES + 16 + written))
}

/** Reusable input buffer of node hashes: tag, left record, right record. */
const nodeInput = new Uint8Array(1 + 2 * RECORD_BYTES)

/**
 * Hashes two child records (hash then sum each) into raw bytes.
 *
 * Formula: `sha256(0x01 || h_l || s_l[16] || h_r || s_r[16])`, sum `s_l + s_r`. Both children's
 * sums are hashed separately, not only their total: this is the fix by Hu, Zhang and Guo
 * ("Cryptanalysis of Maxwell's proof of reserves", 2019) to Maxwell's Merkle-sum tree, whose node
 * hash covered only `s_l + s_r` and so let a prover shift value between siblings per proof.
 *
 * @param left - buffer holding the left record at `leftOffset`
 * @param right - buffer holding the right record at `rightOffset`
 * @returns the 32-byte node hash in a shared buffer (copy it before the next hash)
 */
export function nodeHashBytes(
  left: Uint8Array,
  leftOffset: number,
  right: Uint8Array,
  rightOffset: number,
): Uint8Array {
  nodeInput[0] = NODE_TAG
  // A byte loop, not `set(subarray)`: two views per node are millions of short-lived objects.
  for (let i = 0; i < RECORD_BYTES; i++) {
    nodeInput[1 + i] = left[leftOffset + i] as number
    nodeInput[1 + RECORD_BYTES + i] = right[rightOffset + i] as number
  }
  return sha256Shared(nodeInput)
}

const rootInput = new Uint8Array(1 + 8 + RECORD_BYTES)
const rootInputView = new DataView(rootInput.buffer)

/**
 * Hashes the top record with the leaf count into the root hash.
 *
 * Formula: `sha256(0x02 || leafCount[8, big-endian] || h_top || s_top[16])`. Committing to the
 * leaf count fixes the tree's depth and the range of valid indexes, so a proof with a wrong path
 * length or an index in the padding is rejected before any hashing.
 *
 * @returns the 32-byte root hash in a shared buffer (copy it before the next hash)
 */
export function rootHashBytes(leafCount: number, top: Uint8Array, topOffset: number): Uint8Array {
  rootInput[0] = ROOT_TAG
  rootInputView.setBigUint64(1, BigInt(leafCount))
  rootInput.set(top.subarray(topOffset, topOffset + RECORD_BYTES), 9)
  return sha256Shared(rootInput)
}

/**
 * Depth of the tree of `leafCount` leaves: `ceil(log2(leafCount))`, 0 for one leaf or none.
 * Leaves are padded on the right up to `2^depth` with empty records (zero hash, zero sum).
 *
 * @param leafCount - number of real leaves
 * @returns the number of siblings in every inclusion proof
 */
export function treeDepth(leafCount: number): number {
  let depth = 0
  while (2 ** depth < leafCount) depth++
  return depth
}

/**
 * The hash of a leaf as hex.
 *
 * Formula: `sha256(0x00 || salt || amount as 16 bytes big-endian || utf8(id))`.
 *
 * @param leaf - the leaf: id, amount in `[0, 2^128)`, 32-byte salt
 * @returns the 0x-prefixed leaf hash
 * @throws {InvalidLiabilityLeafError} when the leaf is malformed or out of range
 * @example
 * ```ts
 * hashLiabilityLeaf({ id: 'm1', amount: 5n, salt: `0x${'11'.repeat(32)}` })
 * ```
 */
export function hashLiabilityLeaf(leaf: { id: string; amount: bigint; salt: Hex }): Hex {
  assertLiabilityLeaf(leaf)
  // Validated above, so the id fits and the salt decodes.
  return toHex(leafHashBytes(leaf.id, leaf.amount, leaf.salt) as Uint8Array)
}

/**
 * Combines two (hash, sum) children into their parent.
 *
 * Formula: hash `sha256(0x01 || h_l || s_l || h_r || s_r)` (sums 16 bytes big-endian), sum
 * `s_l + s_r` (Hu, Zhang and Guo's fix to Maxwell's Merkle-sum tree).
 *
 * @param left - the left child
 * @param right - the right child
 * @returns the parent node
 * @throws {InvalidLiabilityNodeError} when a hash is not 32 bytes of hex or a sum is negative
 * @throws {LiabilitySumOverflowError} when the parent sum reaches 2^128
 * @example
 * ```ts
 * const parent = hashLiabilityNode({ hash: leftHash, sum: 3n }, { hash: rightHash, sum: 4n })
 * // parent.sum === 7n
 * ```
 */
export function hashLiabilityNode(left: LiabilityNode, right: LiabilityNode): LiabilityNode {
  for (const [side, node] of [
    ['left', left],
    ['right', right],
  ] as const) {
    if (typeof node.hash !== 'string' || !BYTES32_HEX.test(node.hash)) {
      throw new InvalidLiabilityNodeError('Invalid node hash.', {
        details: `${side} hash ${JSON.stringify(node.hash)} is not 32 bytes of hex`,
        metaMessages: ['Pass 0x-prefixed 64-digit hex.'],
      })
    }
    if (typeof node.sum !== 'bigint' || node.sum < 0n || node.sum >= LIABILITY_SUM_BOUND) {
      throw new InvalidLiabilityNodeError('Invalid node sum.', {
        details: `${side} sum ${String(node.sum)} is not a bigint in [0, 2^128)`,
        metaMessages: ['Node sums are non-negative bigints below 2^128.'],
      })
    }
  }
  const sum = left.sum + right.sum
  if (sum >= LIABILITY_SUM_BOUND) {
    throw new LiabilitySumOverflowError('Liability sum overflow.', {
      details: `${left.sum} + ${right.sum} = ${sum} >= 2^128`,
      metaMessages: ['Sums must stay below 2^128; check the fixed-point scaling.'],
    })
  }
  const records = new Uint8Array(2 * RECORD_BYTES)
  const view = new DataView(records.buffer)
  writeBytes32(left.hash, records, 0)
  writeBytes32(right.hash, records, RECORD_BYTES)
  writeSum(view, 32, left.sum)
  writeSum(view, RECORD_BYTES + 32, right.sum)
  return { hash: toHex(nodeHashBytes(records, 0, records, RECORD_BYTES)), sum }
}
