import { type Address, type Hex, pad } from 'viem'
import { REGISTRY_TOPICS, TIMELOCK_TOPICS, TOPICS, WETH_TOPICS } from './decodeLog.js'
import type { LogFilter } from './fetchLogsAdaptive.js'
import type { Tracked } from './loadTracked.js'

/**
 * What a sync wants to hear about, by kind of position, so that the logs it fetches follow the
 * positions it tracks and not the tokens' whole activity. Each tracked thing contributes here
 * (see {@link interestOf}); a new position kind (vaults, rebasing tokens, LP, oracles) adds its own
 * entries, and {@link buildLogFilters} turns the whole into `eth_getLogs` filters.
 */
export type LogInterest = {
  /** Balances of `holders` in `tokens` (every pair): `Transfer`s from or to them. */
  balances: readonly { tokens: readonly Address[]; holders: readonly Address[] }[]
  /** Supplies of these tokens: mints and burns (`Transfer` from or to the zero address). */
  supplies: readonly Address[]
  /**
   * Every log with one of `topics` (topic0) from `address` (registries, feeds, OFTs, position
   * signals), and with topic1 in `topic1` when given (a holder, or an Aave reserve).
   */
  events: readonly { address: readonly Address[]; topics: readonly Hex[]; topic1?: readonly Hex[] }[]
}

const ZERO_TOPIC: Hex = pad('0x0000000000000000000000000000000000000000')

/** topic0 of OFT events (an OFT's own `Transfer`s come through its supply or balances). */
export const OFT_TOPICS: readonly Hex[] = [TOPICS.OFTSent, TOPICS.OFTReceived]

/**
 * The interest of a tracked set: balances of every tracked holder in every balance token, the
 * supply of every supply token, and the registries', feeds' and OFTs' own events by address.
 *
 * @param tracked The tracked set of a chain.
 * @returns Its log interest.
 * @example
 * ```ts
 * const filters = buildLogFilters(interestOf(tracked), chain.filterCap)
 * ```
 */
export function interestOf(tracked: Tracked): LogInterest {
  const events: { address: Address[]; topics: readonly Hex[]; topic1?: Hex[] }[] = []
  if (tracked.registries.size > 0)
    events.push({ address: sorted(tracked.registries), topics: REGISTRY_TOPICS })
  // Timelock operations (the target is not indexed: calls on other contracts are dropped on apply).
  if (tracked.timelocks.size > 0)
    events.push({ address: sorted(new Set(tracked.timelocks.keys())), topics: TIMELOCK_TOPICS })
  if (tracked.attestations.size > 0)
    events.push({ address: sorted(tracked.attestations), topics: [TOPICS.StatementPosted] })
  const feeds = new Set([...tracked.feeds, ...[...tracked.proxies.values()].filter((a) => a !== undefined)])
  if (feeds.size > 0) events.push({ address: sorted(feeds), topics: [TOPICS.AnswerUpdated] })
  if (tracked.ofts.size > 0) events.push({ address: sorted(tracked.ofts), topics: OFT_TOPICS })
  const ofKind = (kind: string) =>
    new Set([...tracked.positions].filter(([, k]) => k === kind).map(([token]) => token))
  const holders = sorted(tracked.holders)
  const holderTopics = holders.map((h) => pad(h))
  const weth = ofKind('weth9')
  if (weth.size > 0 && holders.length > 0)
    events.push({ address: sorted(weth), topics: WETH_TOPICS, topic1: holderTopics })
  const rebasing = ofKind('rebasing-shares')
  if (rebasing.size > 0) events.push({ address: sorted(rebasing), topics: [TOPICS.TokenRebased] })
  const pairs = ofKind('uniswap-v2-lp')
  if (pairs.size > 0) events.push({ address: sorted(pairs), topics: [TOPICS.Sync] })
  for (const { pool, underlying } of tracked.aave.values())
    events.push({ address: [pool], topics: [TOPICS.ReserveDataUpdated], topic1: [pad(underlying)] })
  // Read-kind tokens: a holder's Transfer is a checkpoint signal (amounts are read, not summed).
  const signalTokens = [...weth, ...rebasing, ...ofKind('aave-v3-atoken')]
  const balanceTokens = [...new Set([...tracked.balanceTokens, ...signalTokens])].sort()
  return {
    balances: balanceTokens.length > 0 && holders.length > 0 ? [{ tokens: balanceTokens, holders }] : [],
    supplies: sorted(tracked.supplyTokens),
    events,
  }
}

/**
 * The `eth_getLogs` filters of an interest. Balances: two filters per (tokens, holders) entry,
 * `Transfer` with topic1 (from) in the holders and with topic2 (to) in them (a transfer between
 * two holders comes back from both: the fetch keeps one copy). Supplies: `Transfer` with topic1
 * or topic2 the zero address. Events: by address and topic0. Every address list and topic OR-list
 * is cut into pieces of at most `cap` values (a filter per combination of pieces), the limit
 * providers put on one filter position (geth's default is 1,000).
 *
 * @param interest What to fetch.
 * @param cap Most values of one address list or topic OR-list.
 * @returns The filters (none for an empty interest).
 * @example
 * ```ts
 * buildLogFilters({ balances: [{ tokens: [usdc], holders: [treasury] }], supplies: [], events: [] }, 1_000)
 * // [{ address: [usdc], topics: [Transfer, [treasury]] }, { address: [usdc], topics: [Transfer, null, [treasury]] }]
 * ```
 */
export function buildLogFilters(interest: LogInterest, cap: number): LogFilter[] {
  const out: LogFilter[] = []
  for (const { tokens, holders } of interest.balances) {
    if (tokens.length === 0 || holders.length === 0) continue
    const topics = holders.map((h) => pad(h))
    out.push(...split({ address: tokens, topics: [TOPICS.Transfer, topics] }, cap))
    out.push(...split({ address: tokens, topics: [TOPICS.Transfer, null, topics] }, cap))
  }
  if (interest.supplies.length > 0) {
    out.push(...split({ address: interest.supplies, topics: [TOPICS.Transfer, ZERO_TOPIC] }, cap))
    out.push(...split({ address: interest.supplies, topics: [TOPICS.Transfer, null, ZERO_TOPIC] }, cap))
  }
  for (const { address, topics, topic1 } of interest.events) {
    if (address.length === 0 || topics.length === 0 || topic1?.length === 0) continue
    out.push(...split({ address, topics: topic1 === undefined ? [topics] : [topics, topic1] }, cap))
  }
  return out
}

/**
 * A filter cut so that its address list and each topic OR-list hold at most `cap` values: the
 * cartesian product of the pieces. Also how a provider's "filter too big" refusal is answered
 * (with a smaller cap): a smaller block range never helps there.
 *
 * @param filter The filter.
 * @param cap Most values per list (at least 1).
 * @returns Filters that together match exactly what `filter` matches.
 * @example
 * ```ts
 * split({ address: [a, b, c], topics: [t] }, 2) // [{ address: [a, b], ... }, { address: [c], ... }]
 * ```
 */
export function split(filter: LogFilter, cap: number): LogFilter[] {
  const size = Math.max(1, cap)
  let out: LogFilter[] = chunk(filter.address, size).map((address) => ({ address, topics: [] }))
  for (const position of filter.topics ?? []) {
    const pieces: (Hex | readonly Hex[] | null)[] =
      position === null || typeof position === 'string' ? [position] : chunk(position, size)
    out = out.flatMap((f) =>
      pieces.map((piece) => ({ address: f.address, topics: [...(f.topics ?? []), piece] })),
    )
  }
  return out
}

/** The largest list of a filter (its address list or a topic OR-list). */
export function filterSize(filter: LogFilter): number {
  let size = filter.address.length
  for (const position of filter.topics ?? [])
    if (Array.isArray(position)) size = Math.max(size, position.length)
  return size
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out.length === 0 ? [[]] : out
}

function sorted(set: ReadonlySet<Address>): Address[] {
  return [...set].sort()
}
