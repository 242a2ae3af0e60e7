import type { Kysely } from 'kysely'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import type { BlockTimestampReader } from '../rpc/createBlockTimestampReader.js'
import type { Schema } from '../storage/schema.js'

/** What every query reads through: the database and the config it was indexed with. */
export type QueryContext = {
  db: Kysely<Schema>
  config: ResolvedIndexerConfig
  /**
   * Time of a finalized block the database holds no header for (a query pinned to it by
   * `blocks`): the API passes `createBlockTimestampReader(config)`. Without it such a pinned query
   * throws `BlockTimeUnknownError`; queries by time or at the latest blocks never need it.
   */
  blockTimestamp?: BlockTimestampReader | undefined
}

/**
 * A point in time to read at. `timestamp`: per chain, the last indexed block at or before it.
 * `blocks`: an explicit block per chain id (chains not listed: their last indexed block; a block
 * above the indexed one reads at the indexed one); the state's time is then the newest of the
 * blocks read, each block's own header time. Neither: the last indexed block of every chain.
 */
export type At = {
  timestamp?: number | undefined
  blocks?: Readonly<Record<number, number>> | undefined
}

/** A block a chain is read at. */
export type ChainPoint = { chainId: number; blockNumber: number; timestamp: number }

/** A page of a cursor-paginated list: stable order, `endCursor` to pass as `after`. */
export type Page<T> = { items: T[]; endCursor: string | undefined; hasNextPage: boolean }
