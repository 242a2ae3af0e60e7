import type { Kysely } from 'kysely'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import type { Schema } from '../storage/schema.js'

/** What every query reads through: the database and the config it was indexed with. */
export type QueryContext = {
  db: Kysely<Schema>
  config: ResolvedIndexerConfig
}

/**
 * A point in time to read at. `timestamp`: per chain, the last indexed block at or before it.
 * `blocks`: an explicit block per chain id (chains not listed: their last indexed block).
 * Neither: the last indexed block of every chain.
 */
export type At = {
  timestamp?: number | undefined
  blocks?: Readonly<Record<number, number>> | undefined
}

/** A block a chain is read at. */
export type ChainPoint = { chainId: number; blockNumber: number; timestamp: number }

/** A page of a cursor-paginated list: stable order, `endCursor` to pass as `after`. */
export type Page<T> = { items: T[]; endCursor: string | undefined; hasNextPage: boolean }
