// Public entry point of @ballast/api: the GraphQL API factory, its data sources, the HTTP
// server, `startBallast` (indexer + API in one process) and the CLI. Named exports only.

export { type AttestOptions, type AttestResult, attestCommand } from './cli/attestCommand.js'
export { createProgram } from './cli/createProgram.js'
export { type KeeperCommandOptions, keeperCommand } from './cli/keeperCommand.js'
export { type MigrateResult, migrateCommand } from './cli/migrateCommand.js'
export { type PlanCommandOptions, planCommand } from './cli/planCommand.js'
export { type ProveOptions, proveCommand } from './cli/proveCommand.js'
export { type ServeCommandOptions, serveCommand } from './cli/serveCommand.js'
export { printSummary, type StartCommandOptions, startCommand } from './cli/startCommand.js'
export {
  type Api,
  type ApiLimits,
  type CreateApiOptions,
  createApi,
  readTypeDefs,
  schemaPath,
} from './createApi.js'
export type {
  ApiDataSource,
  BridgeTransferRecord,
  BridgeTransferStatus,
  BridgeTransfersQuery,
  ChainInfo,
  ChainSyncMeta,
  DataPage,
  PoolSummary,
  RiskParameterChangeRecord,
  TimeTravel,
} from './dataSource/ApiDataSource.js'
export { createIndexerDataSource, toIndexerAt } from './dataSource/createIndexerDataSource.js'
export { createMemoryDataSource, type MemoryDataSourceContents } from './dataSource/createMemoryDataSource.js'
export { ApiError, type ApiErrorCode, type ApiErrorParameters } from './errors/ApiError.js'
export { checkLimits, type LimitCheck, type PastAction } from './keeper/checkLimits.js'
export { type CreateKeeperOptions, createKeeper, type Keeper, summaryLine } from './keeper/createKeeper.js'
export { createKeeperJournal, type JournalAction, type KeeperJournal } from './keeper/createKeeperJournal.js'
export { createKeeperMetrics, type KeeperMetrics } from './keeper/createKeeperMetrics.js'
export { definePolicy } from './keeper/definePolicy.js'
export { evaluateTriggers, type FiredTrigger, type InFlightAge } from './keeper/evaluateTriggers.js'
export type {
  ActionOutcome,
  ActionStatus,
  KeeperDecision,
  KeeperMode,
  ProposedBatch,
  RiskProposal,
} from './keeper/KeeperDecision.js'
export type { KeeperPolicy, ResolvedPolicy } from './keeper/KeeperPolicy.js'
export { PolicyError } from './keeper/PolicyError.js'
export { type GovernanceContracts, proposeRiskUpdate } from './keeper/proposeRiskUpdate.js'
export {
  createSafeBatchFile,
  type SafeBatchFile,
  safeBatchChecksum,
  validateSafeBatchFile,
} from './keeper/safeBatchFile.js'
export {
  type SafeCall,
  type SafeLibraries,
  type SafeSimulation,
  safeTransactionOf,
  simulateSafeBatch,
} from './keeper/simulateSafeBatch.js'
export { type ServeBallastOptions, type ServedBallast, serveBallast } from './serveBallast.js'
export {
  type ApiServer,
  defaultServerLimits,
  type ServeApiOptions,
  type ServerLimits,
  serveApi,
} from './server/serveApi.js'
export { type RunningBallast, type StartBallastOptions, startBallast } from './startBallast.js'
