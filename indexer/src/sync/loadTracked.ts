import type { PositionKind } from '@ballast/sdk'
import type { Kysely } from 'kysely'
import type { Address } from 'viem'
import { NATIVE_TOKEN } from '../config/defineConfig.js'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { KIND_TRAITS } from '../positions/positionKinds.js'
import type { Schema } from '../storage/schema.js'

/**
 * The contracts and accounts indexed on one chain. Config gives registries, feeds, asset tokens
 * (by kind) and OFTs; `MemberJoined` events add holders and liability tokens. A member that leaves
 * stays tracked (queries use membership intervals), so a rejoin needs no second backfill.
 */
export type Tracked = {
  registries: Set<Address>
  /**
   * The registries' role timelocks (timelock -> its registry): read from each registry on chain
   * (`poolAdminTimelock()` etc., immutables) when the sync starts, see `readRegistryTimelocks`.
   */
  timelocks: Map<Address, Address>
  /** `ReserveAttestation` contracts named by the config (pools[].attestations). */
  attestations: Set<Address>
  feeds: Set<Address>
  /** Tokens whose balances are recorded for every tracked holder (assets, vault shares). */
  balanceTokens: Set<Address>
  /** Tokens whose supply (mints - burns) is recorded (liability tokens, vault shares). */
  supplyTokens: Set<Address>
  /** OFTs/adapters whose `OFTSent`/`OFTReceived` are recorded. */
  ofts: Set<Address>
  /** Accounts whose balances are recorded (member holders). */
  holders: Set<Address>
  /**
   * Positions whose values are read at checkpoints, by contract: read-kind tokens (weth9,
   * rebasing-shares, aave-v3-atoken, native: per holder) and contract-wide reads (erc4626 rate,
   * uniswap-v2-lp reserves). Their logs mark checkpoint blocks.
   */
  positions: Map<Address, PositionKind>
  /** Aave aTokens: their Pool and reserve asset (read from the aToken at start). */
  aave: Map<Address, { pool: Address; underlying: Address }>
  /** Chainlink proxies and the aggregator behind each at the cursor (its `AnswerUpdated` are fetched). */
  proxies: Map<Address, Address | undefined>
}

/** Every address whose token, OFT or feed logs to fetch (the registries are fetched apart). */
export function trackedAddresses(tracked: Tracked): Address[] {
  return [
    ...new Set([
      ...tracked.feeds,
      ...tracked.balanceTokens,
      ...tracked.supplyTokens,
      ...tracked.ofts,
      ...[...tracked.positions.keys()].filter((a) => a !== NATIVE_TOKEN),
    ]),
  ].sort()
}

/**
 * Builds the tracked set of a chain from the config and the `MemberJoined` rows stored so far
 * (after a rollback the set shrinks with them).
 *
 * @param db Database (or transaction).
 * @param config Resolved config.
 * @param chainId The chain.
 * @returns The tracked set.
 * @example
 * ```ts
 * const tracked = await loadTracked(db, config, 31337)
 * ```
 */
export async function loadTracked(
  db: Kysely<Schema>,
  config: ResolvedIndexerConfig,
  chainId: number,
): Promise<Tracked> {
  const tracked = staticTracked(config, chainId)
  const joined = await db
    .selectFrom('member_events')
    .select(['liability_token', 'holders'])
    .where('chain_id', '=', chainId)
    .where('kind', '=', 'joined')
    .execute()
  for (const row of joined)
    addMember(tracked, row.liability_token as Address | null, parseHolders(row.holders))
  return tracked
}

/** The part of the tracked set that the config alone determines. */
export function staticTracked(config: ResolvedIndexerConfig, chainId: number): Tracked {
  const tracked: Tracked = {
    registries: new Set(),
    timelocks: new Map(),
    attestations: new Set(),
    feeds: new Set(),
    balanceTokens: new Set(),
    supplyTokens: new Set(),
    ofts: new Set(),
    holders: new Set(),
    positions: new Map(),
    aave: new Map(),
    proxies: new Map(),
  }
  for (const pool of config.pools) {
    const registry = pool.registries?.[chainId]
    if (registry !== undefined) tracked.registries.add(registry)
    const attestation = pool.attestations?.[chainId]
    if (attestation !== undefined) tracked.attestations.add(attestation)
    for (const member of pool.members ?? []) {
      addMember(tracked, member.liabilityTokens[chainId], member.holders[chainId] ?? [])
    }
  }
  for (const asset of config.assets) {
    const token = asset.tokens[chainId]
    if (token !== undefined) {
      if (KIND_TRAITS[asset.kind].transferBalances) tracked.balanceTokens.add(token)
      if (asset.kind !== 'erc20') tracked.positions.set(token, asset.kind)
      // An LP token's supply is part of its value per share.
      if (asset.kind === 'uniswap-v2-lp') tracked.supplyTokens.add(token)
      // A vault's mints and burns and its underlying moving in or out mark its rate's changes
      // (checkpoints); accrual without events is read at every step end.
      if (asset.kind === 'erc4626') {
        tracked.supplyTokens.add(token)
        tracked.holders.add(token)
      }
    }
    const oft = asset.ofts?.[chainId]
    if (oft !== undefined) tracked.ofts.add(oft)
    if (asset.feed?.chainId === chainId) tracked.feeds.add(asset.feed.address)
    if (asset.feed?.times?.chainId === chainId) tracked.feeds.add(asset.feed.times.address)
  }
  for (const liability of config.liabilities) {
    if (liability.feed?.chainId === chainId) tracked.feeds.add(liability.feed.address)
    if (liability.feed?.times?.chainId === chainId) tracked.feeds.add(liability.feed.times.address)
  }
  for (const bridge of config.bridges) {
    const oft = bridge.ofts[chainId]
    if (oft !== undefined) tracked.ofts.add(oft)
  }
  return tracked
}

/** Adds a member's liability token (supply + OFT events) and holders to the set. */
export function addMember(
  tracked: Tracked,
  liabilityToken: Address | null | undefined,
  holders: readonly Address[],
) {
  if (liabilityToken !== null && liabilityToken !== undefined) {
    tracked.supplyTokens.add(liabilityToken)
    tracked.ofts.add(liabilityToken)
  }
  for (const holder of holders) tracked.holders.add(holder)
}

/** Holders as stored in `member_events.holders` (a JSON array). */
export function parseHolders(text: string | null): Address[] {
  return text === null ? [] : (JSON.parse(text) as Address[])
}
