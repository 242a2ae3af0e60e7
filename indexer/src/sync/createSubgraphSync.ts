import type { Kysely, Transaction } from 'kysely'
import type { ResolvedChainConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import {
  BLOCK_END_LOG_INDEX,
  countFactRows,
  emptyFactRows,
  insertFactRows,
} from '../storage/insertFactRows.js'
import type { Schema } from '../storage/schema.js'
import type { SyncCursor } from '../storage/syncState.js'
import { encodeUint256 } from '../storage/uint256.js'
import { createSubgraphClient, type SubgraphClient } from './createSubgraphClient.js'
import {
  type ChainSync,
  createSyncLoop,
  type SourceStep,
  type SyncEvent,
  type SyncSource,
} from './createSyncLoop.js'
import { noGovernance, pushGovernanceRows, readGovernanceEntities } from './subgraphGovernance.js'
import { lower, type Ref, ref, safeSeconds } from './subgraphValues.js'

/** Options of {@link createSubgraphSync}. */
export type CreateSubgraphSyncOptions = {
  config: ResolvedIndexerConfig
  /** A chain with `subgraph` set. */
  chain: ResolvedChainConfig
  db: Kysely<Schema>
  onEvent?: ((event: SyncEvent) => void) | undefined
  /** A client of the deployment; default: one for `chain.subgraph.url`. */
  client?: SubgraphClient | undefined
}

/** Blocks of one step above the finalized block: one, so every unfinalized block is a sync point. */
const REALTIME_STEP = 1
/** Block timestamps asked per query when looking for a snapshot time's block. */
const SAMPLES = 50

/**
 * The sync of one chain from a deployment of Ballast's subgraph (graph-node's GraphQL API) into
 * the same tables as the JSON-RPC sync, so every query and the API answer the same way.
 *
 * Each step reads the entities that changed in `(cursor, target]`, every page pinned to the
 * target block's hash (one consistent state even while the subgraph moves on), and stores them
 * with the sync state in one transaction:
 * - immutable entities are events with their own `blockNumber` and `logIndex` (`PriceRound`,
 *   `RiskParameterUpdate`, `OftSent`, `OftReceived`, `HolderAcknowledgement`,
 *   `TimelockOperation` (its calldata decoded here, as the RPC sync does), `Attestation`): one
 *   row each, as from RPC; a deployment older than the governance entities gives none of those;
 * - mutable ones are state (`Balance`, `Token.totalSupply`, `Vault.totalAssets`, `Member`,
 *   `Pool`): one row with their value at the target, at their `updatedAtBlock` (joined/left
 *   block for members) and `log_index` {@link BLOCK_END_LOG_INDEX}. The state at every sync point
 *   is exact; between two sync points of one backfill step, a value changed twice shows its later
 *   value from its last change only. Backfill steps end at the last block before each pool
 *   snapshot time, so snapshots (and time travel to those times) are exact; steps above the
 *   finalized block are single blocks, so unfinalized history is exact per block.
 *
 * Reorgs: the target and every block holding a fact are stored in `blocks` with the subgraph's
 * hash. Each step first compares the cursor's stored hash with the subgraph's hash at that number
 * (or sees the subgraph's head fall below it, as graph-node reverts); on a mismatch it walks back
 * over the stored blocks within the finality depth to the newest one the subgraph still agrees on
 * and rolls back above it, one delete per table (`rollbackChain`).
 *
 * @param options Config, a chain with `subgraph`, the database and an event callback.
 * @returns The chain's sync (the same interface as the RPC sync).
 * @example
 * ```ts
 * const sync = createSubgraphSync({ config, chain, db })
 * while ((await sync.step()) === 'progress') {}
 * ```
 */
export function createSubgraphSync(options: CreateSubgraphSyncOptions): ChainSync {
  const { config, chain, db } = options
  const chainId = chain.chainId
  if (chain.subgraph === undefined) {
    throw new IndexerError('createSubgraphSync needs a chain with `subgraph`.', {
      details: `Chain ${chainId} has no subgraph source.`,
    })
  }
  const client = options.client ?? createSubgraphClient(chain.subgraph.url, chain.rpcTimeout)
  const insertSql = new Map<string, string>()
  // The RPC sync reads registry events only from the configured registries: so does this one.
  const registries = new Set(
    config.pools.map((p) => p.registries?.[chainId]).filter((r): r is `0x${string}` => r !== undefined),
  )
  // And statements only from the configured attestation contracts.
  const attestationContracts = new Set(
    config.pools
      .map((p) => p.attestations?.[chainId]?.toLowerCase())
      .filter((a): a is `0x${string}` => a !== undefined),
  )
  /** Whether the deployment has the governance entities (asked once: introspection). */
  let governance: Promise<boolean> | undefined
  const hasGovernance = () => {
    governance ??= client
      .query<Record<string, { name: string } | null>>(
        '{ a: __type(name: "HolderAcknowledgement") { name } t: __type(name: "TimelockOperation") { name } s: __type(name: "Attestation") { name } }',
      )
      .then((data) => data.a !== null && data.t !== null && data.s !== null)
      .catch((error: unknown) => {
        governance = undefined
        throw error
      })
    return governance
  }
  const source: SyncSource = {
    chainWords: "on the subgraph's chain",
    init: async () => {},
    head: () => client.head(),
    cursorCanonical: async (at, latest) =>
      at.number <= latest.number && (await client.blocks([at.number])).get(at.number)?.hash === at.hash,
    hashes: async (numbers) => {
      const current = await client.blocks(numbers)
      return new Map([...current].map(([n, b]) => [n, b.hash]))
    },
    fetch: async (at, mode, { finalized, head }) => {
      const target =
        mode === 'backfill'
          ? await alignToSnapshot(at.number + 1, Math.min(finalized, at.number + chain.maxBlockRange))
          : Math.min(head, at.number + REALTIME_STEP)
      return indexTo(at, target)
    },
  }

  /**
   * Ends a backfill step at the last block at or before the next pool snapshot time (a multiple of
   * `snapshotInterval`), so every snapshot, and time travel to those times, reads a sync point,
   * where the stored state is exact. Found by bisecting block timestamps, many blocks per query.
   */
  const alignToSnapshot = async (first: number, last: number): Promise<number> => {
    const interval = config.snapshotInterval
    if (interval === 0 || last <= first) return last
    const ends = await client.blocks([first, last])
    const start = ends.get(first) as { timestamp: number }
    const boundary = Math.ceil(start.timestamp / interval) * interval
    if ((ends.get(last) as { timestamp: number }).timestamp <= boundary) return last
    // Invariant: block lo is at or before the boundary, block hi after it.
    let lo = first
    let hi = last
    while (hi - lo > 1) {
      const probes = Array.from({ length: Math.min(SAMPLES, hi - lo - 1) }, (_, i) =>
        Math.round(lo + ((i + 1) * (hi - lo)) / (Math.min(SAMPLES, hi - lo - 1) + 1)),
      )
      const times = await client.blocks(probes)
      for (const n of probes) {
        if ((times.get(n)?.timestamp ?? Number.POSITIVE_INFINITY) <= boundary) lo = Math.max(lo, n)
        else hi = Math.min(hi, n)
      }
    }
    return lo
  }

  /** Reads what changed in `(cursor, target]` at the target's hash and stores it, one transaction. */
  const indexTo = async (at: SyncCursor, target: number): Promise<SourceStep | undefined> => {
    const from = at.number
    const pin = (await client.blocks([target])).get(target) as SyncCursor
    // BigInt filter values as strings, the form graph-node's BigInt scalar parses.
    const after = { updatedAtBlock_gt: String(from) }
    const events = { blockNumber_gt: String(from) }
    const withGovernance = await hasGovernance()
    const [
      registryRows,
      pools,
      members,
      holders,
      tokens,
      balances,
      vaults,
      rounds,
      updates,
      sends,
      receives,
      governance,
    ] = await Promise.all([
      client.all<{ id: string }>('Registry', '', pin.hash),
      client.all<PoolEntity>('Pool', 'name minRatioBps targetRatioBps createdAtBlock', pin.hash),
      client.all<MemberEntity>(
        'Member',
        'pool { id } memberId name liabilityToken { id } active joinedAtBlock leftAtBlock',
        pin.hash,
      ),
      // A collection, not `Member.holders`: graph-node cuts nested lists at 100 items.
      client.all<HolderEntity>('Holder', 'member { id }', pin.hash),
      client.all<TokenEntity>('Token', 'kind symbol decimals totalSupply updatedAtBlock', pin.hash, after),
      client.all<BalanceEntity>(
        'Balance',
        'token { id } holder { id } amount updatedAtBlock',
        pin.hash,
        after,
      ),
      client.all<VaultEntity>('Vault', 'asset totalAssets updatedAtBlock', pin.hash, after),
      client.all<RoundEntity>(
        'PriceRound',
        'feed { id } answer roundId updatedAt blockNumber logIndex',
        pin.hash,
        events,
      ),
      client.all<UpdateEntity>(
        'RiskParameterUpdate',
        'pool asset haircutFloorBps liquidationThresholdBps liquidationHorizon effectiveAt blockNumber logIndex',
        pin.hash,
        events,
      ),
      client.all<SentEntity>(
        'OftSent',
        'oft dstEid from amountSentLD amountReceivedLD blockNumber logIndex transactionHash',
        pin.hash,
        events,
      ),
      client.all<ReceivedEntity>(
        'OftReceived',
        'oft srcEid to amountReceivedLD blockNumber logIndex transactionHash',
        pin.hash,
        events,
      ),
      withGovernance ? readGovernanceEntities(client, pin.hash, events) : noGovernance,
    ])
    const registry = lower(registryRows[0]?.id ?? '')
    const followed = registries.has(registry as `0x${string}`)
    const rows = emptyFactRows()
    const base = (block: number | string, logIndex: number | string = BLOCK_END_LOG_INDEX) => ({
      chain_id: chainId,
      block_number: Number(block),
      log_index: Number(logIndex),
    })

    for (const b of balances) {
      rows.balances.push({
        ...base(b.updatedAtBlock),
        token: lower(ref(b.token)),
        holder: lower(ref(b.holder)),
        balance: encodeUint256(BigInt(b.amount)),
      })
    }
    // A vault's total assets: its balance of the underlying, as the RPC sync stores it.
    for (const v of vaults) {
      rows.balances.push({
        ...base(v.updatedAtBlock),
        token: lower(v.asset),
        holder: lower(v.id),
        balance: encodeUint256(BigInt(v.totalAssets)),
      })
    }
    const tokenRows: Schema['tokens'][] = []
    for (const t of tokens) {
      if (t.kind === 'reserve') continue
      rows.supplies.push({
        ...base(t.updatedAtBlock),
        token: lower(t.id),
        supply: encodeUint256(BigInt(t.totalSupply)),
      })
      if (t.kind === 'liability') {
        tokenRows.push({
          ...base(t.updatedAtBlock, -1),
          address: lower(t.id),
          symbol: t.symbol,
          decimals: Number(t.decimals),
        })
      }
    }
    for (const r of rounds) {
      rows.prices.push({
        ...base(r.blockNumber, r.logIndex),
        feed: lower(ref(r.feed)),
        answer: encodeUint256(BigInt(r.answer)),
        round_id: encodeUint256(BigInt(r.roundId)),
        updated_at: safeSeconds(r.updatedAt),
      })
    }
    for (const u of followed ? updates : []) {
      rows.risk_parameters.push({
        ...base(u.blockNumber, u.logIndex),
        registry,
        pool_id: lower(u.pool),
        asset: lower(u.asset),
        haircut_floor_bps: Number(u.haircutFloorBps),
        liquidation_threshold_bps: Number(u.liquidationThresholdBps),
        liquidation_horizon: Number(u.liquidationHorizon),
        effective_at: safeSeconds(u.effectiveAt),
      })
    }
    for (const s of sends) {
      rows.oft_sent.push({
        ...base(s.blockNumber, s.logIndex),
        tx_hash: lower(s.transactionHash),
        oft: lower(s.oft),
        guid: lower(s.id),
        dst_eid: Number(s.dstEid),
        from_address: lower(s.from),
        amount_sent: encodeUint256(BigInt(s.amountSentLD)),
        amount_received: encodeUint256(BigInt(s.amountReceivedLD)),
      })
    }
    for (const r of receives) {
      rows.oft_received.push({
        ...base(r.blockNumber, r.logIndex),
        tx_hash: lower(r.transactionHash),
        oft: lower(r.oft),
        guid: lower(r.id),
        src_eid: Number(r.srcEid),
        to_address: lower(r.to),
        amount_received: encodeUint256(BigInt(r.amountReceivedLD)),
      })
    }
    pushGovernanceRows(rows, governance, { followed, registry, attestationContracts, base })
    if (followed) {
      const holdersOf = new Map<string, string[]>()
      for (const h of [...holders].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        const member = lower(ref(h.member))
        holdersOf.set(member, [...(holdersOf.get(member) ?? []), lower(h.id)])
      }
      for (const m of members) {
        const common = {
          registry,
          pool_id: lower(ref(m.pool)),
          member_id: lower(m.memberId),
        }
        if (Number(m.joinedAtBlock) > from) {
          rows.member_events.push({
            ...base(m.joinedAtBlock),
            ...common,
            kind: 'joined',
            name: m.name,
            liability_token: lower(ref(m.liabilityToken)),
            holders: JSON.stringify(holdersOf.get(lower(m.id)) ?? []),
          })
        }
        if (!m.active && m.leftAtBlock !== null && Number(m.leftAtBlock) > from) {
          rows.member_events.push({
            ...base(m.leftAtBlock),
            ...common,
            kind: 'left',
            name: null,
            liability_token: null,
            holders: null,
          })
        }
      }
      for (const p of pools) {
        const id = lower(p.id)
        if (Number(p.createdAtBlock) > from) {
          rows.pool_events.push({
            ...base(p.createdAtBlock),
            registry,
            pool_id: id,
            kind: 'created',
            name: p.name,
            min_ratio_bps: Number(p.minRatioBps),
            target_ratio_bps: Number(p.targetRatioBps),
          })
          continue
        }
        // Pool has no update block: a change of targets is dated at the step's target block.
        const stored = await db
          .selectFrom('pool_events')
          .select(['min_ratio_bps', 'target_ratio_bps'])
          .where('chain_id', '=', chainId)
          .where('pool_id', '=', id)
          .orderBy('block_number', 'desc')
          .orderBy('log_index', 'desc')
          .limit(1)
          .executeTakeFirst()
        if (
          stored !== undefined &&
          (stored.min_ratio_bps !== Number(p.minRatioBps) ||
            stored.target_ratio_bps !== Number(p.targetRatioBps))
        ) {
          rows.pool_events.push({
            ...base(target),
            registry,
            pool_id: id,
            kind: 'targets',
            name: null,
            min_ratio_bps: Number(p.minRatioBps),
            target_ratio_bps: Number(p.targetRatioBps),
          })
        }
      }
    }

    // Headers of every block holding a fact, and of the target; the target read again in the same
    // query: if it changed since the pinned reads, a reorg is under way and the step is redone.
    const factBlocks = new Set<number>([target])
    for (const list of Object.values(rows) as { block_number: number }[][])
      for (const row of list) factBlocks.add(row.block_number)
    for (const row of tokenRows) factBlocks.add(row.block_number)
    const headers = await client.blocks([...factBlocks])
    if (headers.get(target)?.hash !== pin.hash) return undefined
    const blocks = [...headers.values()].map((h) => ({
      chain_id: chainId,
      block_number: h.number,
      log_index: -1,
      hash: h.hash,
      // graph-node's `_meta` has no parent hash; reorgs are found by comparing hashes instead.
      parent_hash: '',
      timestamp: h.timestamp,
    }))
    const write = async (trx: Transaction<Schema>) => {
      for (const row of tokenRows) {
        await trx
          .insertInto('tokens')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['chain_id', 'address']).doUpdateSet({ symbol: row.symbol, decimals: row.decimals }),
          )
          .execute()
      }
      await insertFactRows(trx, rows, insertSql)
    }
    return {
      cursor: { number: target, hash: pin.hash, timestamp: pin.timestamp },
      blocks,
      write,
      events: countFactRows(rows),
    }
  }

  return createSyncLoop({ chain, db, source, onEvent: options.onEvent })
}

type PoolEntity = {
  id: string
  name: string
  minRatioBps: number
  targetRatioBps: number
  createdAtBlock: string
}
type MemberEntity = {
  id: string
  pool: Ref
  memberId: string
  name: string
  liabilityToken: Ref
  active: boolean
  joinedAtBlock: string
  leftAtBlock: string | null
}
type HolderEntity = { id: string; member: Ref }
type TokenEntity = {
  id: string
  kind: string
  symbol: string
  decimals: number
  totalSupply: string
  updatedAtBlock: string
}
type BalanceEntity = { id: string; token: Ref; holder: Ref; amount: string; updatedAtBlock: string }
type VaultEntity = { id: string; asset: string; totalAssets: string; updatedAtBlock: string }
type RoundEntity = {
  id: string
  feed: Ref
  answer: string
  roundId: string
  updatedAt: string
  blockNumber: string
  logIndex: string
}
type UpdateEntity = {
  id: string
  /** The pool's id (bytes32 hex). */
  pool: string
  asset: string
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: string
  effectiveAt: string
  blockNumber: string
  logIndex: string
}
type SentEntity = {
  id: string
  oft: string
  dstEid: number
  from: string
  amountSentLD: string
  amountReceivedLD: string
  blockNumber: string
  logIndex: string
  transactionHash: string
}
type ReceivedEntity = {
  id: string
  oft: string
  srcEid: number
  to: string
  amountReceivedLD: string
  blockNumber: string
  logIndex: string
  transactionHash: string
}
