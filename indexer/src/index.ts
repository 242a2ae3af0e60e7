// Public entry point of @ballast/indexer: config, storage, sync and the query layer the api reads
// through. Every export is named. Test helpers live in `@ballast/indexer/testing`.
export { type ConfigFinding, checkConfigOnChain } from './config/checkConfigOnChain.js'
export { configFromDevnetManifest } from './config/configFromDevnetManifest.js'
export { DEFAULT_DATABASE_FILE, defineConfig } from './config/defineConfig.js'
export type {
  AssetConfig,
  BridgeConfig,
  ChainConfig,
  DatabaseConfig,
  FeedConfig,
  IndexerConfig,
  PoolConfig,
  PriceHistoryConfig,
  ResolvedChainConfig,
  ResolvedDatabaseConfig,
  ResolvedFeedConfig,
  ResolvedIndexerConfig,
  StaticMemberConfig,
  SubgraphSourceConfig,
  VaultConfig,
} from './config/IndexerConfig.js'
export { DEFAULT_FEED_MAX_AGE, DEFAULT_PRICE_HISTORY } from './config/IndexerConfig.js'
export { configPath, DEFAULT_CONFIG_FILE, loadConfig } from './config/loadConfig.js'
export { resolveEnvReferences } from './config/resolveEnvReferences.js'
export { BlockTimeUnknownError } from './errors/BlockTimeUnknownError.js'
export { ConfigError } from './errors/ConfigError.js'
export { IndexerError, type IndexerErrorParameters } from './errors/IndexerError.js'
export {
  createIndexerMetrics,
  type IndexerMetrics,
  type StepObservation,
} from './metrics/createIndexerMetrics.js'
export { type MetricsServer, serveIndexerMetrics } from './metrics/serveIndexerMetrics.js'
export { type Balance, getBalances } from './queries/getBalances.js'
export { getMemberBalances, type MemberBalance } from './queries/getMemberBalances.js'
export { getMembers, listPools, type PoolInfo, type PoolMember } from './queries/getMembers.js'
export { getPoolSnapshots, type PoolSnapshot } from './queries/getPoolSnapshots.js'
export { type FeedPrice, getPriceHistory, getPrices } from './queries/getPrices.js'
export { getRiskParameters, type RiskParameters } from './queries/getRiskParameters.js'
export { getSupplies, type Supply } from './queries/getSupplies.js'
export { type ChainSyncMeta, getSyncMeta } from './queries/getSyncMeta.js'
export {
  type BridgeTransfer,
  getInFlightTransfers,
  listBridgeTransfers,
  MAX_PAGE_SIZE,
} from './queries/listBridgeTransfers.js'
export { loadPoolState } from './queries/loadPoolState.js'
export type { At, ChainPoint, Page, QueryContext } from './queries/QueryContext.js'
export { type ResolvedAt, resolveAt } from './queries/resolveAt.js'
export { checkRpcUrls, type UnreachableUrl } from './rpc/checkRpcUrls.js'
export {
  type BlockTimestampReader,
  type CreateBlockTimestampReaderOptions,
  createBlockTimestampReader,
} from './rpc/createBlockTimestampReader.js'
export {
  type BlockHeader,
  type BlockTag,
  type ChainRpc,
  type CreateChainRpcOptions,
  createChainRpc,
  type EndpointState,
  type GetLogsParameters,
  type RpcLog,
  type RpcStats,
} from './rpc/createChainRpc.js'
export {
  classifyRpcError,
  RpcError,
  type RpcErrorClass,
  type RpcErrorFamily,
  type RpcErrorKind,
} from './rpc/RpcError.js'
export { RECHECK_DEPTH, recheckNewestBlocks } from './rpc/recheckNewestBlocks.js'
export { redactUrl, redactUrls } from './rpc/redactUrl.js'
export { openRpcCache, type RpcCache, withRpcCache } from './rpc/withRpcCache.js'
export {
  claimLease,
  isLeaseRefusal,
  type LeaseHolder,
  type LeaseOptions,
  leaseOwner,
  releaseLease,
} from './storage/chainLease.js'
export {
  type ChangeEvent,
  type ChangeFeed,
  changeChannel,
  changeOfSyncEvent,
  createChangeFeed,
} from './storage/createChangeFeed.js'
export {
  type CreateDatabaseOptions,
  createDatabase,
  type DatabaseTarget,
  type Dialect,
  type IndexerDatabase,
} from './storage/createDatabase.js'
export { BLOCK_END_LOG_INDEX } from './storage/insertFactRows.js'
export { readSchemaStatus, type SchemaStatus } from './storage/readSchemaStatus.js'
export { rollbackChain } from './storage/rollbackChain.js'
export type { Schema } from './storage/schema.js'
export { decodeUint256, encodeUint256 } from './storage/uint256.js'
export { checkSubgraphUrls } from './sync/checkSubgraphUrls.js'
export { type CreateChainSyncOptions, createChainSync } from './sync/createChainSync.js'
export {
  createSubgraphClient,
  type SubgraphBlock,
  type SubgraphClient,
} from './sync/createSubgraphClient.js'
export { type CreateSubgraphSyncOptions, createSubgraphSync } from './sync/createSubgraphSync.js'
export {
  type ChainSync,
  type ChainSyncStatus,
  type CreateSyncLoopOptions,
  createSyncLoop,
  type SourceHead,
  type SourceStep,
  type SyncEvent,
  type SyncSource,
} from './sync/createSyncLoop.js'
export { type Indexer, type IndexerLogger, type RunIndexerOptions, runIndexer } from './sync/runIndexer.js'
export { type RunIndexerCommandOptions, runIndexerCommand } from './sync/runIndexerCommand.js'
export { finalizedTime, writeSnapshots } from './sync/writeSnapshots.js'
