import type { Hex } from 'viem'
import { describeJson, JsonReader, toJsonValue } from './JsonReader.js'
import type { InclusionProof, LiabilityRoot, ProofSibling } from './types.js'

/** Format tag of a JSON inclusion proof: the scheme, its hash function and its version. */
export const INCLUSION_PROOF_FORMAT = 'ballast-liability-inclusion/sha256/v1'
/** Format tag of a JSON liability root. */
export const LIABILITY_ROOT_FORMAT = 'ballast-liability-root/sha256/v1'

/** An inclusion proof as JSON: amounts and sums as decimal strings, hashes as lower-case hex. */
export type InclusionProofJson = {
  format: typeof INCLUSION_PROOF_FORMAT
  leaf: { id: string; amount: string; salt: Hex }
  index: number
  leafCount: number
  siblings: { hash: Hex; sum: string }[]
}

/** A liability root as JSON: the total as a decimal string, the hash as lower-case hex. */
export type LiabilityRootJson = {
  format: typeof LIABILITY_ROOT_FORMAT
  hash: Hex
  total: string
  leafCount: number
}

/**
 * Turns a proof into a JSON-safe object (`JSON.stringify` it to write a file).
 *
 * @param proof - the proof
 * @returns the JSON form: decimal strings for bigints, lower-case hex for hashes
 * @example
 * ```ts
 * const text = JSON.stringify(serializeProof(proof))
 * const again = parseProof(text)
 * ```
 */
export function serializeProof(proof: InclusionProof): InclusionProofJson {
  return {
    format: INCLUSION_PROOF_FORMAT,
    leaf: {
      id: proof.leaf.id,
      amount: proof.leaf.amount.toString(),
      salt: proof.leaf.salt.toLowerCase() as Hex,
    },
    index: proof.index,
    leafCount: proof.leafCount,
    siblings: proof.siblings.map((s) => ({ hash: s.hash.toLowerCase() as Hex, sum: s.sum.toString() })),
  }
}

/**
 * Turns a root into a JSON-safe object.
 *
 * @param root - the root
 * @returns the JSON form
 * @example
 * ```ts
 * JSON.stringify(serializeRoot(tree.root))
 * ```
 */
export function serializeRoot(root: LiabilityRoot): LiabilityRootJson {
  return {
    format: LIABILITY_ROOT_FORMAT,
    hash: root.hash.toLowerCase() as Hex,
    total: root.total.toString(),
    leafCount: root.leafCount,
  }
}

/**
 * Reads an inclusion proof from JSON text or a parsed JSON value, checking every field.
 *
 * Checks shape and ranges only (ids, decimal amounts below 2^128, 32-byte hex, integer index and
 * leaf count): whether the proof is true is `verifyInclusion`'s job.
 *
 * @param input - JSON text, or the value `JSON.parse` returned
 * @returns the proof, with bigint amounts and lower-case hex
 * @throws {InvalidProofJsonError} naming the first bad field
 * @example
 * ```ts
 * const proof = parseProof(await file.text())
 * verifyInclusion(proof, root)
 * ```
 */
export function parseProof(input: unknown): InclusionProof {
  const r: JsonReader = new JsonReader('inclusion proof')
  return readProof(r, r.object(toJsonValue(input, 'inclusion proof'), 'proof'), '')
}

/** Reads the fields of a JSON proof object; `prefix` names where it sits, for errors. */
export function readProof(r: JsonReader, json: Record<string, unknown>, prefix: string): InclusionProof {
  r.format(json.format, INCLUSION_PROOF_FORMAT, `${prefix}format`)
  const leaf = r.object(json.leaf, `${prefix}leaf`)
  if (typeof leaf.id !== 'string' || leaf.id === '') {
    r.fail(
      `${prefix}leaf.id`,
      `${prefix}leaf.id is ${describeJson(leaf.id)}`,
      'The leaf id is a non-empty string.',
    )
  }
  const amount = r.amount(leaf.amount, `${prefix}leaf.amount`)
  const salt = r.bytes32(leaf.salt, `${prefix}leaf.salt`)
  const leafCount = r.count(json.leafCount, `${prefix}leafCount`, 1)
  const index = r.count(json.index, `${prefix}index`, 0)
  if (!Array.isArray(json.siblings)) {
    r.fail(
      `${prefix}siblings`,
      `${prefix}siblings is ${describeJson(json.siblings)}, not an array`,
      'Give siblings as an array.',
    )
  }
  // A tree has at most 2^32 leaves, so no honest path is longer: refuse to read a huge array.
  if (json.siblings.length > 32) {
    r.fail(
      `${prefix}siblings`,
      `${prefix}siblings has ${json.siblings.length} entries; a path has at most 32`,
      'This is not a Ballast liability proof.',
    )
  }
  const siblings: ProofSibling[] = json.siblings.map((value: unknown, k: number) => {
    const path = `${prefix}siblings[${k}]`
    const s = r.object(value, path)
    return { hash: r.bytes32(s.hash, `${path}.hash`), sum: r.amount(s.sum, `${path}.sum`) }
  })
  return { leaf: { id: leaf.id, amount, salt }, index, leafCount, siblings }
}

/**
 * Reads a liability root from JSON text or a parsed JSON value, checking every field.
 *
 * @param input - JSON text, or the value `JSON.parse` returned
 * @returns the root
 * @throws {InvalidProofJsonError} naming the first bad field
 * @example
 * ```ts
 * const root = parseRoot('{"format":"ballast-liability-root/sha256/v1","hash":"0x…","total":"350","leafCount":2}')
 * ```
 */
export function parseRoot(input: unknown): LiabilityRoot {
  const r: JsonReader = new JsonReader('liability root')
  return readRoot(r, r.object(toJsonValue(input, 'liability root'), 'root'), '')
}

/** Reads the fields of a JSON root object; `prefix` names where it sits, for errors. */
export function readRoot(r: JsonReader, json: Record<string, unknown>, prefix: string): LiabilityRoot {
  r.format(json.format, LIABILITY_ROOT_FORMAT, `${prefix}format`)
  return {
    hash: r.bytes32(json.hash, `${prefix}hash`),
    total: r.amount(json.total, `${prefix}total`),
    leafCount: r.count(json.leafCount, `${prefix}leafCount`, 0),
  }
}
