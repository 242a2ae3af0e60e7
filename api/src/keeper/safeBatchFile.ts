import { type Address, getAddress, type Hex, isAddress, isHex, keccak256, stringToHex } from 'viem'
import { PolicyError } from './PolicyError.js'

/** One call of a batch, in the raw form (`to`, wei `value`, calldata). */
export type SafeBatchTransaction = { to: Address; value: string; data: Hex }

/**
 * A Safe Transaction Builder batch file: what a Safe's signers import to review and sign one
 * batch (executed through MultiSendCallOnly when it has more than one call).
 */
export type SafeBatchFile = {
  version: '1.0'
  /** Decimal string. */
  chainId: string
  /** Milliseconds since the epoch. */
  createdAt: number
  meta: {
    name: string
    description: string
    txBuilderVersion: string
    createdFromSafeAddress: Address
    createdFromOwnerAddress: string
    checksum: Hex
  }
  transactions: readonly SafeBatchTransaction[]
}

/** Transaction Builder version whose format this writes. */
export const TX_BUILDER_VERSION = '1.18.2'

/**
 * The canonical serialisation the Transaction Builder hashes: arrays element by element in
 * order; objects as the JSON of their sorted key list followed by each value and a comma;
 * anything else as its JSON (undefined as null).
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record).sort()
    return `{${JSON.stringify(keys)}${keys.map((k) => `${canonical(record[k])},`).join('')}}`
  }
  return value === undefined ? 'null' : JSON.stringify(value)
}

/**
 * The batch file checksum: `keccak256(utf8(canonical(file with meta.name = null and no
 * meta.checksum)))`, the Transaction Builder's own rule (the name may be edited on import
 * without breaking it).
 *
 * @param file - The batch file, with or without its checksum.
 * @returns The checksum.
 */
export function safeBatchChecksum(
  file: Omit<SafeBatchFile, 'meta'> & { meta: Omit<SafeBatchFile['meta'], 'checksum'> & { checksum?: Hex } },
): Hex {
  const { checksum: _, ...meta } = file.meta
  return keccak256(stringToHex(canonical({ ...file, meta: { ...meta, name: null } })))
}

/**
 * Builds a batch file for a Safe with its checksum.
 *
 * @param parameters - chain, Safe, name and description, calls, creation time (ms; default now)
 * @returns the batch file
 * @example
 * ```ts
 * createSafeBatchFile({ chainId: 1, safe: '0x…', name: 'rebalance', description: '…', transactions: [{ to, value: 0n, data }] })
 * ```
 */
export function createSafeBatchFile(parameters: {
  chainId: number
  safe: Address
  name: string
  description: string
  transactions: readonly { to: Address; value: bigint; data: Hex }[]
  createdAt?: number | undefined
}): SafeBatchFile {
  const body = {
    version: '1.0' as const,
    chainId: String(parameters.chainId),
    createdAt: parameters.createdAt ?? Date.now(),
    meta: {
      name: parameters.name,
      description: parameters.description,
      txBuilderVersion: TX_BUILDER_VERSION,
      createdFromSafeAddress: getAddress(parameters.safe),
      createdFromOwnerAddress: '',
    },
    transactions: parameters.transactions.map((t) => ({
      to: getAddress(t.to),
      value: t.value.toString(),
      data: t.data,
    })),
  }
  return { ...body, meta: { ...body.meta, checksum: safeBatchChecksum(body) } }
}

/**
 * Checks a batch file the way the Transaction Builder does on import: the format (version,
 * decimal chain id, ms time, addresses, wei values, calldata) and the checksum.
 *
 * @param value - A parsed batch file.
 * @returns the batch file, typed
 * @throws {PolicyError} naming the first bad field, or a checksum mismatch
 */
export function validateSafeBatchFile(value: unknown): SafeBatchFile {
  const bad = (field: string, problem: string, v: unknown): never => {
    throw new PolicyError(field, problem, { value: v })
  }
  const f = value as SafeBatchFile
  if (typeof f !== 'object' || f === null) bad('batch', 'must be an object', f)
  if (f.version !== '1.0') bad('batch.version', 'must be "1.0"', f.version)
  if (typeof f.chainId !== 'string' || !/^[1-9]\d*$/.test(f.chainId))
    bad('batch.chainId', 'must be a decimal string', f.chainId)
  if (!Number.isSafeInteger(f.createdAt) || f.createdAt < 1e12)
    bad('batch.createdAt', 'must be milliseconds since the epoch', f.createdAt)
  if (typeof f.meta !== 'object' || f.meta === null) bad('batch.meta', 'must be an object', f.meta)
  if (!isAddress(f.meta.createdFromSafeAddress))
    bad('batch.meta.createdFromSafeAddress', 'must be an address', f.meta.createdFromSafeAddress)
  if (!Array.isArray(f.transactions) || f.transactions.length === 0)
    bad('batch.transactions', 'must list at least one call', f.transactions)
  f.transactions.forEach((t, i) => {
    if (!isAddress(t.to)) bad(`batch.transactions[${i}].to`, 'must be an address', t.to)
    if (typeof t.value !== 'string' || !/^\d+$/.test(t.value))
      bad(`batch.transactions[${i}].value`, 'must be wei as a decimal string', t.value)
    if (!isHex(t.data)) bad(`batch.transactions[${i}].data`, 'must be calldata hex', t.data)
  })
  const expected = safeBatchChecksum(f)
  if (f.meta.checksum !== expected) {
    throw new PolicyError('batch.meta.checksum', `does not match the contents (expected ${expected})`, {
      value: f.meta.checksum,
      hint: 'The file was changed after it was written; regenerate it.',
    })
  }
  return f
}
