import type { Kysely, Transaction } from 'kysely'
import type { Address } from 'viem'
import type { Schema } from '../storage/schema.js'
import { type LogInterest, OFT_TOPICS } from './buildLogFilters.js'
import { REGISTRY_TOPICS, TIMELOCK_TOPICS, TOPICS } from './decodeLog.js'
import type { Tracked } from './loadTracked.js'
import type { SeedKey } from './readSeeds.js'

/**
 * One tracked thing of a chain, as text: `balance:<token>:<holder>`, `supply:<token>`,
 * `registry:<address>`, `feed:<address>`, `oft:<address>`. A set of parts is the tracked set's
 * fingerprint (stored in `tracked_parts`); the difference of two sets is what a catch-up fetches.
 */
export type TrackedPart = string

/** The part of a holder's balance of a token. */
export const balancePart = (token: Address, holder: Address): TrackedPart => `balance:${token}:${holder}`
/** The part of a token's supply. */
export const supplyPart = (token: Address): TrackedPart => `supply:${token}`

/**
 * The parts of a tracked set: every (balance token, holder) pair, every supply token, and every
 * registry, feed and OFT.
 *
 * @param tracked The tracked set.
 * @returns Its parts.
 * @example
 * ```ts
 * const added = [...partsOf(now)].filter((p) => !stored.has(p))
 * ```
 */
export function partsOf(tracked: Tracked): Set<TrackedPart> {
  const parts = new Set<TrackedPart>()
  for (const token of tracked.balanceTokens)
    for (const holder of tracked.holders) parts.add(balancePart(token, holder))
  for (const token of tracked.supplyTokens) parts.add(supplyPart(token))
  for (const a of tracked.registries) parts.add(`registry:${a}`)
  for (const a of tracked.feeds) parts.add(`feed:${a}`)
  for (const a of tracked.ofts) parts.add(`oft:${a}`)
  for (const a of tracked.timelocks.keys()) parts.add(`timelock:${a}`)
  for (const a of tracked.attestations) parts.add(`attestation:${a}`)
  return parts
}

/** What a set of parts needs: seeds, the logs of seeded values, and the logs of event sources. */
export type PartsNeed = {
  /** Balances and supplies to read at the block before tracking starts. */
  seeds: SeedKey[]
  /** Transfers that change those values (fetched from where tracking starts). */
  values: LogInterest
  /** Events of the added registries, feeds and OFTs (history: fetched from the chain's start). */
  events: LogInterest
}

/**
 * What catching up on some parts needs. Balance pairs are grouped into (tokens x holders)
 * rectangles (an added holder of every token is one, so is an added token of every holder), so
 * the filters stay few.
 *
 * @param parts The parts (e.g. those a config change added).
 * @returns Seeds and log interests.
 * @example
 * ```ts
 * const { seeds, values, events } = needOf(added)
 * ```
 */
export function needOf(parts: Iterable<TrackedPart>): PartsNeed {
  const holdersOf = new Map<Address, Address[]>()
  const supplies: Address[] = []
  const byKind = {
    registry: [] as Address[],
    feed: [] as Address[],
    oft: [] as Address[],
    timelock: [] as Address[],
    attestation: [] as Address[],
  }
  const seeds: SeedKey[] = []
  for (const part of parts) {
    const [kind, a, b] = part.split(':') as [string, Address, Address | undefined]
    if (kind === 'balance' && b !== undefined) {
      holdersOf.set(a, [...(holdersOf.get(a) ?? []), b])
      seeds.push({ token: a, holder: b })
    } else if (kind === 'supply') {
      supplies.push(a)
      seeds.push({ token: a, holder: undefined })
    } else if (
      kind === 'registry' ||
      kind === 'feed' ||
      kind === 'oft' ||
      kind === 'timelock' ||
      kind === 'attestation'
    )
      byKind[kind].push(a)
  }
  const rectangles = new Map<string, { tokens: Address[]; holders: Address[] }>()
  for (const [token, holders] of holdersOf) {
    holders.sort()
    const key = holders.join(',')
    const rectangle = rectangles.get(key) ?? { tokens: [], holders }
    rectangle.tokens.push(token)
    rectangles.set(key, rectangle)
  }
  const events = [
    { address: byKind.registry, topics: REGISTRY_TOPICS },
    { address: byKind.feed, topics: [TOPICS.AnswerUpdated] },
    { address: byKind.oft, topics: OFT_TOPICS },
    { address: byKind.timelock, topics: TIMELOCK_TOPICS },
    { address: byKind.attestation, topics: [TOPICS.StatementPosted] },
  ].filter((e) => e.address.length > 0)
  return {
    seeds,
    values: { balances: [...rectangles.values()], supplies, events: [] },
    events: { balances: [], supplies: [], events },
  }
}

/**
 * The stored fingerprint of a chain: its parts and the start block they were tracked from.
 *
 * @returns The parts and `start` (undefined before the first step stored any).
 */
export async function loadParts(
  db: Kysely<Schema>,
  chainId: number,
): Promise<{ parts: Set<TrackedPart>; start: number | undefined }> {
  const rows = await db.selectFrom('tracked_parts').select('part').where('chain_id', '=', chainId).execute()
  const parts = new Set<TrackedPart>()
  let start: number | undefined
  for (const { part } of rows) {
    if (part.startsWith('start:')) start = Number(part.slice(6))
    else parts.add(part)
  }
  return { parts, start }
}

/**
 * Records parts as tracked (and the start block, if given) and forgets removed ones, deleting
 * their values and events: a part removed and added again later is caught up afresh. Run it in
 * the transaction that stores the caught-up data.
 */
export async function saveParts(
  trx: Transaction<Schema>,
  chainId: number,
  change: { added: readonly TrackedPart[]; removed: readonly TrackedPart[]; start?: number | undefined },
): Promise<void> {
  await deletePartRows(trx, chainId, change.removed)
  // Rows of an added part can only be stale ones (a discovery that a reorg undid): start clean.
  await deletePartRows(trx, chainId, change.added)
  const gone = [...change.removed, ...change.added]
  for (let i = 0; i < gone.length; i += 500) {
    await trx
      .deleteFrom('tracked_parts')
      .where('chain_id', '=', chainId)
      .where('part', 'in', gone.slice(i, i + 500))
      .execute()
  }
  const rows = change.added.map((part) => ({ chain_id: chainId, part }))
  if (change.start !== undefined) {
    await trx
      .deleteFrom('tracked_parts')
      .where('chain_id', '=', chainId)
      .where('part', 'like', 'start:%')
      .execute()
    rows.push({ chain_id: chainId, part: `start:${change.start}` })
  }
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('tracked_parts')
      .values(rows.slice(i, i + 500))
      .execute()
}

/** Deletes the stored values (balances, supplies) and events (feeds, OFTs) of parts. */
async function deletePartRows(trx: Transaction<Schema>, chainId: number, parts: readonly TrackedPart[]) {
  for (const part of parts) {
    const [kind, a, b] = part.split(':') as [string, Address, Address | undefined]
    if (kind === 'balance' && b !== undefined) {
      await trx
        .deleteFrom('balances')
        .where('chain_id', '=', chainId)
        .where('token', '=', a)
        .where('holder', '=', b)
        .execute()
    } else if (kind === 'supply') {
      await trx.deleteFrom('supplies').where('chain_id', '=', chainId).where('token', '=', a).execute()
    } else if (kind === 'feed') {
      await trx.deleteFrom('prices').where('chain_id', '=', chainId).where('feed', '=', a).execute()
    } else if (kind === 'oft') {
      await trx.deleteFrom('oft_sent').where('chain_id', '=', chainId).where('oft', '=', a).execute()
      await trx.deleteFrom('oft_received').where('chain_id', '=', chainId).where('oft', '=', a).execute()
    } else if (kind === 'registry') {
      for (const table of [
        'pool_events',
        'member_events',
        'risk_parameters',
        'holder_acknowledgements',
      ] as const)
        await trx.deleteFrom(table).where('chain_id', '=', chainId).where('registry', '=', a).execute()
    } else if (kind === 'timelock') {
      await trx
        .deleteFrom('timelock_operations')
        .where('chain_id', '=', chainId)
        .where('timelock', '=', a)
        .execute()
    } else if (kind === 'attestation') {
      await trx.deleteFrom('attestations').where('chain_id', '=', chainId).where('contract', '=', a).execute()
    }
  }
}
