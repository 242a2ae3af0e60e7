import { hmac } from '@noble/hashes/hmac'
import { sha256 } from '@noble/hashes/sha2'
import type { Hex } from 'viem'
import { assertLiabilityLeaf } from './assertLiabilityLeaf.js'
import { InvalidLiabilityLeafError } from './errors.js'
import { toHex } from './liabilityHashes.js'
import type { LiabilityLeaf } from './types.js'

const utf8 = new TextEncoder()

/**
 * The canonical leaf id of a member's liability, or of one account of a member:
 * `memberId`, or `memberId/account`.
 *
 * @param memberId - the member id (e.g. its bytes32 hex), without `/`
 * @param account - an account of the member (e.g. an address), or nothing for the member itself
 * @returns the leaf id
 * @throws {InvalidLiabilityLeafError} when the member id is empty or contains `/`
 * @example
 * ```ts
 * liabilityLeafId('0xab…', '0x12…') // '0xab…/0x12…'
 * ```
 */
export function liabilityLeafId(memberId: string, account?: string): string {
  if (typeof memberId !== 'string' || memberId === '' || memberId.includes('/')) {
    throw new InvalidLiabilityLeafError('Invalid member id for a leaf.', {
      details: `member id ${JSON.stringify(memberId)} is empty or contains "/"`,
      metaMessages: ['Use the member id as registered (bytes32 hex).'],
    })
  }
  if (account === undefined) return memberId
  if (typeof account !== 'string' || account === '') {
    throw new InvalidLiabilityLeafError('Invalid account for a leaf.', {
      details: `account ${JSON.stringify(account)} of member ${memberId} is empty`,
      metaMessages: ['Use the account address (or the member’s own account id).'],
    })
  }
  return `${memberId}/${account}`
}

/**
 * 32 fresh random bytes for a leaf salt, from the platform's CSPRNG (`crypto.getRandomValues`,
 * in browsers and Node alike).
 *
 * @returns the salt as 0x-prefixed hex
 * @example
 * ```ts
 * const leaf = { id: 'alice', amount: 100n, salt: randomLeafSalt() }
 * ```
 */
export function randomLeafSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)))
}

/**
 * A leaf salt derived from a secret and the leaf id, so the same commitment can be rebuilt later
 * (e.g. to answer a proof request for a past time) without storing a salt per leaf.
 *
 * Formula: `HMAC-SHA256(secret, utf8(id))` (RFC 2104). Keep `secret` private to the operator and
 * use one per commitment (e.g. derived from a master secret, the pool and the time): anyone who
 * knows it can brute-force the ids of sibling leaves.
 *
 * @param secret - at least 32 bytes of secret, 0x-prefixed hex
 * @param id - the leaf id
 * @returns the salt as 0x-prefixed hex
 * @throws {InvalidLiabilityLeafError} when the secret is shorter than 32 bytes or not hex
 * @example
 * ```ts
 * deriveLeafSalt(secret, liabilityLeafId(memberId))
 * ```
 */
export function deriveLeafSalt(secret: Hex, id: string): Hex {
  return toHex(hmac(sha256, secretBytes(secret), utf8.encode(id)))
}

function secretBytes(secret: Hex): Uint8Array {
  if (typeof secret !== 'string' || !/^0x([0-9a-fA-F]{2}){32,}$/.test(secret)) {
    throw new InvalidLiabilityLeafError('Invalid salt secret.', {
      details: `the secret is ${typeof secret === 'string' ? `${Math.max(0, (secret.length - 2) / 2)} bytes or not hex` : typeof secret}`,
      metaMessages: ['Use at least 32 random bytes as 0x-prefixed hex.'],
    })
  }
  const bytes = new Uint8Array((secret.length - 2) / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(secret.slice(2 + 2 * i, 4 + 2 * i), 16)
  return bytes
}

/** A member's liabilities: its total, and optionally the part owed to each of its accounts. */
export type MemberLiabilities = {
  /** Member id (e.g. bytes32 hex), without `/`. */
  readonly memberId: string
  /** The member's total liability in USD fixed point. */
  readonly liability: bigint
  /** Per-account liabilities the member supplies; their sum must not exceed `liability`. */
  readonly accounts?: readonly { readonly account: string; readonly liability: bigint }[]
}

/**
 * The leaves of a liability tree for a pool's members: one leaf per member, or, for a member that
 * supplies accounts, one leaf per account plus one leaf `memberId` for the rest of its liability
 * (`liability - sum(accounts)`, possibly 0) so the member's leaves add up to its liability.
 * Salts are derived from `secret` (see {@link deriveLeafSalt}), and leaves are ordered by salt: a
 * deterministic order unrelated to ids, so that proof siblings (whose sums are revealed) are not
 * a member's own accounts or alphabetical neighbours.
 *
 * @param members - the members' liabilities
 * @param secret - the salt secret of this commitment (>= 32 bytes hex)
 * @returns leaves for `buildLiabilityTree`
 * @throws {InvalidLiabilityLeafError} on a bad id or amount, or accounts exceeding the member total
 * @example
 * ```ts
 * const tree = buildLiabilityTree(liabilityLeaves(
 *   [{ memberId: '0xab…', liability: 10n ** 24n, accounts: [{ account: '0x12…', liability: 5n }] }],
 *   secret,
 * ))
 * ```
 */
export function liabilityLeaves(members: readonly MemberLiabilities[], secret: Hex): LiabilityLeaf[] {
  const key = secretBytes(secret)
  const leaves: LiabilityLeaf[] = []
  const push = (id: string, amount: bigint) => {
    const leaf = { id, amount, salt: toHex(hmac(sha256, key, utf8.encode(id))) }
    assertLiabilityLeaf(leaf, `leaf ${id}`)
    leaves.push(leaf)
  }
  for (const member of members) {
    if (typeof member.liability !== 'bigint' || member.liability < 0n) {
      throw new InvalidLiabilityLeafError('Invalid member liability.', {
        details: `member ${member.memberId}: liability ${String(member.liability)} is not a bigint >= 0`,
        metaMessages: ['Liabilities are non-negative bigints in USD fixed point.'],
      })
    }
    let rest = member.liability
    for (const { account, liability } of member.accounts ?? []) {
      push(liabilityLeafId(member.memberId, account), liability)
      rest -= liability
    }
    if (rest < 0n) {
      throw new InvalidLiabilityLeafError('Account liabilities exceed the member total.', {
        details: `member ${member.memberId}: accounts add up to ${member.liability - rest}, above its liability ${member.liability}`,
        metaMessages: ['Per-account liabilities are a breakdown of the member total, never more.'],
      })
    }
    push(liabilityLeafId(member.memberId), rest)
  }
  return leaves.sort((a, b) => (a.salt < b.salt ? -1 : a.salt > b.salt ? 1 : 0))
}
