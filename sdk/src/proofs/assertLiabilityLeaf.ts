import { BYTES32_HEX, LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_ID_BYTES } from './constants.js'
import { InvalidLiabilityLeafError } from './errors.js'
import { hasLoneSurrogate } from './hasLoneSurrogate.js'
import type { LiabilityLeaf } from './types.js'

const utf8 = new TextEncoder()

/**
 * Throws a clear error unless `leaf` is a valid liability leaf: a non-empty, well-formed (no lone
 * surrogate) id of at most 512 UTF-8 bytes, a bigint amount in `[0, 2^128)`, a 32-byte hex salt.
 *
 * @param leaf - the value to check
 * @param position - where the leaf came from, for the error details (e.g. `leaves[3]`)
 * @throws {InvalidLiabilityLeafError}
 */
export function assertLiabilityLeaf(leaf: unknown, position = 'leaf'): asserts leaf is LiabilityLeaf {
  const problem = leafProblem(leaf)
  if (problem !== undefined) {
    throw new InvalidLiabilityLeafError(`Invalid liability leaf: ${problem.what}.`, {
      details: `${position}: ${problem.details}`,
      metaMessages: [problem.hint],
    })
  }
}

type Problem = { what: string; details: string; hint: string }
const fail = (what: string, details: string, hint: string): Problem => ({ what, details, hint })

/** What is wrong with a leaf, if anything. */
function leafProblem(leaf: unknown): Problem | undefined {
  if (typeof leaf !== 'object' || leaf === null) {
    return fail('not an object', `got ${typeof leaf}`, 'Pass { id, amount, salt }.')
  }
  const { id, amount, salt } = leaf as Record<string, unknown>
  if (typeof id !== 'string' || id.length === 0) {
    return fail('bad id', `id is ${JSON.stringify(id)}`, 'Use a non-empty string id.')
  }
  if (hasLoneSurrogate(id)) {
    return fail(
      'id has a lone surrogate',
      `id ${JSON.stringify(id)} is not well-formed UTF-16, so it has no UTF-8 encoding (it would hash as U+FFFD and collide)`,
      'Use ids of well-formed Unicode text; check how the id was decoded or truncated.',
    )
  }
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long ids need encoding to be measured.
  if (id.length > MAX_LIABILITY_LEAF_ID_BYTES / 3 && utf8.encode(id).length > MAX_LIABILITY_LEAF_ID_BYTES) {
    return fail(
      'id too long',
      `id "${id.slice(0, 40)}..." is over ${MAX_LIABILITY_LEAF_ID_BYTES} UTF-8 bytes`,
      'Use a shorter id, e.g. a member id or memberId/account.',
    )
  }
  if (typeof amount !== 'bigint') {
    return fail(
      'amount is not a bigint',
      `id "${id}": amount is ${typeof amount}`,
      'Money is bigint fixed point.',
    )
  }
  if (amount < 0n) {
    return fail('negative amount', `id "${id}": amount ${amount} < 0`, 'Liabilities are never negative.')
  }
  if (amount >= LIABILITY_SUM_BOUND) {
    return fail(
      'amount overflow',
      `id "${id}": amount ${amount} >= 2^128`,
      'Amounts must be below 2^128; check the fixed-point scaling.',
    )
  }
  if (typeof salt !== 'string' || !BYTES32_HEX.test(salt)) {
    return fail(
      'bad salt',
      `id "${id}": salt ${JSON.stringify(salt)} is not 32 bytes of hex`,
      'Use randomLeafSalt() or deriveLeafSalt(secret, id).',
    )
  }
  return undefined
}
