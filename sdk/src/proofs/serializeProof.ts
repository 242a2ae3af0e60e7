import type { Hex } from 'viem'
import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT } from './constants.js'
import { InvalidProofJsonError } from './errors.js'
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

const DECIMAL = /^(0|[1-9][0-9]*)$/

/** Validating reader of untrusted JSON, naming the path of the first bad field. */
class Reader {
  constructor(private readonly what: string) {}

  fail(path: string, details: string, hint: string): never {
    throw new InvalidProofJsonError(`Invalid ${this.what} JSON: bad ${path}.`, {
      details,
      metaMessages: [hint],
    })
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `${path} is ${describe(value)}, not an object`, `Give ${path} as a JSON object.`)
    }
    return value as Record<string, unknown>
  }

  format(value: unknown, expected: string): void {
    if (value !== expected) {
      this.fail(
        'format',
        `format is ${describe(value)}, expected "${expected}"`,
        'Produce the file with the same Ballast version (serializeProof / serializeRoot).',
      )
    }
  }

  amount(value: unknown, path: string): bigint {
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      this.fail(
        path,
        `${path} is ${describe(value)}, not a decimal string`,
        'Write amounts as decimal strings of non-negative integers, e.g. "1500000".',
      )
    }
    const amount = BigInt(value)
    if (amount >= LIABILITY_SUM_BOUND) {
      this.fail(path, `${path} ${value} is not below 2^128`, 'Amounts and sums are below 2^128.')
    }
    return amount
  }

  bytes32(value: unknown, path: string): Hex {
    if (typeof value !== 'string' || !BYTES32_HEX.test(value)) {
      this.fail(
        path,
        `${path} is ${describe(value)}, not 32 bytes of hex`,
        'Write hashes as 0x + 64 hex digits.',
      )
    }
    return value.toLowerCase() as Hex
  }

  count(value: unknown, path: string, min: number): number {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > MAX_LIABILITY_LEAF_COUNT
    ) {
      this.fail(
        path,
        `${path} is ${describe(value)}, not an integer in [${min}, 2^32]`,
        `Write ${path} as a JSON integer.`,
      )
    }
    return value
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

function toValue(input: unknown, what: string): unknown {
  if (typeof input !== 'string') return input
  try {
    return JSON.parse(input)
  } catch (cause) {
    throw new InvalidProofJsonError(`Invalid ${what} JSON: not JSON.`, {
      details: cause instanceof Error ? cause.message : String(cause),
      metaMessages: ['Pass the file content as written by serializeProof / serializeRoot.'],
      cause,
    })
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
  const r: Reader = new Reader('inclusion proof')
  const json = r.object(toValue(input, 'inclusion proof'), 'proof')
  r.format(json.format, INCLUSION_PROOF_FORMAT)
  const leaf = r.object(json.leaf, 'leaf')
  if (typeof leaf.id !== 'string' || leaf.id === '') {
    r.fail('leaf.id', `leaf.id is ${describe(leaf.id)}`, 'The leaf id is a non-empty string.')
  }
  const amount = r.amount(leaf.amount, 'leaf.amount')
  const salt = r.bytes32(leaf.salt, 'leaf.salt')
  const leafCount = r.count(json.leafCount, 'leafCount', 1)
  const index = r.count(json.index, 'index', 0)
  if (!Array.isArray(json.siblings)) {
    r.fail('siblings', `siblings is ${describe(json.siblings)}, not an array`, 'Give siblings as an array.')
  }
  const siblings: ProofSibling[] = json.siblings.map((value: unknown, k: number) => {
    const s = r.object(value, `siblings[${k}]`)
    return { hash: r.bytes32(s.hash, `siblings[${k}].hash`), sum: r.amount(s.sum, `siblings[${k}].sum`) }
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
  const r: Reader = new Reader('liability root')
  const json = r.object(toValue(input, 'liability root'), 'root')
  r.format(json.format, LIABILITY_ROOT_FORMAT)
  return {
    hash: r.bytes32(json.hash, 'hash'),
    total: r.amount(json.total, 'total'),
    leafCount: r.count(json.leafCount, 'leafCount', 0),
  }
}
