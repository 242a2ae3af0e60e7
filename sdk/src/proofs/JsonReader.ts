import type { Hex } from 'viem'
import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT } from './constants.js'
import { InvalidProofJsonError } from './errors.js'

const DECIMAL = /^(0|[1-9][0-9]*)$/

/** Validating reader of untrusted JSON, naming the path of the first bad field in its errors. */
export class JsonReader {
  constructor(private readonly what: string) {}

  fail(path: string, details: string, hint: string): never {
    throw new InvalidProofJsonError(`Invalid ${this.what} JSON: bad ${path}.`, {
      details,
      metaMessages: [hint],
    })
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `${path} is ${describeJson(value)}, not an object`, `Give ${path} as a JSON object.`)
    }
    return value as Record<string, unknown>
  }

  format(value: unknown, expected: string, path = 'format'): void {
    if (value !== expected) {
      this.fail(
        path,
        `${path} is ${describeJson(value)}, expected "${expected}"`,
        'Produce the file with the same Ballast version (the serialize* functions of @ballast/sdk/proofs).',
      )
    }
  }

  amount(value: unknown, path: string, bound = LIABILITY_SUM_BOUND, boundName = '2^128'): bigint {
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      this.fail(
        path,
        `${path} is ${describeJson(value)}, not a decimal string`,
        'Write amounts as decimal strings of non-negative integers, e.g. "1500000".',
      )
    }
    const amount = BigInt(value)
    if (amount >= bound) {
      this.fail(path, `${path} ${value} is not below ${boundName}`, `This value is below ${boundName}.`)
    }
    return amount
  }

  bytes32(value: unknown, path: string): Hex {
    if (typeof value !== 'string' || !BYTES32_HEX.test(value)) {
      this.fail(
        path,
        `${path} is ${describeJson(value)}, not 32 bytes of hex`,
        'Write hashes as 0x + 64 hex digits.',
      )
    }
    return value.toLowerCase() as Hex
  }

  count(value: unknown, path: string, min: number, max = MAX_LIABILITY_LEAF_COUNT): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(
        path,
        `${path} is ${describeJson(value)}, not an integer in [${min}, ${max === MAX_LIABILITY_LEAF_COUNT ? '2^32' : max}]`,
        `Write ${path} as a JSON integer.`,
      )
    }
    return value
  }
}

/** A short description of a JSON value for error details. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

/** `JSON.parse` of text (with a clear error), or the value itself when it is already parsed. */
export function toJsonValue(input: unknown, what: string): unknown {
  if (typeof input !== 'string') return input
  try {
    return JSON.parse(input)
  } catch (cause) {
    throw new InvalidProofJsonError(`Invalid ${what} JSON: not JSON.`, {
      details: cause instanceof Error ? cause.message : String(cause),
      metaMessages: ['Pass the file content as written by the serialize* functions of @ballast/sdk/proofs.'],
      cause,
    })
  }
}
