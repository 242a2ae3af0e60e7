import {
  type At,
  BlockTimeUnknownError,
  createBlockTimestampReader,
  getSyncMeta,
  listBridgeTransfers,
  listPools,
  loadPoolState,
  type QueryContext,
} from '@ballast/indexer'
import { bpsToWad, type PoolState } from '@ballast/sdk'
import { ApiError } from '../errors/ApiError.js'
import { createKeeperJournal } from '../keeper/createKeeperJournal.js'
import type { ApiDataSource, RiskParameterChangeRecord, TimeTravel } from './ApiDataSource.js'
import { readAttestations, readHolderAcknowledgements, readTimelockChanges } from './readGovernance.js'

/**
 * The indexer's `At` for an API time-travel argument (block numbers fit a JS number: they are
 * far below 2^53, unlike amounts).
 *
 * @param time - `at` or per-chain blocks.
 * @returns the indexer's `At`.
 * @example
 * ```ts
 * toIndexerAt({ blocks: [{ chainId: 31337, block: 120n }] }) // { blocks: { 31337: 120 } }
 * ```
 */
export function toIndexerAt(time: TimeTravel): At {
  const at: At = {}
  if (time.at !== undefined) at.timestamp = time.at
  if (time.blocks !== undefined)
    at.blocks = Object.fromEntries(time.blocks.map((b) => [b.chainId, Number(b.block)]))
  return at
}

/**
 * The API's data source over the indexer's query layer (`loadPoolState`, `listPools`,
 * `getSyncMeta`, `listBridgeTransfers`), on SQLite or PostgreSQL alike. Read-only.
 *
 * A state pinned to explicit blocks carries the newest pinned block's own time. The indexer stores
 * headers of blocks with facts and of unfinalized blocks only, so the time of another (finalized)
 * block is read once from the chain's configured RPC (`eth_getBlockByNumber`) and cached in
 * memory, unless `ctx.blockTimestamp` says otherwise; when it cannot be known the query fails with
 * a `NOT_AVAILABLE` error naming the block, never with a nearby block's time. States carry the
 * feeds' price history sampled as the config's `priceHistory` says, so served haircuts include
 * the sdk's volatility term.
 *
 * @param ctx - the indexer's database and resolved config (and optionally the block-time reader).
 * @param options - `stateCacheSize`: pool states kept (default 256).
 * @returns the data source.
 * @example
 * ```ts
 * const database = await createDatabase(config.database)
 * const api = createApi({ dataSource: createIndexerDataSource({ db: database.db, config }) })
 * ```
 */
export function createIndexerDataSource(
  ctx: QueryContext,
  options: { stateCacheSize?: number } = {},
): ApiDataSource {
  // Pool states are memoized per (pool, time, indexed heads): a state read at given heads never
  // changes, and sharing the object lets the API's per-state evaluation cache serve every request
  // until the indexer moves. Keyed by the heads, so a new block (or a reorg) starts afresh.
  const stateCacheSize = options.stateCacheSize ?? 256
  const queries: QueryContext = {
    ...ctx,
    blockTimestamp: ctx.blockTimestamp ?? createBlockTimestampReader(ctx.config),
  }
  const states = new Map<string, Promise<PoolState>>()
  const journal = createKeeperJournal(ctx.db)
  const poolIds = new Set(ctx.config.pools.map((p) => p.id.toLowerCase()))
  const symbolOf = new Map<string, string>()
  for (const asset of ctx.config.assets) {
    for (const [chainId, token] of Object.entries(asset.tokens))
      symbolOf.set(`${chainId}:${token.toLowerCase()}`, asset.symbol)
  }

  return {
    async listPools() {
      return (await listPools(ctx)).map((p) => ({ id: p.id, name: p.name }))
    },

    async loadPoolStates(requests) {
      const heads = (await getSyncMeta(ctx))
        .map((m) => `${m.chainId}:${m.indexedBlock}:${m.indexedBlockHash}`)
        .join(',')
      // Each load is a handful of indexed queries; run them concurrently (SQLite answers them in
      // turn, PostgreSQL in parallel on its pool).
      return Promise.all(
        requests.map(async ({ poolId, time }) => {
          if (!/^0x[0-9a-fA-F]{64}$/.test(poolId) || !poolIds.has(poolId.toLowerCase())) return undefined
          const at = toIndexerAt(time)
          const key = `${heads}|${poolId.toLowerCase()}|${JSON.stringify(at)}`
          let state = states.get(key)
          if (state === undefined) {
            state = loadPoolState(queries, poolId as `0x${string}`, {
              at,
              priceHistory: ctx.config.priceHistory,
            }).catch((cause: unknown) => {
              throw cause instanceof BlockTimeUnknownError ? notAvailable(cause) : cause
            })
            if (states.size >= stateCacheSize) states.delete(states.keys().next().value as string)
            states.set(key, state)
            // A failed load is not remembered.
            state.catch(() => states.delete(key))
          }
          return state
        }),
      )
    },

    async listChains() {
      return ctx.config.chains.map((c) => ({
        chainId: c.chainId,
        name: c.name,
        eid: c.eid,
        finalityDepth: c.finalityDepth,
      }))
    },

    async syncMeta() {
      return (await getSyncMeta(ctx)).map((m) => ({
        chainId: m.chainId,
        name: m.name,
        indexedBlock: BigInt(m.indexedBlock),
        indexedTimestamp: m.indexedTimestamp === 0 ? undefined : m.indexedTimestamp,
        indexedBlockHash: /^0x[0-9a-f]{64}$/i.test(m.indexedBlockHash)
          ? (m.indexedBlockHash as `0x${string}`)
          : undefined,
        finalizedBlock: BigInt(m.finalizedBlock),
        headBlock: BigInt(m.headBlock),
        blockTime: m.blockTime,
      }))
    },

    async bridgeTransfers(query) {
      const page = await listBridgeTransfers(ctx, {
        status: query.status === undefined ? undefined : query.status === 'IN_FLIGHT' ? 'sent' : 'delivered',
        first: query.first,
        after: query.after,
      })
      return {
        items: page.items.map((t) => ({
          guid: t.guid,
          status: t.status === 'sent' ? 'IN_FLIGHT' : 'DELIVERED',
          asset: t.asset,
          srcChainId: t.srcChainId,
          dstChainId: t.dstChainId,
          amountSent: t.amountSent,
          amountReceived: t.amountReceived,
          sender: t.fromAddress,
          recipient: t.toAddress,
          sentBlock: BigInt(t.sentBlock),
          sentTxHash: t.sentTxHash,
          receivedBlock: t.deliveredBlock === undefined ? undefined : BigInt(t.deliveredBlock),
          receivedTxHash: t.deliveredTxHash,
        })),
        endCursor: page.endCursor,
        hasNextPage: page.hasNextPage,
      }
    },

    async riskParameterHistory() {
      // The query layer answers "in force at a point"; the full governance history is a plain
      // read of the indexer's `risk_parameters` table (read-only, through its schema types).
      const rows = await ctx.db
        .selectFrom('risk_parameters')
        .selectAll()
        .orderBy('chain_id')
        .orderBy('block_number')
        .orderBy('log_index')
        .execute()
      return rows.map(
        (r): RiskParameterChangeRecord => ({
          poolId: r.pool_id,
          asset: symbolOf.get(`${r.chain_id}:${r.asset.toLowerCase()}`) ?? r.asset,
          chainId: r.chain_id,
          address: r.asset as `0x${string}`,
          haircutFloor: bpsToWad(r.haircut_floor_bps),
          liquidationThreshold: bpsToWad(r.liquidation_threshold_bps),
          liquidationHorizon: r.liquidation_horizon,
          effectiveAt: r.effective_at,
          block: BigInt(r.block_number),
        }),
      )
    },

    timelockChanges: () => readTimelockChanges(ctx, symbolOf),
    holderAcknowledgements: () => readHolderAcknowledgements(ctx),
    attestations: () => readAttestations(ctx),
    keeperDecisions: (query) => journal.decisions(query),
    keeperPendingActions: (poolId) => journal.pending({ poolId }),
    keeperJournalVersion: () => journal.version(),
  }
}

/** A pinned block of unknown time, as the client-facing error it is (message, details, hint). */
function notAvailable(cause: BlockTimeUnknownError): ApiError {
  return new ApiError(cause.shortMessage, {
    code: 'NOT_AVAILABLE',
    details: cause.details,
    metaMessages: cause.metaMessages,
    cause,
  })
}
