import type { Kysely, Transaction } from 'kysely'
import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi } from 'viem'
import type { ResolvedChainConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { readRegistryTimelocks } from '../governance/readRegistryTimelocks.js'
import { aggregatorAt, findAggregatorChanges } from '../positions/followProxies.js'
import { type CheckpointMeta, readCheckpoints } from '../positions/readCheckpoints.js'
import { resolvePositions } from '../positions/resolvePositions.js'
import type { BlockHeader, ChainRpc, RpcLog } from '../rpc/createChainRpc.js'
import { createFinality } from '../rpc/createFinality.js'
import { RpcError } from '../rpc/RpcError.js'
import { recheckNewestBlocks } from '../rpc/recheckNewestBlocks.js'
import { emptyFactRows, type FactRows, insertFactRows } from '../storage/insertFactRows.js'
import type { Schema } from '../storage/schema.js'
import type { SyncCursor } from '../storage/syncState.js'
import { upsertBlocks } from '../storage/upsertBlocks.js'
import { applyOther } from './applyChainLog.js'
import { buildLogFilters, interestOf, type LogInterest } from './buildLogFilters.js'
import { createRunningTotals, type HolderScope } from './createRunningTotals.js'
import {
  type ChainSync,
  createSyncLoop,
  type SourceStep,
  type SyncEvent,
  type SyncSource,
} from './createSyncLoop.js'
import { type DecodedLog, decodeLog, TOPICS } from './decodeLog.js'
import { fetchFilteredLogs } from './fetchFilteredLogs.js'
import { type LogFilter, type RangeState, TARGET_LOGS_PER_CALL } from './fetchLogsAdaptive.js'
import { addMember, loadTracked, type Tracked } from './loadTracked.js'
import { readSeeds } from './readSeeds.js'
import { loadParts, needOf, type PartsNeed, partsOf, saveParts, type TrackedPart } from './trackedParts.js'

/** Options of {@link createChainSync}. */
export type CreateChainSyncOptions = {
  config: ResolvedIndexerConfig
  chain: ResolvedChainConfig
  db: Kysely<Schema>
  rpc: ChainRpc
  onEvent?: ((event: SyncEvent) => void) | undefined
}

/** How often a backfill re-reads the chain head (ms). */
const HEAD_READ_INTERVAL_MS = 1_000

/**
 * The sync of one chain over JSON-RPC: {@link createSyncLoop} over the RPC source below.
 * - backfill runs up to the finalized block (head - finality depth) in adaptive ranges; above it,
 *   every block header is stored and linked (`parentHash` = the previous stored hash), and a
 *   broken link is a reorg;
 * - a member joining at block X adds its liability token and holders to the tracked set, and
 *   their history from the chain's start block is fetched in the same step, so balances and
 *   supplies are exact from X on (nothing missed when a member joins mid-range).
 *
 * @param options Config, chain, database, RPC client and an event callback.
 * @returns The chain's sync.
 * @example
 * ```ts
 * const sync = createChainSync({ config, chain, db, rpc })
 * while ((await sync.step()) === 'progress') {}
 * ```
 */
export function createChainSync(options: CreateChainSyncOptions): ChainSync {
  const { config, chain, db, rpc } = options
  const chainId = chain.chainId
  const emit = options.onEvent ?? (() => {})
  // Start small: a dense chain (thousands of logs per block) must not begin with a huge response
  // (every chain's first step is in memory at once); sparse ranges double quickly.
  const range: RangeState = { size: Math.min(chain.maxBlockRange, 8), max: chain.maxBlockRange }
  let tracked: Tracked | undefined
  /** The filters of the tracked set (rebuilt when it changes), and their text for the prefetch check. */
  let filters: LogFilter[] = []
  let filtersKey = ''
  let headReadAt = Number.NEGATIVE_INFINITY
  let finalized = chain.startBlock - 1
  /** The finalized block for a head: the node's `finalized` tag or the depth (chains[].finality). */
  const finalizedFor = createFinality(rpc, chain)
  const totals = createRunningTotals(chainId)
  /** Vault share decimals and the like, read once from the chain (and checked against the config). */
  let meta: CheckpointMeta | undefined
  /** The registries' role timelocks, read once from the registries (immutables). */
  let timelocks: Map<Address, Address> | undefined
  /** Last value written per checkpointed key (cleared with the running totals). */
  const lastReads = new Map<string, string>()
  /** SQL of full-chunk inserts per table and column list, compiled once. */
  const insertSql = new Map<string, string>()
  /** Logs of the next backfill range, requested while the current one is written. */
  let prefetched:
    | { from: number; to: number; filters: string; fetched: Promise<{ logs: RpcLog[]; to: number }> }
    | undefined

  const refreshFilters = () => {
    filters = buildLogFilters(interestOf(tracked as Tracked), chain.filterCap)
    filtersKey = JSON.stringify(filters)
  }

  const source: SyncSource = {
    chainWords: 'canonical',
    init: async (at) => {
      prefetched = undefined
      totals.clear()
      // A config change (or a rollback that removed a discovery) changes the tracked set: catch up
      // what it adds, forget what it removes; registry events caught up may add more members.
      lastReads.clear()
      for (let round = 0; ; round++) {
        tracked = await loadTracked(db, config, chainId)
        timelocks ??= await readRegistryTimelocks(
          rpc,
          tracked.registries,
          (await rpc.getBlock('latest')).number,
        )
        for (const [timelock, registry] of timelocks) tracked.timelocks.set(timelock, registry)
        if (!(await catchUp(at, tracked)) || round >= 8) break
      }
      // Position metadata (checked against the config), and each proxy's aggregator at the cursor.
      meta = await resolvePositions(rpc, config, chain, tracked, at.number, meta)
      await storeStaticTokenMetadata()
      await checkpointAtCursor(at.number)
      refreshFilters()
    },
    head: async (at, known) => {
      // Deep in a backfill the head only tells how far is final: re-read it now and then, not per
      // step (each read waits behind the node's log queries of this chain).
      if (at.number < known && performance.now() - headReadAt < HEAD_READ_INTERVAL_MS) return undefined
      const latest = await rpc.getBlock('latest')
      headReadAt = performance.now()
      // The node's `finalized` tag where the chain uses it (chains[].finality), else the depth.
      return { number: latest.number, hash: latest.hash, finalized: await finalizedFor(latest.number) }
    },
    // Above the head the cursor block is gone (a reorg to a shorter chain); at the head its hash
    // must match; below it, the next realtime step checks the link to it.
    cursorCanonical: async (at, latest) =>
      at.number < latest.number || (at.number === latest.number && latest.hash === at.hash),
    hashes: async (numbers) => new Map((await rpc.getBlocks(numbers)).map((h) => [h.number, h.hash])),
    fetch: async (at, mode, bounds) => {
      finalized = bounds.finalized
      if (mode === 'realtime') return realtime(at, bounds.head)
      // The range fetched ahead during the previous step, if it starts here and asked with the
      // filters still in force (a discovery changes them: then it is dropped and refetched).
      const ahead = prefetched
      prefetched = undefined
      const usable = ahead !== undefined && ahead.from === at.number + 1 && ahead.filters === filtersKey
      const to = usable ? ahead.to : Math.min(finalized, at.number + range.size)
      return indexRange(at.number + 1, to, 'backfill', undefined, usable ? ahead.fetched : undefined)
    },
  }

  /**
   * A checkpoint at the cursor on start: a database indexed before a position was read (an
   * upgrade, a position added to the config) has its values from here on, not only from the
   * next step. Rows already there (the previous run's last checkpoint) are kept.
   */
  const checkpointAtCursor = async (cursor: number) => {
    if (cursor < chain.startBlock) return
    const rows = await readCheckpoints(
      rpc,
      chain,
      tracked as Tracked,
      meta as CheckpointMeta,
      [cursor],
      lastReads,
    )
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.reads.length; i += 500)
        await trx
          .insertInto('reads')
          .values(rows.reads.slice(i, i + 500))
          .onConflict((oc) => oc.doNothing())
          .execute()
      for (let i = 0; i < rows.prices.length; i += 500)
        await trx
          .insertInto('prices')
          .values(rows.prices.slice(i, i + 500))
          .onConflict((oc) => oc.doNothing())
          .execute()
    })
  }

  /**
   * Symbols and decimals of static members' liability tokens (a registry member's are read when it
   * joins): without them a 6-decimal liability would be read as 18 decimals.
   */
  const storeStaticTokenMetadata = async () => {
    const tokens = new Set<Address>()
    for (const pool of config.pools)
      for (const member of pool.members ?? []) {
        const token = member.liabilityTokens[chainId]
        if (token !== undefined) tokens.add(token)
      }
    if (tokens.size === 0) return
    const known = await db.selectFrom('tokens').select('address').where('chain_id', '=', chainId).execute()
    const missing = [...tokens].filter((t) => !known.some((k) => k.address === t))
    if (missing.length === 0) return
    const head = (await rpc.getBlock('latest')).number
    const rows = await Promise.all(
      missing.map(async (address) => ({
        chain_id: chainId,
        block_number: chain.startBlock - 1,
        log_index: -1,
        address,
        ...(await readTokenMetadata(rpc, address, head)),
      })),
    )
    await db.insertInto('tokens').values(rows).execute()
  }

  /**
   * Compares the tracked set with the stored fingerprint and, if they differ, stores the added
   * parts' seeds (at `startBlock - 1`) and logs up to the cursor, and drops the removed parts, in
   * one transaction (a crash redoes it whole). Returns whether anything changed.
   */
  const catchUp = async (at: SyncCursor, set: Tracked): Promise<boolean> => {
    const stored = await loadParts(db, chainId)
    if (stored.start !== undefined && chain.startBlock < stored.start) {
      throw new IndexerError(`startBlock of chain ${chain.name} moved earlier than the indexed data.`, {
        details: `The database holds chain ${chainId} from block ${stored.start}; the config now starts at ${chain.startBlock}.`,
        metaMessages: [
          `Index into a new database to start at ${chain.startBlock}, or keep startBlock at ${stored.start} or later.`,
        ],
      })
    }
    const current = partsOf(set)
    const added = [...current].filter((p) => !stored.parts.has(p))
    const removed = [...stored.parts].filter((p) => !current.has(p))
    if (added.length === 0 && removed.length === 0 && stored.start !== undefined) return false
    const seedBlock = chain.startBlock - 1
    const need = needOf(added)
    const { seeds, logs: raw } = await fetchCatchUp(need, at.number)
    const logs = decode(raw)
    const seeded = seeds.some((v) => v !== 0n) && seedBlock >= 0
    const blocks = await blockRowsOf(logs, seeded ? [seedBlock] : [])
    const scope = new Set(added)
    await db.transaction().execute(async (trx) => {
      const rows = emptyFactRows()
      await saveParts(trx, chainId, { added, removed, start: stored.start ?? chain.startBlock })
      for (const [i, key] of need.seeds.entries())
        totals.seed(key.token, key.holder, seeds[i] ?? 0n, seedBlock, rows)
      await applyLogs(trx, set, logs, rows, scope)
      totals.finish()
      await insertFactRows(trx, rows, insertSql)
      await upsertBlocks(trx, blocks)
    })
    totals.clear()
    if (stored.start !== undefined && added.length > 0) {
      const { tokens, holders } = tokensAndHolders(added)
      emit({ type: 'discovered', chainId, block: chain.startBlock, tokens, holders })
    }
    return true
  }

  /**
   * What catching up on parts needs: their seeds at `startBlock - 1` (tracking starts at the chain's
   * start, whenever the part is added: a config change or a member joining) and their logs of
   * `[startBlock, to]`, holder-scoped, so only their own history is fetched.
   */
  const fetchCatchUp = async (need: PartsNeed, to: number) => {
    const catchUpRange: RangeState = { size: range.max, max: range.max }
    const fetch = (interest: LogInterest) =>
      fetchFilteredLogs(rpc, buildLogFilters(interest, chain.filterCap), chain.startBlock, to, catchUpRange)
    const [seeds, values, events] = await Promise.all([
      readSeeds(rpc, chain, need.seeds, chain.startBlock - 1),
      fetch(need.values),
      fetch(need.events),
    ])
    return { seeds, logs: [...values.logs, ...events.logs] }
  }

  /** Header rows of the blocks holding these logs (and of `more`), reading the timestamps logs lack. */
  const blockRowsOf = async (logs: readonly DecodedLog[], more: readonly number[] = []) => {
    const blocks = new Map<number, { hash: string; parent: string; timestamp: number | undefined }>()
    for (const log of logs) {
      if (!blocks.has(log.blockNumber))
        blocks.set(log.blockNumber, { hash: log.blockHash, parent: '', timestamp: log.blockTimestamp })
    }
    for (const n of more) if (!blocks.has(n)) blocks.set(n, { hash: '', parent: '', timestamp: undefined })
    const missing = [...blocks.entries()].filter(([, b]) => b.timestamp === undefined).map(([n]) => n)
    for (let i = 0; i < missing.length; i += 100) {
      for (const h of await rpc.getBlocks(missing.slice(i, i + 100))) {
        blocks.set(h.number, { hash: h.hash, parent: h.parentHash, timestamp: h.timestamp })
      }
    }
    return [...blocks.entries()].map(([number, b]) => ({
      chain_id: chainId,
      block_number: number,
      log_index: -1,
      hash: b.hash,
      parent_hash: b.parent,
      timestamp: b.timestamp ?? 0,
    }))
  }

  const realtime = async (at: SyncCursor, target: number): Promise<SourceStep | 'reorg' | undefined> => {
    const to = Math.min(target, at.number + Math.max(1, Math.min(range.size, 100)))
    const numbers: number[] = []
    for (let n = at.number + 1; n <= to; n++) numbers.push(n)
    const headers = await rpc.getBlocks(numbers)
    if (at.hash !== '' && headers[0]?.parentHash !== at.hash) return 'reorg'
    // Keep only the linked prefix; a link broken mid-batch is a reorg in progress: next step.
    let linked = 1
    while (linked < headers.length && headers[linked]?.parentHash === headers[linked - 1]?.hash) linked++
    const kept = headers.slice(0, linked)
    const last = kept[kept.length - 1] as BlockHeader
    return indexRange(at.number + 1, last.number, 'realtime', kept)
  }

  /**
   * Fetches and decodes `[from, to]`, and returns what the loop stores in one transaction; `to` is
   * `wanted`, or less in a backfill step that reached about {@link TARGET_LOGS_PER_CALL} logs first.
   */
  const indexRange = async (
    from: number,
    wanted: number,
    mode: 'backfill' | 'realtime',
    headers?: readonly BlockHeader[],
    fetched?: Promise<{ logs: RpcLog[]; to: number }>,
  ): Promise<SourceStep | undefined> => {
    const set = tracked as Tracked
    // Backfill: a step ends early once about TARGET_LOGS_PER_CALL logs are in (bounded memory).
    const bound = mode === 'backfill' ? TARGET_LOGS_PER_CALL : Number.POSITIVE_INFINITY
    const got = await (fetched ?? fetchFilteredLogs(rpc, filters, from, wanted, range, bound))
    // Realtime: a node behind a load balancer may answer [] for a block it has the header of but
    // not the receipts yet: the newest blocks without logs are re-read by hash, those whose bloom
    // may hold the filters' logs only (with holder-scoped filters that is nearly none).
    const raw =
      mode === 'realtime' && headers !== undefined
        ? await recheckNewestBlocks(rpc, filters, headers, got.logs)
        : got.logs
    const to = got.to
    // Backfill: fetch the next range while this one is decoded and written (finalized blocks, so
    // no reorg can make it stale; at most two ranges are in memory).
    if (mode === 'backfill' && to < finalized) {
      const nextTo = Math.min(finalized, to + range.size)
      const next = fetchFilteredLogs(rpc, filters, to + 1, nextTo, range, TARGET_LOGS_PER_CALL)
      // A failure surfaces when the next step awaits it (or never, if that step drops it).
      next.catch(() => {})
      prefetched = { from: to + 1, to: nextTo, filters: filtersKey, fetched: next }
    }
    let logs = decode(raw)
    if (headers !== undefined) {
      const byNumber = new Map(headers.map((h) => [h.number, h.hash]))
      // A log from another fork than the headers: a reorg between the calls; redo next step.
      if (logs.some((log) => byNumber.get(log.blockNumber) !== log.blockHash)) return undefined
    }

    // Discovery: members joining in this range add parts (holders, a liability token), caught up
    // from the chain's start (seeds, then their logs before this range, in scope of the added parts
    // only); their logs of this range join the range's, and everything of the range applies in order.
    const before = partsOf(set)
    const discoveredAt = new Map<Address, number>()
    for (const log of logs) {
      if (log.event !== 'MemberJoined' || !set.registries.has(log.address)) continue
      if (!set.supplyTokens.has(log.liabilityToken) && !discoveredAt.has(log.liabilityToken))
        discoveredAt.set(log.liabilityToken, log.blockNumber)
      addMember(set, log.liabilityToken, log.holders)
    }
    const added = [...partsOf(set)].filter((p) => !before.has(p))
    const need = needOf(added)
    let seedValues: bigint[] = []
    let early: DecodedLog[] = []
    if (added.length > 0) {
      refreshFilters()
      const caught = await fetchCatchUp(need, to)
      seedValues = caught.seeds
      early = decode(caught.logs.filter((log) => Number(log.blockNumber) < from))
      const seen = new Set(raw.map((log) => `${log.blockHash}:${log.logIndex}`))
      const more = caught.logs.filter(
        (log) => Number(log.blockNumber) >= from && !seen.has(`${log.blockHash}:${log.logIndex}`),
      )
      if (more.length > 0) logs = decode([...raw, ...more])
    }
    const tokenRows = await Promise.all(
      [...discoveredAt].map(async ([address, block]) => ({
        chain_id: chainId,
        block_number: block,
        log_index: -1,
        address,
        ...(await readTokenMetadata(rpc, address, to)),
      })),
    )

    // Chainlink proxies: a phase change (a new aggregator) found by bisection; the new
    // aggregator's answers in the range are fetched now and it is followed from then on.
    const changeBlocks: number[] = []
    for (const [proxy, known] of set.proxies) {
      const atTo = await aggregatorAt(rpc, proxy, to)
      if (atTo === known) continue
      for (const change of await findAggregatorChanges(rpc, proxy, known, from, to, atTo)) {
        changeBlocks.push(change.block)
        if (change.aggregator === undefined) continue
        const answers = await fetchFilteredLogs(
          rpc,
          [{ address: [change.aggregator], topics: [TOPICS.AnswerUpdated] }],
          change.block,
          to,
          { size: range.max, max: range.max },
        )
        logs = [...logs, ...decode(answers.logs)].sort(byPosition)
      }
      set.proxies.set(proxy, atTo)
      refreshFilters()
    }
    // Checkpoints: the range end and every block with a log of a read position (signals, holder
    // transfers, feed answers behind a proxy): the values that move without events are read there.
    const aggregators = new Set([...set.proxies.values()].filter((a) => a !== undefined))
    const checkpoints = new Set<number>([to, ...changeBlocks])
    for (const log of logs) {
      if (
        log.event === 'Signal' ||
        (log.event === 'AnswerUpdated' && aggregators.has(log.address)) ||
        (log.event === 'Transfer' &&
          (set.positions.has(log.address) ||
            set.positions.get(log.from) === 'erc4626' ||
            set.positions.get(log.to) === 'erc4626'))
      )
        checkpoints.add(log.blockNumber)
    }
    const checkpointRows = await readCheckpoints(
      rpc,
      chain,
      set,
      meta as CheckpointMeta,
      [...checkpoints].sort((a, b) => a - b),
      lastReads,
    )

    // Blocks to store: every block with a fact, the range end, and in realtime every header.
    const seedBlock = chain.startBlock - 1
    const seeded = seedValues.some((v) => v !== 0n) && seedBlock >= 0
    const blockRows = await blockRowsOf(
      [...early, ...logs],
      [...(seeded ? [seedBlock] : []), ...changeBlocks],
    )
    const byNumber = new Map(blockRows.map((b) => [b.block_number, b]))
    for (const h of headers ?? []) byNumber.set(h.number, { ...blockRow(h), chain_id: chainId })
    // The range's last block: known from a header or a log of it (a dense backfill step ends on
    // a block with logs), else read.
    if (!byNumber.has(to)) byNumber.set(to, { ...blockRow(await rpc.getBlock(to)), chain_id: chainId })
    const end = byNumber.get(to) as Schema['blocks']

    const write = async (trx: Transaction<Schema>) => {
      const rows = emptyFactRows()
      if (added.length > 0) {
        await saveParts(trx, chainId, { added, removed: [] })
        for (const [i, key] of need.seeds.entries())
          totals.seed(key.token, key.holder, seedValues[i] ?? 0n, seedBlock, rows)
        await applyLogs(trx, set, early, rows, new Set(added))
        emit({ type: 'discovered', chainId, block: from, ...tokensAndHolders(added) })
      }
      await applyLogs(trx, set, logs, rows, 'all')
      totals.finish()
      rows.reads.push(...checkpointRows.reads)
      rows.prices.push(...checkpointRows.prices)
      for (const row of tokenRows) {
        await trx
          .insertInto('tokens')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['chain_id', 'address']).doUpdateSet({
              block_number: row.block_number,
              symbol: row.symbol,
              decimals: row.decimals,
            }),
          )
          .execute()
      }
      await insertFactRows(trx, rows, insertSql)
    }
    return {
      cursor: { number: to, hash: end.hash, timestamp: end.timestamp },
      blocks: [...byNumber.values()],
      write,
      events: logs.length,
    }
  }

  /** Applies decoded logs in order; a transfer awaits only when a running total is not in memory. */
  const applyLogs = async (
    trx: Transaction<Schema>,
    set: Tracked,
    logs: readonly DecodedLog[],
    rows: FactRows,
    scope: HolderScope,
  ) => {
    for (const log of logs) {
      if (log.event === 'Transfer') {
        const applying = totals.apply(trx, set, log, scope, rows)
        if (applying !== undefined) await applying
      } else applyOther(chainId, set, log, rows)
    }
  }

  return createSyncLoop({ chain, db, source, onEvent: emit })
}

/** A header as a `blocks` row (without the chain id). */
function blockRow(h: BlockHeader) {
  return {
    block_number: h.number,
    log_index: -1,
    hash: h.hash,
    parent_hash: h.parentHash,
    timestamp: h.timestamp,
  }
}

/** The tokens and holders named by parts (for the `discovered` event). */
function tokensAndHolders(parts: readonly TrackedPart[]): { tokens: Address[]; holders: Address[] } {
  const tokens = new Set<Address>()
  const holders = new Set<Address>()
  for (const part of parts) {
    const [kind, a, b] = part.split(':') as [string, Address, Address | undefined]
    if (kind === 'supply') tokens.add(a)
    if (kind === 'balance' && b !== undefined) holders.add(b)
  }
  return { tokens: [...tokens], holders: [...holders] }
}

/** `symbol()` and `decimals()` of an ERC-20; a token without them is named by its address. */
async function readTokenMetadata(
  rpc: ChainRpc,
  address: Address,
  block: number,
): Promise<{ symbol: string; decimals: number }> {
  const read = async <T>(functionName: 'symbol' | 'decimals', fallback: T): Promise<T> => {
    try {
      const data = await rpc.call(address, encodeFunctionData({ abi: erc20Abi, functionName }), block)
      return decodeFunctionResult({ abi: erc20Abi, functionName, data }) as T
    } catch (error) {
      if (error instanceof RpcError && error.kind !== 'fatal') throw error
      return fallback
    }
  }
  const [symbol, decimals] = await Promise.all([read('symbol', address), read('decimals', 18)])
  return { symbol: String(symbol), decimals: Number(decimals) }
}

function decode(raw: readonly RpcLog[]): DecodedLog[] {
  const out: DecodedLog[] = []
  for (const log of raw) {
    const decoded = decodeLog(log)
    if (decoded !== undefined) out.push(decoded)
  }
  return out.sort(byPosition)
}

function byPosition(a: DecodedLog, b: DecodedLog): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex
}

/** Times beyond 2^53 s (never, in practice) are clamped: "effective never". */
