/**
 * Exclusive upper bound of every sum in a liability tree: leaf amounts, node sums and the root
 * total are integers in `[0, 2^128)`.
 *
 * Why 2^128: sums are encoded in 16 bytes inside every hash, so the bound is part of what is
 * hashed, and a verifier rejects anything that would not fit. With 18-decimal USD fixed point it
 * still allows 3.4e20 USD, far above any real balance sheet, while making "overflow" (a sum that a
 * prover hopes wraps around, as in fields of zero-knowledge circuits) impossible to hide.
 */
export const LIABILITY_SUM_BOUND = 2n ** 128n

/** Most leaves one tree may hold: indexes are unsigned 32-bit and the tree depth is at most 32. */
export const MAX_LIABILITY_LEAF_COUNT = 2 ** 32

/** Longest leaf id, in UTF-8 bytes (a bytes32 member id plus an address fits in 109). */
export const MAX_LIABILITY_LEAF_ID_BYTES = 512

/** Matches a 32-byte hex string, either case. */
export const BYTES32_HEX = /^0x[0-9a-fA-F]{64}$/
