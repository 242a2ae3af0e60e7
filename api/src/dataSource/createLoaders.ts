import type { PoolState } from '@ballast/sdk'
import DataLoader from 'dataloader'
import type {
  ApiDataSource,
  AttestationRecord,
  ChainInfo,
  HolderAcknowledgementRecord,
  PoolSummary,
  RiskParameterChangeRecord,
  TimelockChangeRecord,
  TimeTravel,
} from './ApiDataSource.js'

/** Key of a pool state: the pool and when. */
export type PoolStateKey = { poolId: string; time: TimeTravel }

/** Per-request loaders: each key is fetched at most once per request, and keys are batched. */
export type ApiLoaders = {
  poolState: DataLoader<PoolStateKey, PoolState | undefined, string>
  pools: () => Promise<readonly PoolSummary[]>
  chains: () => Promise<readonly ChainInfo[]>
  riskParameterHistory: () => Promise<readonly RiskParameterChangeRecord[]>
  timelockChanges: () => Promise<readonly TimelockChangeRecord[]>
  holderAcknowledgements: () => Promise<readonly HolderAcknowledgementRecord[]>
  attestations: () => Promise<readonly AttestationRecord[]>
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined
  return () => {
    promise ??= load()
    return promise
  }
}

/**
 * Stable cache key of a pool state request: the same pool at the same time is one load.
 *
 * @param key - pool and time.
 * @returns a string key.
 * @example
 * ```ts
 * poolStateCacheKey({ poolId: '0x01', time: { at: 5 } }) // '0x01@5|'
 * ```
 */
export function poolStateCacheKey(key: PoolStateKey): string {
  const blocks = [...(key.time.blocks ?? [])]
    .sort((a, b) => a.chainId - b.chainId)
    .map((b) => `${b.chainId}:${b.block}`)
    .join(',')
  return `${key.poolId}@${key.time.at ?? ''}|${blocks}`
}

/**
 * Builds the loaders of one request. Created per request so nothing is cached across requests
 * (the indexer moves on) and so that a query touching many pools calls the data source once per
 * batch, not once per field: no N+1.
 *
 * @param dataSource - the read-only data source.
 * @returns fresh loaders.
 * @example
 * ```ts
 * const loaders = createLoaders(dataSource)
 * const [a, b] = await Promise.all([loaders.poolState.load(k1), loaders.poolState.load(k2)]) // one batch
 * ```
 */
export function createLoaders(dataSource: ApiDataSource): ApiLoaders {
  return {
    poolState: new DataLoader(async (keys) => dataSource.loadPoolStates(keys), {
      cacheKeyFn: poolStateCacheKey,
      maxBatchSize: 100,
    }),
    pools: once(() => dataSource.listPools()),
    chains: once(() => dataSource.listChains()),
    riskParameterHistory: once(() => dataSource.riskParameterHistory()),
    timelockChanges: once(() => dataSource.timelockChanges()),
    holderAcknowledgements: once(() => dataSource.holderAcknowledgements()),
    attestations: once(() => dataSource.attestations()),
  }
}
