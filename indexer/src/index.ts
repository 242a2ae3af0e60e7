// Public entry point of @ballast/indexer: config, storage, sync and the query layer the api reads
// through. Every export is named. Test helpers live in `@ballast/indexer/testing`.
export { configFromDevnetManifest } from './config/configFromDevnetManifest.js'
export { DEFAULT_DATABASE_FILE, defineConfig } from './config/defineConfig.js'
export type {
  AssetConfig,
  BridgeConfig,
  ChainConfig,
  DatabaseConfig,
  IndexerConfig,
  PoolConfig,
  ResolvedChainConfig,
  ResolvedDatabaseConfig,
  ResolvedIndexerConfig,
  StaticMemberConfig,
  VaultConfig,
} from './config/IndexerConfig.js'
export { ConfigError } from './errors/ConfigError.js'
export { IndexerError, type IndexerErrorParameters } from './errors/IndexerError.js'
export { createDatabase, type Dialect, type IndexerDatabase } from './storage/createDatabase.js'
export type { Schema } from './storage/schema.js'
export { decodeUint256, encodeUint256 } from './storage/uint256.js'
