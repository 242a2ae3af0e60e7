/**
 * The indexer's tables, as kysely sees them. Every stored fact carries `(chain_id, block_number,
 * log_index)`, so a reorg rolls back with one `delete ... where chain_id = ? and block_number > ?`
 * per table. uint256/int256 columns are text written by `encodeUint256` (lossless, ordered).
 * Balances and supplies are stored as the value after the last change in each block (one row per
 * key and block that changed it, `log_index` of that last change), so the value at block B is the
 * latest row at or before B, and a rollback needs no recomputation.
 */
export type Schema = {
  sync_state: SyncStateTable
  tracked_parts: TrackedPartsTable
  blocks: BlocksTable
  pool_events: PoolEventsTable
  member_events: MemberEventsTable
  risk_parameters: RiskParametersTable
  holder_acknowledgements: HolderAcknowledgementsTable
  timelock_operations: TimelockOperationsTable
  attestations: AttestationsTable
  balances: BalancesTable
  supplies: SuppliesTable
  prices: PricesTable
  reads: ReadsTable
  oft_sent: OftSentTable
  oft_received: OftReceivedTable
  tokens: TokensTable
  pool_snapshots: PoolSnapshotsTable
  chain_leases: ChainLeasesTable
  keeper_decisions: KeeperDecisionsTable
  keeper_actions: KeeperActionsTable
  keeper_transactions: KeeperTransactionsTable
}

/** Per chain: the last indexed block (its hash and time). Advanced in the same transaction as its data. */
export type SyncStateTable = {
  chain_id: number
  block_number: number
  block_hash: string
  block_timestamp: number
  /** Highest block at or below `block_number` treated as final (head - finality depth). */
  finalized_block_number: number
  /** Chain head seen at the last step (lag = head - block_number). */
  head_block_number: number
}

/**
 * Per chain: the tracked set's fingerprint, one row per part (`balance:<token>:<holder>`,
 * `supply:<token>`, `events:<address>`, `start:<block>`), written with the data it covers. A
 * restart compares it with the config's set: added parts are caught up, removed ones dropped.
 */
export type TrackedPartsTable = {
  chain_id: number
  part: string
}

/** ERC-20 metadata of discovered liability tokens (`block_number`: where they were discovered). */
export type TokensTable = {
  chain_id: number
  block_number: number
  log_index: number
  address: string
  symbol: string
  decimals: number
}

/** Headers of blocks that carry stored facts, and of every unfinalized block (reorg detection). */
export type BlocksTable = {
  chain_id: number
  block_number: number
  log_index: number
  hash: string
  parent_hash: string
  timestamp: number
}

/** `PoolCreated` (kind `created`) and `PoolTargetsUpdated` (kind `targets`) of the registries. */
export type PoolEventsTable = {
  chain_id: number
  block_number: number
  log_index: number
  registry: string
  pool_id: string
  kind: 'created' | 'targets'
  name: string | null
  min_ratio_bps: number
  target_ratio_bps: number
}

/** `MemberJoined` (holders as a JSON array of addresses) and `MemberLeft`. */
export type MemberEventsTable = {
  chain_id: number
  block_number: number
  log_index: number
  registry: string
  pool_id: string
  member_id: string
  kind: 'joined' | 'left'
  name: string | null
  liability_token: string | null
  holders: string | null
}

/** `RiskParametersUpdated`: a pool's parameters of an asset, applying from `effective_at` (unix seconds). */
export type RiskParametersTable = {
  chain_id: number
  block_number: number
  log_index: number
  registry: string
  pool_id: string
  asset: string
  haircut_floor_bps: number
  liquidation_threshold_bps: number
  liquidation_horizon: number
  effective_at: number
}

/** `HolderAcknowledged`: a holder acknowledged it holds reserves of a member of a pool. */
export type HolderAcknowledgementsTable = {
  chain_id: number
  block_number: number
  log_index: number
  registry: string
  pool_id: string
  member_id: string
  holder: string
}

/**
 * The registry's role timelocks' `CallScheduled` (calls that target the registry, their calldata
 * decoded into `change_kind`, `pool_id`, `asset`, `member_id`, `change_values` JSON), `CallExecuted`
 * and `Cancelled` (no call: `change_kind` null). An operation is pending from its scheduling until
 * executed or cancelled; its eta is the scheduling block's timestamp + `delay` (OpenZeppelin's
 * `_schedule`: `block.timestamp + delay`).
 */
export type TimelockOperationsTable = {
  chain_id: number
  block_number: number
  log_index: number
  tx_hash: string
  timelock: string
  registry: string
  operation_id: string
  /** Index of the call in a batch (0 for a single call; -1 for a cancellation). */
  call_index: number
  kind: 'scheduled' | 'executed' | 'cancelled'
  change_kind: string | null
  pool_id: string | null
  asset: string | null
  member_id: string | null
  change_values: string | null
  /** Seconds (scheduled only). */
  delay: number | null
}

/** `ReserveAttestation.StatementPosted`: a pool's solvency statement as posted on chain. */
export type AttestationsTable = {
  chain_id: number
  block_number: number
  log_index: number
  tx_hash: string
  contract: string
  pool_id: string
  attester: string
  liability_root: string
  total_liabilities: string
  adjusted_reserves: string
  pooled_ratio_wad: string
  as_of: number
  /** JSON arrays of decimal strings, in the order posted. */
  chain_ids: string
  block_numbers: string
}

/** Balance of a tracked holder in a token after the block's last Transfer of it (at log `log_index`). */
export type BalancesTable = {
  chain_id: number
  block_number: number
  log_index: number
  token: string
  holder: string
  balance: string
}

/** Total supply of a token (mints - burns) after the block's last mint or burn (at log `log_index`). */
export type SuppliesTable = {
  chain_id: number
  block_number: number
  log_index: number
  token: string
  supply: string
}

/** Feed answers (`AnswerUpdated`). */
export type PricesTable = {
  chain_id: number
  block_number: number
  log_index: number
  feed: string
  answer: string
  round_id: string
  updated_at: number
}

/**
 * Values that move without a balance-changing event, observed at checkpoints (every block with a
 * signal log of the position, and each step's last block): an `eth_call` result (`log_index` =
 * `BLOCK_END_LOG_INDEX`) or a value an event carries (a pair's `Sync`: its log index). `holder`
 * is '' for a contract-wide value. Fields: `balance` (rebasing, native), `scaledBalance`,
 * `liquidityIndex`, `liquidityRate`, `lastUpdate` (Aave), `assetsPerShare` (ERC-4626),
 * `reserve0`, `reserve1` (Uniswap V2), `aggregator`, `phaseId` (Chainlink proxies).
 */
export type ReadsTable = {
  chain_id: number
  block_number: number
  log_index: number
  contract: string
  holder: string
  field: string
  value: string
}

/** `OFTSent` on the source chain. */
export type OftSentTable = {
  chain_id: number
  block_number: number
  log_index: number
  tx_hash: string
  oft: string
  guid: string
  dst_eid: number
  from_address: string
  amount_sent: string
  amount_received: string
}

/** `OFTReceived` on the destination chain. */
export type OftReceivedTable = {
  chain_id: number
  block_number: number
  log_index: number
  tx_hash: string
  oft: string
  guid: string
  src_eid: number
  to_address: string
  amount_received: string
}

/**
 * A pool's state at a regular time (`serializePoolState` JSON), or why it could not be built
 * (`error`, e.g. no price yet). Derived from facts that are final on every chain, so no reorg can
 * change it: the one table outside the per-chain rollback.
 */
export type PoolSnapshotsTable = {
  pool_id: string
  timestamp: number
  state: string | null
  error: string | null
}

/**
 * Per chain: which indexer process may write it, until when (ms on the database's clock). On
 * PostgreSQL a trigger refuses a `sync_state` write from any other process, so a writer that lost
 * its lease cannot commit a step.
 */
export type ChainLeasesTable = {
  chain_id: number
  owner: string
  expires_at: number
}

/** One keeper decision (`ballast keeper`): `body` is the decision as JSON. */
export type KeeperDecisionsTable = {
  /** `<policy slug>-<sequence>`. */
  id: string
  policy: string
  pool_id: string
  sequence: number
  /** Unix seconds. */
  at: number
  body: string
}

/**
 * An action the keeper proposed or took (`id` = `<decision id>/<action id>`), with its state:
 * `proposed` until its transfers are seen indexed (`executed`) or a later proposal of the same
 * action replaces it (`superseded`); in execute mode `executing` until every transaction is mined
 * and delivered (`executed`) or one reverts (`failed`). `body` is the action outcome as JSON.
 */
export type KeeperActionsTable = {
  id: string
  policy: string
  pool_id: string
  decision_id: string
  action_id: string
  at: number
  status: string
  /** USD with 18 decimals, as a decimal string. */
  moved_usd: string
  body: string
}

/**
 * One transaction of an action the keeper executes, in order (`seq`). `state`: `planned` (not
 * signed), `signed` (nonce, hash and raw transaction written; maybe sent), `mined`, `reverted`,
 * `delivered` (an OFT send whose `OFTReceived` with `guid` was seen on `dst_chain_id`).
 */
export type KeeperTransactionsTable = {
  /** The keeper action's id. */
  action: string
  seq: number
  chain_id: number
  sender: string
  target: string
  /** Wei, decimal string. */
  value: string
  data: string
  /** `approve`, `send` (OFT), `transfer`. */
  purpose: string
  state: string
  nonce: number | null
  hash: string | null
  raw: string | null
  guid: string | null
  dst_chain_id: number | null
  dst_oft: string | null
  /** Destination block to search for the delivery from (its head when the send was mined). */
  dst_from_block: number | null
}

/** Every table that holds facts of a chain, in the order a rollback deletes them. */
export const CHAIN_TABLES = [
  'blocks',
  'pool_events',
  'member_events',
  'risk_parameters',
  'holder_acknowledgements',
  'timelock_operations',
  'attestations',
  'balances',
  'supplies',
  'prices',
  'reads',
  'oft_sent',
  'oft_received',
  'tokens',
] as const satisfies readonly (keyof Schema)[]
