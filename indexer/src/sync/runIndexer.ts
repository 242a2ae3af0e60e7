import { pino } from 'pino'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { checkRpcUrls } from '../rpc/checkRpcUrls.js'
import { type ChainRpc, type CreateChainRpcOptions, createChainRpc } from '../rpc/createChainRpc.js'
import { redactUrls } from '../rpc/redactUrl.js'
import { type HeadWatcher, watchHeads } from '../rpc/watchHeads.js'
import { openRpcCache, withRpcCache } from '../rpc/withRpcCache.js'
import { createDatabase, type IndexerDatabase } from '../storage/createDatabase.js'
import { checkSubgraphUrls } from './checkSubgraphUrls.js'
import { type ChainSync, type ChainSyncStatus, createChainSync, type SyncEvent } from './createChainSync.js'
import { createProgress } from './createProgress.js'
import { createSubgraphSync } from './createSubgraphSync.js'
import { writeSnapshots } from './writeSnapshots.js'

/** A structured logger (pino's shape); `false` silences the indexer. */
export type IndexerLogger = Pick<pino.Logger, 'info' | 'warn' | 'error' | 'debug'>

/** Options of {@link runIndexer}. */
export type RunIndexerOptions = {
  config: ResolvedIndexerConfig
  /** An open database; default: `createDatabase(config.database)` (closed when the indexer stops). */
  database?: IndexerDatabase | undefined
  /** Stop once every chain has reached its head (a one-off backfill, `ballast index --until-synced`). */
  untilSynced?: boolean | undefined
  /** Structured logs (default: pino to stderr at `info`); `false` for none. */
  logger?: IndexerLogger | false | undefined
  /** A progress bar on stderr; default: when stderr is a TTY. */
  progress?: boolean | undefined
  /** Every sync event (blocks stored, reorgs, discoveries). */
  onEvent?: ((event: SyncEvent) => void) | undefined
  /** Check that each RPC URL serves its chain id, and each subgraph URL answers, before starting (default true). */
  checkRpc?: boolean | undefined
  /** Retry policy of the RPC clients. */
  rpc?: CreateChainRpcOptions | undefined
}

/** A running indexer. */
export type Indexer = {
  /**
   * Resolves when every chain has caught up with its head once; rejects if the indexer stops
   * first (a fatal error, or `stop()` before that).
   */
  synced: Promise<void>
  /** Resolves when the indexer stopped (`stop()`, or synced with `untilSynced`); rejects on a fatal error. */
  done: Promise<void>
  /** Stops after the step in progress (its transaction completes or rolls back) and closes what it opened. */
  stop: () => Promise<void>
  /** Per chain: indexed block, head, finalized block. */
  status: () => ChainSyncStatus[]
  /** The RPC clients per chain id (request counters for benchmarks); none for subgraph chains. */
  rpc: ReadonlyMap<number, ChainRpc>
  /** Per head subscription (chains with a ws(s) URL): heads received, subscriptions, failures. */
  heads: readonly HeadWatcher['stats'][]
  database: IndexerDatabase
}

/**
 * Starts indexing every configured chain into the database: each chain runs its own loop of
 * {@link createChainSync} steps (backfill, then following the head), retrying retryable errors
 * with backoff and stopping everything on a fatal one. Logs are structured (pino) unless a
 * progress bar is drawn on a terminal.
 *
 * @param options Config, database, mode and observers.
 * @returns The running indexer.
 * @example
 * ```ts
 * const indexer = await runIndexer({ config: defineConfig(userConfig), untilSynced: true })
 * await indexer.done
 * ```
 */
export async function runIndexer(options: RunIndexerOptions): Promise<Indexer> {
  const { config } = options
  const logger: IndexerLogger | undefined =
    options.logger === false
      ? undefined
      : (options.logger ?? pino({ name: 'ballast-indexer' }, pino.destination(2)))
  const showProgress = options.progress ?? process.stderr.isTTY === true
  if (options.checkRpc ?? true) {
    const [unreachable] = await Promise.all([checkRpcUrls(config, options.rpc), checkSubgraphUrls(config)])
    for (const u of unreachable) {
      logger?.warn({ field: u.field, url: u.url, err: u.error }, 'RPC URL did not answer; using the others')
    }
  }
  const ownsDatabase = options.database === undefined
  const database = options.database ?? (await createDatabase(config.database))

  const rpcs = new Map<number, ChainRpc>()
  const cache = config.rpcCache === undefined ? undefined : openRpcCache(config.rpcCache)
  const onEvent = (event: SyncEvent) => {
    options.onEvent?.(event)
    if (event.type === 'reorg') logger?.warn(event, 'reorg: rolled back')
    else if (event.type === 'discovered') logger?.info(event, 'new members: back-filled their history')
    else if (!showProgress) logger?.debug(event, 'blocks stored')
  }
  const syncs = config.chains.map((chain): ChainSync => {
    // A chain with a subgraph source is read from its deployment, never over JSON-RPC.
    if (chain.subgraph !== undefined) return createSubgraphSync({ config, chain, db: database.db, onEvent })
    let rpc = createChainRpc(chain, options.rpc)
    if (cache !== undefined) {
      // The sync is created below; the cache asks it for the finalized block on every call.
      rpc = withRpcCache(rpc, cache, () => sync.status().finalized)
    }
    rpcs.set(chain.chainId, rpc)
    const sync = createChainSync({ config, chain, db: database.db, rpc, onEvent })
    return sync
  })
  const progress = showProgress ? createProgress(process.stderr) : undefined

  // Chains with a ws(s) URL: each new head wakes the loops at once (polling stays the fallback).
  const watchers = config.chains.flatMap((chain) => {
    const url = chain.subgraph === undefined ? chain.wsUrls[0] : undefined
    if (url === undefined) return []
    return [
      watchHeads({
        url,
        headTimeoutMs: Math.max(10_000, chain.blockTime * 3_000),
        onHead: () => wake(),
        onError: (error) =>
          logger?.debug(
            {
              chainId: chain.chainId,
              err: redactUrls(String((error as Error)?.message ?? error), chain.wsUrls),
            },
            'head subscription failed or stalled; resubscribing (polling meanwhile)',
          ),
      }),
    ]
  })

  let stopped = false
  const sleepers = new Set<() => void>()
  const wake = () => {
    for (const sleeper of sleepers) sleeper()
  }
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        sleepers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      sleepers.add(done)
    })
  let resolveSynced: () => void = () => {}
  let rejectSynced: (error: unknown) => void = () => {}
  let isSynced = false
  const synced = new Promise<void>((resolve, reject) => {
    resolveSynced = () => {
      isSynced = true
      resolve()
    }
    rejectSynced = reject
  })
  // Observed by callers that care; never an unhandled rejection for those that do not.
  synced.catch(() => {})
  const syncedChains = new Set<number>()

  // Pool snapshots (history): written between steps, one writer at a time, a bounded batch each.
  const ctx = { db: database.db, config }
  let snapshotting: Promise<unknown> = Promise.resolve()
  let lastSnapshot = Number.NEGATIVE_INFINITY
  const snapshots = (all: boolean) => {
    if (config.snapshotInterval === 0 || (!all && performance.now() - lastSnapshot < 1_000))
      return snapshotting
    lastSnapshot = performance.now()
    snapshotting = snapshotting
      .then(async () => {
        while ((await writeSnapshots(ctx, { interval: config.snapshotInterval, limit: 50 })) > 0 && all) {}
      })
      // Snapshots are derived data: a failure is logged and retried later, indexing goes on.
      .catch((error: unknown) =>
        logger?.warn({ err: error }, 'writing pool snapshots failed; retrying later'),
      )
    return snapshotting
  }

  const loop = async (index: number) => {
    const sync = syncs[index] as (typeof syncs)[number]
    const chain = config.chains[index] as (typeof config.chains)[number]
    let failures = 0
    while (!stopped) {
      let result: 'progress' | 'idle'
      try {
        result = await sync.step()
        failures = 0
      } catch (error) {
        const retryable = error instanceof IndexerError ? error.retryable : false
        if (!retryable || ++failures > 20) throw error
        logger?.warn({ chainId: chain.chainId, err: error, failures }, 'sync step failed; retrying')
        await sleep(Math.min(10_000, 200 * 2 ** failures))
        continue
      }
      progress?.update(syncs.map((s) => s.status()))
      await snapshots(false)
      if (result === 'idle') {
        if (!syncedChains.has(chain.chainId)) {
          syncedChains.add(chain.chainId)
          logger?.info(sync.status(), 'chain synced')
          if (syncedChains.size === syncs.length) resolveSynced()
        }
        if (options.untilSynced) return
        await sleep(chain.pollingInterval)
      }
    }
  }

  const done = (async () => {
    try {
      // One chain's fatal error stops the others; wait for all of them before closing anything.
      const results = await Promise.allSettled(
        syncs.map((_, i) =>
          loop(i).catch((error) => {
            stopped = true
            wake()
            throw error
          }),
        ),
      )
      const failed = results.find((r) => r.status === 'rejected')
      if (failed !== undefined) throw failed.reason
      // A one-off run leaves every snapshot that its data allows.
      if (options.untilSynced) await snapshots(true)
    } catch (error) {
      rejectSynced(error)
      throw error
    } finally {
      if (!isSynced) {
        rejectSynced(
          new IndexerError('The indexer stopped before every chain was synced.', { retryable: true }),
        )
      }
      progress?.done()
      await Promise.all(watchers.map((w) => w.close()))
      cache?.close()
      if (ownsDatabase) await database.destroy()
    }
  })()
  done.catch((error) => logger?.error({ err: error }, 'indexer stopped on an error'))

  return {
    synced,
    done,
    stop: async () => {
      stopped = true
      wake()
      await done.catch(() => {})
    },
    status: () => syncs.map((s) => s.status()),
    rpc: rpcs,
    heads: watchers.map((w) => w.stats),
    database,
  }
}
