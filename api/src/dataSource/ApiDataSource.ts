import type { PoolState } from '@ballast/sdk'
import type { JournalAction } from '../keeper/createKeeperJournal.js'
import type { KeeperDecision } from '../keeper/KeeperDecision.js'

/**
 * When to read: the latest indexed state, a unix time (per chain, the last block at or before it),
 * or explicit blocks per chain (chains not named use their latest indexed block).
 */
export type TimeTravel = {
  at?: number | undefined
  blocks?: readonly { chainId: number; block: bigint }[] | undefined
}

/** A pool as listed (without figures, which need its state). */
export type PoolSummary = {
  id: string
  name: string
}

/** A chain the indexer follows. */
export type ChainInfo = {
  chainId: number
  name: string
  /** LayerZero V2 endpoint id, when configured. */
  eid: number | undefined
  finalityDepth: number
}

/** Indexing progress of one chain. */
export type ChainSyncMeta = {
  chainId: number
  name: string
  /** Last block whose data is in the database. */
  indexedBlock: bigint
  /** Timestamp of `indexedBlock` (unix seconds), when known. */
  indexedTimestamp: number | undefined
  /** Hash of `indexedBlock`, when known: a reorg to the same height changes it. */
  indexedBlockHash?: `0x${string}` | undefined
  /** Last block treated as final. */
  finalizedBlock: bigint
  /** Chain head last seen by the indexer (>= indexedBlock). */
  headBlock: bigint
  /** Seconds per block (config `chains[].blockTime`), when known: lag in seconds for `/healthz`. */
  blockTime?: number | undefined
}

/** Status filter of bridge transfers. */
export type BridgeTransferStatus = 'IN_FLIGHT' | 'DELIVERED'

/** An OFT transfer: `OFTSent` matched with its `OFTReceived` by guid when delivered. */
export type BridgeTransferRecord = {
  guid: `0x${string}`
  status: BridgeTransferStatus
  /** Asset or liability symbol, when the OFT is known. */
  asset: string | undefined
  srcChainId: number
  dstChainId: number | undefined
  amountSent: bigint
  /** Amount credited on the destination (known from `OFTSent` already). */
  amountReceived: bigint
  sender: `0x${string}`
  recipient: `0x${string}` | undefined
  sentBlock: bigint
  sentTxHash: `0x${string}`
  receivedBlock: bigint | undefined
  receivedTxHash: `0x${string}` | undefined
}

/** Query of a page of bridge transfers, in a stable order (source chain, block, log index). */
export type BridgeTransfersQuery = {
  status: BridgeTransferStatus | undefined
  /** Cursor from the previous page's `endCursor`. */
  after: string | undefined
  first: number
}

/** A page of a list, with the data source's own opaque cursor. */
export type DataPage<T> = { items: readonly T[]; endCursor: string | undefined; hasNextPage: boolean }

/** One governance change of an asset's risk parameters (`RiskParametersUpdated`). */
export type RiskParameterChangeRecord = {
  /** The pool whose parameters changed (lower-case bytes32 hex). */
  poolId: string
  /** Asset symbol. */
  asset: string
  chainId: number
  address: `0x${string}`
  /** WAD fractions and seconds, as in the sdk's `AssetRiskParameters`. */
  haircutFloor: bigint
  liquidationThreshold: bigint
  liquidationHorizon: number
  effectiveAt: number
  block: bigint
}

/**
 * A registry change scheduled on one of its role timelocks (`CallScheduled`), with what became of
 * it: executed (`CallExecuted`) or cancelled (`Cancelled`) after it, if so. Times are the blocks'.
 */
export type TimelockChangeRecord = {
  chainId: number
  timelock: `0x${string}`
  operationId: `0x${string}`
  /** The call's index in its batch. */
  index: number
  /** The registry function (`setRiskParameters`, `setPoolTargets`, `joinPool`, ...) or `other`. */
  kind: string
  /** Lower-case bytes32 hex; undefined for a call of no pool. */
  poolId: string | undefined
  /** Asset symbol (risk changes) when the config knows the token, else its address. */
  asset: string | undefined
  assetAddress: `0x${string}` | undefined
  memberId: `0x${string}` | undefined
  /** Decoded arguments as strings (lists comma-joined), by name. */
  values: readonly { name: string; value: string }[]
  scheduledBlock: bigint
  scheduledTxHash: `0x${string}`
  scheduledAt: number
  /** Scheduling time + delay (OpenZeppelin `TimelockController._schedule`). */
  eta: number
  executed: { block: bigint; txHash: `0x${string}`; at: number } | undefined
  cancelled: { block: bigint; txHash: `0x${string}`; at: number } | undefined
}

/**
 * A reserve holder of a member on a chain (from its latest `MemberJoined`, or the config for a
 * static member) and whether it acknowledged the member (`HolderAcknowledged`): the registry
 * refuses to admit an unacknowledged holder, so a static member's holders are the ones to watch.
 */
export type HolderAcknowledgementRecord = {
  chainId: number
  poolId: string
  memberId: string
  holder: `0x${string}`
  acknowledged: boolean
  /** Block of the acknowledgement, when acknowledged. */
  block: bigint | undefined
}

/** A `ReserveAttestation.StatementPosted` of a pool. */
export type AttestationRecord = {
  chainId: number
  contract: `0x${string}`
  poolId: string
  attester: `0x${string}`
  liabilityRoot: `0x${string}`
  /** USD, 18 decimals. */
  totalLiabilities: bigint
  adjustedReserves: bigint
  /** WAD; `2^256 - 1` when there were no liabilities. */
  pooledRatioWad: bigint
  asOf: number
  blocks: readonly { chainId: number; block: bigint }[]
  postedBlock: bigint
  postedTxHash: `0x${string}`
  postedAt: number
}

/**
 * What the API reads, and all it reads: a small read-only interface so that the resolvers do not
 * depend on the storage. `createIndexerDataSource` implements it over the indexer's query layer.
 * Methods that take several keys are batch entry points: the API calls them through per-request
 * DataLoaders, so a query touching many pools costs one call, not one per pool.
 */
export type ApiDataSource = {
  /** Every pool, any order. */
  listPools(): Promise<readonly PoolSummary[]>
  /**
   * The sdk's `PoolState` of each pool at the given time, in the order asked; `undefined` for a
   * pool id the indexer does not know.
   */
  loadPoolStates(
    requests: readonly { poolId: string; time: TimeTravel }[],
  ): Promise<readonly (PoolState | undefined)[]>
  /** Chains followed by the indexer. */
  listChains(): Promise<readonly ChainInfo[]>
  /** Indexing progress per chain. */
  syncMeta(): Promise<readonly ChainSyncMeta[]>
  /** A page of bridge transfers. */
  bridgeTransfers(query: BridgeTransfersQuery): Promise<DataPage<BridgeTransferRecord>>
  /** Every risk parameter change, oldest first (including ones that take effect later). */
  riskParameterHistory(): Promise<readonly RiskParameterChangeRecord[]>
  /** Every registry change scheduled on a role timelock, oldest first. */
  timelockChanges(): Promise<readonly TimelockChangeRecord[]>
  /** Every member holder with its acknowledgement status (latest indexed state). */
  holderAcknowledgements(): Promise<readonly HolderAcknowledgementRecord[]>
  /** Every posted attestation, oldest first. */
  attestations(): Promise<readonly AttestationRecord[]>
  /** A page of the keeper's decisions on a pool, newest first (empty where no keeper runs). */
  keeperDecisions(query: {
    poolId: string
    first: number
    after: string | undefined
  }): Promise<DataPage<KeeperDecision>>
  /** The keeper's proposals on a pool not yet seen executed, oldest first. */
  keeperPendingActions(poolId: string): Promise<readonly JournalAction[]>
  /** Changes when the keeper's journal does (the result cache keys on it beside the heads). */
  keeperJournalVersion?(): Promise<string>
}
