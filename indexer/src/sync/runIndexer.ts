import { pino } from 'pino'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import type { StepObservation } from '../metrics/createIndexerMetrics.js'
import { checkRpcUrls } from '../rpc/checkRpcUrls.js'
import { type ChainRpc, type CreateChainRpcOptions, createChainRpc } from '../rpc/createChainRpc.js'
import { redactUrls } from '../rpc/redactUrl.js'
import { type HeadWatcher, watchHeads } from '../rpc/watchHeads.js'
import { openRpcCache, withRpcCache } from '../rpc/withRpcCache.js'
import { claimLease, isLeaseRefusal, type LeaseOptions, releaseLease } from '../storage/chainLease.js'
import { type ChangeFeed, changeOfSyncEvent } from '../storage/createChangeFeed.js'
import { createDatabase, type IndexerDatabase } from '../storage/createDatabase.js'
import { isStaleSyncState } from '../storage/syncState.js'
import { checkSubgraphUrls } from './checkSubgraphUrls.js'
import { createChainSync } from './createChainSync.js'
import { createProgress } from './createProgress.js'
import { createSubgraphSync } from './createSubgraphSync.js'
import type { ChainSync, ChainSyncStatus, SyncEvent } from './createSyncLoop.js'
import { selectChains } from './selectChains.js'
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
  /** Every step, timed (metrics). */
  onStep?: ((step: StepObservation) => void) | undefined
  /** Check that each RPC URL serves its chain id, and each subgraph URL answers, before starting (default true). */
  checkRpc?: boolean | undefined
  /** Retry policy of the RPC clients. */
  rpc?: CreateChainRpcOptions | undefined
  /** Index only these chains, by id or name (default: every configured chain); other processes take the rest. */
  chains?: readonly (number | string)[] | undefined
  /**
   * One writer per chain: hold a lease on each chain before writing it, renew it while running,
   * wait as a standby while another process holds it (or fail, `standby: false`), and release it
   * on stop. The database's connections must carry the same owner (`createDatabase({ leaseOwner })`).
   */
  lease?: LeaseOptions | undefined
  /** Announces every stored step and rollback to other processes (`createChangeFeed`), after its commit. */
  feed?: ChangeFeed | undefined
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
  /** Per chain id: whether this process writes it or waits for its lease (always `writer` without `lease`). */
  roles: () => ReadonlyMap<number, 'writer' | 'standby'>
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
  const chains = selectChains(config, options.chains)
  const mine = { ...config, chains }
  if (options.checkRpc ?? true) {
    const [unreachable] = await Promise.all([checkRpcUrls(mine, options.rpc), checkSubgraphUrls(mine)])
    for (const u of unreachable) {
      logger?.warn({ field: u.field, url: u.url, err: u.error }, 'RPC URL did not answer; using the others')
    }
  }
  const ownsDatabase = options.database === undefined
  const database =
    options.database ??
    (await createDatabase(
      config.database,
      options.lease === undefined ? {} : { leaseOwner: options.lease.owner },
    ))

  const rpcs = new Map<number, ChainRpc>()
  const cache = config.rpcCache === undefined ? undefined : openRpcCache(config.rpcCache)
  const onEvent = (event: SyncEvent) => {
    const change = options.feed === undefined ? undefined : changeOfSyncEvent(event)
    if (change !== undefined) options.feed?.publish(change)
    options.onEvent?.(event)
    if (event.type === 'reorg') logger?.warn(event, 'reorg: rolled back')
    else if (event.type === 'discovered') logger?.info(event, 'new members: back-filled their history')
    else if (!showProgress) logger?.debug(event, 'blocks stored')
  }
  const createSync = (chain: (typeof chains)[number]): ChainSync => {
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
  }
  const syncs = chains.map(createSync)
  const lease = options.lease
  const ttlMs = lease?.ttlMs ?? 10_000
  const roles = new Map(chains.map((c) => [c.chainId, lease === undefined ? 'writer' : 'standby'] as const))
  /** Chains whose lease renewal found another owner: their next step rebuilds and waits. */
  const lost = new Set<number>()
  const renewal =
    lease === undefined
      ? undefined
      : setInterval(() => {
          for (const [chainId, role] of roles) {
            if (role !== 'writer') continue
            claimLease(database.db, database.dialect, chainId, lease.owner, ttlMs).then(
              (holder) => {
                if (holder !== undefined) lost.add(chainId)
              },
              // A failed renewal is retried on the next tick; the lease outlives a few of them.
              (error: unknown) => logger?.warn({ chainId, err: error }, 'lease renewal failed; retrying'),
            )
          }
        }, ttlMs / 3)
  renewal?.unref()
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

  /** Waits until this process holds the chain's lease (or stop); a standby polls every second. */
  const holdLease = async (chainId: number) => {
    if (lease === undefined) return
    roles.set(chainId, 'standby')
    let told = false
    while (!stopped) {
      const holder = await claimLease(database.db, database.dialect, chainId, lease.owner, ttlMs)
      if (holder === undefined) {
        roles.set(chainId, 'writer')
        if (told) logger?.info({ chainId, owner: lease.owner }, 'took over the lease: writing this chain')
        return
      }
      if (lease.standby === false)
        throw new IndexerError('Another indexer is writing this chain.', {
          details: `Chain ${chainId} is leased to ${holder.owner} until ${new Date(holder.expiresAt).toISOString()}.`,
          metaMessages: [
            'Stop the other indexer, give this one other chains (--chains), or run it as a standby.',
          ],
        })
      if (!told) logger?.info({ chainId, holder: holder.owner }, 'standby: another indexer holds this chain')
      told = true
      await sleep(1_000)
    }
  }

  const loop = async (index: number) => {
    let sync = syncs[index] as (typeof syncs)[number]
    const chain = chains[index] as (typeof chains)[number]
    let failures = 0
    await holdLease(chain.chainId)
    while (!stopped) {
      if (lost.delete(chain.chainId)) {
        // Another process wrote this chain meanwhile: what this one held in memory (cursor,
        // running totals) is stale, so it starts over from the database once it holds the lease.
        logger?.warn({ chainId: chain.chainId }, 'lost the lease: waiting as a standby')
        sync = createSync(chain)
        syncs[index] = sync
        await holdLease(chain.chainId)
        continue
      }
      let result: 'progress' | 'idle'
      const started = performance.now()
      const timed = (outcome: StepObservation['result']) =>
        options.onStep?.({
          chainId: chain.chainId,
          seconds: (performance.now() - started) / 1000,
          result: outcome,
        })
      try {
        result = await sync.step()
        failures = 0
        timed(result)
      } catch (error) {
        timed('error')
        if (lease !== undefined && isLeaseRefusal(error)) {
          lost.add(chain.chainId)
          continue
        }
        if (isStaleSyncState(error)) {
          // Another writer moved or rolled back this chain while this one held it in memory (it
          // had the lease meanwhile and gave it up): the sync reloads from the database next step.
          logger?.warn(
            { chainId: chain.chainId, err: error },
            'chain changed by another writer; reloading it',
          )
          continue
        }
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
      clearInterval(renewal)
      if (lease !== undefined)
        for (const [chainId, role] of roles)
          if (role === 'writer') await releaseLease(database.db, chainId, lease.owner).catch(() => {})
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
    roles: () => roles,
    rpc: rpcs,
    heads: watchers.map((w) => w.stats),
    database,
  }
}
