import type { ApiDataSource } from '../dataSource/ApiDataSource.js'
import type { ApiLoaders } from '../dataSource/createLoaders.js'

/** What every resolver gets: the data source, and loaders fresh for this request. */
export type ApiContext = {
  dataSource: ApiDataSource
  loaders: ApiLoaders
  /** Interval at which subscriptions look for new indexed blocks, in milliseconds. */
  pollIntervalMs: number
  /** The indexer's push on each stored block or reorg (in-process); subscriptions wake on it. */
  changes?: ((listener: () => void) => () => void) | undefined
  /** Salt secret of solvency proof trees (>= 32 bytes hex). */
  proofSecret: `0x${string}`
  /** Aborted when the API closes or the request's client goes away: live subscriptions end on it. */
  signal?: AbortSignal | undefined
  /** Keeps the API's `close()` waiting until `work` settles (one subscription event's reads). */
  hold?: (<T>(work: Promise<T>) => Promise<T>) | undefined
}
