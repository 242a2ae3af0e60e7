import { type Hex, hexToBytes, keccak256 } from 'viem'

/** A log filter as the bloom check reads it: emitters, and per topic position the values any of which matches. */
export type BloomFilterQuery = {
  address: readonly Hex[]
  topics?: readonly (Hex | readonly Hex[] | null)[] | undefined
}

/**
 * Whether a value may be in a block's 2048-bit logs bloom (Yellow Paper, eq. 27-28, `M3:2048`):
 * the bloom has bit `b` set for each of the three 11-bit numbers `b` taken from bytes
 * `(0,1)`, `(2,3)` and `(4,5)` of `keccak256(value)`; bit 0 is the least significant bit of the
 * last byte (the bloom is big-endian).
 */
function inBloom(bloom: Uint8Array, value: Hex): boolean {
  const h = hexToBytes(keccak256(value))
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i]! << 8) | h[i + 1]!) & 2047
    if ((bloom[255 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false
  }
  return true
}

/**
 * Whether a block whose logs bloom is `bloom` may hold a log the filter matches: one of its
 * addresses and, at each topic position the filter constrains, one of the values there. A false
 * answer is certain (a bloom has no false negatives), a true one may be a false positive.
 *
 * @param bloom - The block's `logsBloom` (256 bytes hex).
 * @param filter - Addresses and topics as `eth_getLogs` takes them.
 * @returns false when no log of the block can match
 * @example
 * ```ts
 * bloomMayMatch(header.logsBloom, { address: [token], topics: [TRANSFER, [holder]] })
 * ```
 */
export function bloomMayMatch(bloom: Hex, filter: BloomFilterQuery): boolean {
  const bytes = hexToBytes(bloom)
  if (bytes.length !== 256) return true
  if (!filter.address.some((a) => inBloom(bytes, a))) return false
  for (const t of filter.topics ?? []) {
    if (t === null) continue
    const values = typeof t === 'string' ? [t] : t
    if (values.length > 0 && !values.some((v) => inBloom(bytes, v))) return false
  }
  return true
}
