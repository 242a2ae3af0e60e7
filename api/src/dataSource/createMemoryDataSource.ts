import type { PoolState } from '@ballast/sdk'
import type { KeeperJournal } from '../keeper/createKeeperJournal.js'
import type {
  ApiDataSource,
  AttestationRecord,
  BridgeTransferRecord,
  ChainInfo,
  ChainSyncMeta,
  HolderAcknowledgementRecord,
  RiskParameterChangeRecord,
  TimelockChangeRecord,
  TimeTravel,
} from './ApiDataSource.js'

/** Contents of a {@link createMemoryDataSource}. */
export type MemoryDataSourceContents = {
  /** Snapshots over time (any order); a pool's state at `at` is the latest snapshot at or before it. */
  states: readonly PoolState[]
  chains?: readonly ChainInfo[]
  syncMeta?: readonly ChainSyncMeta[] | (() => readonly ChainSyncMeta[])
  bridgeTransfers?: readonly BridgeTransferRecord[]
  riskParameterHistory?: readonly RiskParameterChangeRecord[]
  timelockChanges?: readonly TimelockChangeRecord[]
  holderAcknowledgements?: readonly HolderAcknowledgementRecord[]
  attestations?: readonly AttestationRecord[]
  /** The keeper's journal, when a test has one (else no decisions). */
  keeperJournal?: KeeperJournal | undefined
}

function pick(states: readonly PoolState[], poolId: string, time: TimeTravel): PoolState | undefined {
  const candidates = states
    .filter((s) => s.pools.some((p) => p.id === poolId))
    .filter((s) => time.at === undefined || s.timestamp <= time.at)
    .filter(
      (s) =>
        time.blocks === undefined ||
        time.blocks.every((b) =>
          s.blocks.every((sb) => sb.chainId !== b.chainId || sb.blockNumber <= b.block),
        ),
    )
    .sort((a, b) => a.timestamp - b.timestamp)
  if (candidates.length > 0) return candidates.at(-1)
  // Before the first snapshot the pool existed in no state: the earliest is the closest answer.
  return states
    .filter((s) => s.pools.some((p) => p.id === poolId))
    .sort((a, b) => a.timestamp - b.timestamp)[0]
}

/**
 * An `ApiDataSource` over `PoolState` snapshots held in memory, for serving hand-built or
 * what-if states (a frontend's "what if ETH falls 30%" view), and for tests of the HTTP layer
 * that do not need chains. The indexer-backed source is `createIndexerDataSource`.
 *
 * @param contents - snapshots and metadata.
 * @returns the data source.
 * @example
 * ```ts
 * const api = createApi({ dataSource: createMemoryDataSource({ states: [state] }) })
 * ```
 */
export function createMemoryDataSource(contents: MemoryDataSourceContents): ApiDataSource {
  return {
    async listPools() {
      const pools = new Map<string, { id: string; name: string }>()
      for (const s of contents.states) for (const p of s.pools) pools.set(p.id, { id: p.id, name: p.name })
      return [...pools.values()]
    },
    async loadPoolStates(requests) {
      return requests.map((r) => pick(contents.states, r.poolId, r.time))
    },
    async listChains() {
      return contents.chains ?? []
    },
    async syncMeta() {
      const meta = contents.syncMeta
      return typeof meta === 'function' ? meta() : (meta ?? [])
    },
    async bridgeTransfers(query) {
      const all = (contents.bridgeTransfers ?? []).filter(
        (t) => query.status === undefined || t.status === query.status,
      )
      const start = query.after === undefined ? 0 : Number(query.after)
      const items = all.slice(start, start + query.first)
      return {
        items,
        endCursor: items.length > 0 ? String(start + items.length) : undefined,
        hasNextPage: start + items.length < all.length,
      }
    },
    async riskParameterHistory() {
      return contents.riskParameterHistory ?? []
    },
    async timelockChanges() {
      return contents.timelockChanges ?? []
    },
    async holderAcknowledgements() {
      return contents.holderAcknowledgements ?? []
    },
    async attestations() {
      return contents.attestations ?? []
    },
    async keeperDecisions(query) {
      return (
        contents.keeperJournal?.decisions(query) ?? { items: [], endCursor: undefined, hasNextPage: false }
      )
    },
    async keeperPendingActions(poolId) {
      return contents.keeperJournal?.pending({ poolId }) ?? []
    },
    async keeperJournalVersion() {
      return contents.keeperJournal?.version() ?? ''
    },
  }
}
