import { assertLiabilityLeaf } from './assertLiabilityLeaf.js'
import { LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT } from './constants.js'
import {
  DuplicateLiabilityLeafError,
  InvalidLiabilityLeafError,
  LiabilitySumOverflowError,
} from './errors.js'
import {
  addSumsInto,
  leafHashBytes,
  nodeHashBytes,
  RECORD_BYTES,
  readSum,
  rootHashBytes,
  toHex,
  treeDepth,
  writeSum,
} from './liabilityHashes.js'
import type { LiabilityLeaf, LiabilityRoot } from './types.js'

/**
 * A built Merkle-sum tree over liabilities. Treat it as opaque: `proveInclusion` reads it.
 *
 * Layout: `levels[k]` holds the real nodes of level `k` (level 0 = leaves) as 48-byte records
 * (32-byte hash, then the sum as 16 bytes big-endian), packed in one buffer per level. Nodes right
 * of the last real one are padding: `padding[k]` is the record of an empty subtree of height `k`
 * (an empty leaf is 48 zero bytes), so padding costs `depth` hashes, not `2^depth - n`.
 */
export type LiabilityTree = {
  /** The public commitment: root hash, total, leaf count. */
  readonly root: LiabilityRoot
  /** Number of siblings in each proof: `ceil(log2(leafCount))`. */
  readonly depth: number
  /** The leaves, in tree order. */
  readonly leaves: readonly LiabilityLeaf[]
  /** Index of each leaf by id. */
  readonly indexById: ReadonlyMap<string, number>
  /** Packed node records per level, leaves first. */
  readonly levels: readonly Uint8Array[]
  /** Record of an empty subtree per height. */
  readonly padding: readonly Uint8Array[]
}

/**
 * Builds a Merkle-sum tree over liability leaves, in the order given.
 *
 * Formula: leaf `(sha256(0x00 || salt || amount || id), amount)`; node
 * `(sha256(0x01 || h_l || s_l || h_r || s_r), s_l + s_r)` (Hu, Zhang and Guo's fix of Maxwell's
 * scheme); root hash `sha256(0x02 || leafCount || h_top || s_top)`, root total `s_top`. Sums are
 * 16 bytes big-endian and every sum must stay in `[0, 2^128)`. Leaves are padded on the right
 * to a power of two with empty records.
 *
 * The order of `leaves` is the order in the tree, and siblings' sums are shown to each other in
 * proofs: shuffle them (as `liabilityLeaves` does, by salt) so that neighbours are not related.
 *
 * Cost: `2n` SHA-256 of at most 97 bytes plus a 32-bit-limb addition per node; one million
 * leaves build in a few seconds and take about 100 MB (plus the leaves and the id index).
 *
 * @param leaves - the liabilities: unique ids, amounts in `[0, 2^128)`, 32-byte salts
 * @returns the tree, with `root` to publish
 * @throws {InvalidLiabilityLeafError} when a leaf is malformed, negative or `>= 2^128`
 * @throws {DuplicateLiabilityLeafError} when two leaves share an id
 * @throws {LiabilitySumOverflowError} when the total reaches 2^128
 * @example
 * ```ts
 * const tree = buildLiabilityTree([
 *   { id: 'alice', amount: 100n, salt: randomLeafSalt() },
 *   { id: 'bob', amount: 250n, salt: randomLeafSalt() },
 * ])
 * tree.root // { hash: '0x…', total: 350n, leafCount: 2 }
 * ```
 */
export function buildLiabilityTree(leaves: readonly LiabilityLeaf[]): LiabilityTree {
  if (!Array.isArray(leaves)) {
    throw new InvalidLiabilityLeafError('Leaves must be an array.', {
      details: `got ${typeof leaves}`,
      metaMessages: ['Pass an array of { id, amount, salt }.'],
    })
  }
  const n = leaves.length
  if (n > MAX_LIABILITY_LEAF_COUNT) {
    throw new InvalidLiabilityLeafError('Too many leaves.', {
      details: `${n} leaves; at most 2^32`,
      metaMessages: ['Split the liabilities over several trees.'],
    })
  }
  const depth = treeDepth(n)
  const padding = [new Uint8Array(RECORD_BYTES)]
  for (let k = 1; k <= depth; k++) {
    const below = padding[k - 1] as Uint8Array
    const record = new Uint8Array(RECORD_BYTES)
    record.set(nodeHashBytes(below, 0, below, 0), 0)
    padding.push(record)
  }

  const level0 = new Uint8Array(Math.max(n, 1) * RECORD_BYTES)
  const view0 = new DataView(level0.buffer)
  const indexById = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const leaf = leaves[i]
    // Cheap checks inline; the full check (with its clear error) only when one fails.
    const hash =
      typeof leaf === 'object' &&
      leaf !== null &&
      typeof leaf.id === 'string' &&
      leaf.id !== '' &&
      typeof leaf.amount === 'bigint' &&
      leaf.amount >= 0n &&
      leaf.amount < LIABILITY_SUM_BOUND &&
      typeof leaf.salt === 'string'
        ? leafHashBytes(leaf.id, leaf.amount, leaf.salt)
        : undefined
    if (hash === undefined) {
      assertLiabilityLeaf(leaf, `leaves[${i}]`)
      throw new InvalidLiabilityLeafError('Invalid liability leaf.', { details: `leaves[${i}]` })
    }
    const previous = indexById.get(leaf.id)
    if (previous !== undefined) {
      throw new DuplicateLiabilityLeafError('Duplicate liability leaf id.', {
        details: `id "${leaf.id}" is at leaves[${previous}] and leaves[${i}]`,
        metaMessages: ['Give each leaf a unique id (memberId, or memberId/account).'],
      })
    }
    indexById.set(leaf.id, i)
    level0.set(hash, i * RECORD_BYTES)
    writeSum(view0, i * RECORD_BYTES + 32, leaf.amount)
  }
  if (n === 0) level0.set(padding[0] as Uint8Array)

  const levels: Uint8Array[] = [level0]
  let below = level0
  let belowCount = Math.max(n, 1)
  for (let k = 1; k <= depth; k++) {
    const count = Math.ceil(belowCount / 2)
    const level = new Uint8Array(count * RECORD_BYTES)
    const view = new DataView(level.buffer)
    const belowView = new DataView(below.buffer)
    const pad = padding[k - 1] as Uint8Array
    const padView = new DataView(pad.buffer)
    for (let i = 0; i < count; i++) {
      const left = 2 * i * RECORD_BYTES
      const out = i * RECORD_BYTES
      const hasRight = 2 * i + 1 < belowCount
      const right = hasRight ? left + RECORD_BYTES : 0
      const rightBuffer = hasRight ? below : pad
      level.set(nodeHashBytes(below, left, rightBuffer, right), out)
      const overflow = addSumsInto(
        belowView,
        left + 32,
        hasRight ? belowView : padView,
        right + 32,
        view,
        out + 32,
      )
      if (overflow) {
        throw new LiabilitySumOverflowError('Liability sum overflow.', {
          details: `the sum of the leaves reaches 2^128 (at level ${k}, node ${i})`,
          metaMessages: ['Totals must stay below 2^128; check the fixed-point scaling of the amounts.'],
        })
      }
    }
    levels.push(level)
    below = level
    belowCount = count
  }

  const top = levels[depth] as Uint8Array
  const root: LiabilityRoot = {
    hash: toHex(rootHashBytes(n, top, 0)),
    total: readSum(new DataView(top.buffer), 32),
    leafCount: n,
  }
  return { root, depth, leaves: leaves.slice(), indexById, levels, padding }
}
