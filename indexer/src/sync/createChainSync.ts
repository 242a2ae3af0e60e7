import { CompiledQuery, type Kysely, type Transaction } from 'kysely'
import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi, pad } from 'viem'
import type { ResolvedChainConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import type { BlockHeader, ChainRpc, RpcLog } from '../rpc/createChainRpc.js'
import { createFinality } from '../rpc/createFinality.js'
import { RpcError } from '../rpc/RpcError.js'
import { recheckNewestBlocks } from '../rpc/recheckNewestBlocks.js'
import { rollbackChain } from '../storage/rollbackChain.js'
import type { Schema } from '../storage/schema.js'
import { advanceSyncState, loadSyncState, type SyncCursor } from '../storage/syncState.js'
import { encodeUint256 } from '../storage/uint256.js'
import { upsertBlocks } from '../storage/upsertBlocks.js'
import { createRunningTotals, type HolderScope } from './createRunningTotals.js'
import { ASSET_TOPICS, type DecodedLog, decodeLog, REGISTRY_TOPICS, TOPICS } from './decodeLog.js'
import {
  fetchLogsAdaptive,
  fetchLogsBounded,
  type RangeState,
  TARGET_LOGS_PER_CALL,
} from './fetchLogsAdaptive.js'
import { addMember, loadTracked, type Tracked, trackedAddresses } from './loadTracked.js'
import { reorgCandidates, reorgTooDeepError } from './reorgCandidates.js'

/** What the sync of a chain reports (for logs, progress bars and tests). */
export type SyncEvent =
  /** Blocks `[from, to]` are stored (one transaction). */
  | {
      type: 'blocks'
      chainId: number
      mode: 'backfill' | 'realtime'
      from: number
      to: number
      events: number
    }
  /** A reorg was detected and everything above `forkBlock` was rolled back. */
  | { type: 'reorg'; chainId: number; forkBlock: number; depth: number }
  /** Registry events added tokens/holders; their history was back-filled. */
  | { type: 'discovered'; chainId: number; block: number; tokens: Address[]; holders: Address[] }

/** Where a chain's sync stands. */
export type ChainSyncStatus = {
  chainId: number
  /** Last indexed block. */
  indexed: number
  /** Last head seen. */
  head: number
  /** Last finalized block seen (head - finality depth). */
  finalized: number
  startBlock: number
}

/** The sync of one chain: call `step()` until it returns `'idle'` (caught up with the head). */
export type ChainSync = {
  chainId: number
  /** Does one unit of work (a range, a new block, a reorg); `'idle'` when at the head. */
  step: () => Promise<'progress' | 'idle'>
  status: () => ChainSyncStatus
}

/** Options of {@link createChainSync}. */
export type CreateChainSyncOptions = {
  config: ResolvedIndexerConfig
  chain: ResolvedChainConfig
  db: Kysely<Schema>
  rpc: ChainRpc
  onEvent?: ((event: SyncEvent) => void) | undefined
}

const INSERT_CHUNK = 500
/** How often a backfill re-reads the chain head (ms). */
const HEAD_READ_INTERVAL_MS = 1_000

/**
 * The sync of one chain. Invariants (each step is one database transaction, so a crash at any
 * point resumes from the last committed step with nothing lost and nothing doubled):
 * - `sync_state.block_number` is the last block whose facts are all stored;
 * - backfill runs up to the finalized block (head - finality depth) in adaptive ranges; above it,
 *   every block header is stored and linked (`parentHash` = the previous stored hash), and a
 *   broken link triggers a walk back to the fork block and a rollback above it;
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
  /** The finalized block for a head: the node's `finalized` tag or the depth (chains[].finality). */
  const finalizedFor = createFinality(rpc, chain)
  let cursor: SyncCursor | undefined
  let tracked: Tracked | undefined
  let head = 0
  let finalized = chain.startBlock - 1
  let headReadAt = Number.NEGATIVE_INFINITY
  const totals = createRunningTotals(chainId)
  /** SQL of a full {@link INSERT_CHUNK}-row insert per table and column list, compiled once. */
  const insertSql = new Map<string, string>()
  /** Logs of the next backfill range, requested while the current one is written. */
  let prefetched:
    | { from: number; to: number; address: string; fetched: Promise<{ logs: RpcLog[]; to: number }> }
    | undefined

  const init = async () => {
    const state = await loadSyncState(db, chainId, chain.startBlock)
    cursor = state.cursor
    finalized = Math.max(finalized, state.finalized)
    tracked = await loadTracked(db, config, chainId)
    totals.clear()
  }

  const step = async (): Promise<'progress' | 'idle'> => {
    try {
      if (cursor === undefined || tracked === undefined) await init()
      const at = cursor as SyncCursor
      // Deep in a backfill the head only tells how far is final: re-read it now and then, not per
      // step (each read waits behind the node's log queries of this chain).
      const backfilling = at.number < finalized && performance.now() - headReadAt < HEAD_READ_INTERVAL_MS
      const latest = backfilling ? undefined : await rpc.getBlock('latest')
      if (latest !== undefined) {
        headReadAt = performance.now()
        head = latest.number
        finalized = Math.max(finalized, await finalizedFor(latest.number))
      }
      if (latest === undefined || at.number < finalized) {
        // The range fetched ahead during the previous step, if it starts here and asked for the
        // addresses still tracked (a discovery changes them: then it is dropped and refetched).
        const ahead = prefetched
        prefetched = undefined
        const usable =
          ahead !== undefined &&
          ahead.from === at.number + 1 &&
          ahead.address === addressKey(tracked as Tracked)
        const to = usable ? ahead.to : Math.min(finalized, at.number + range.size)
        await indexRange(at.number + 1, to, 'backfill', undefined, usable ? ahead.fetched : undefined)
        return 'progress'
      }
      if (at.number < latest.number) return await realtime(latest.number)
      // The head went backwards (a reorg to a shorter chain): the cursor block is gone.
      if (at.number > latest.number && at.hash !== '') {
        await handleReorg(latest.number)
        return 'progress'
      }
      // At the head: the cursor must still be canonical.
      if (at.hash !== '' && at.number >= 0 && latest.hash !== at.hash) {
        await handleReorg(latest.number)
        return 'progress'
      }
      return 'idle'
    } catch (error) {
      // Whatever was half-applied in memory is stale: rebuild from the database next step.
      cursor = undefined
      tracked = undefined
      prefetched = undefined
      throw error
    }
  }

  const realtime = async (target: number): Promise<'progress' | 'idle'> => {
    const at = cursor as SyncCursor
    const to = Math.min(target, at.number + Math.max(1, Math.min(range.size, 100)))
    const numbers: number[] = []
    for (let n = at.number + 1; n <= to; n++) numbers.push(n)
    const headers = await rpc.getBlocks(numbers)
    if (at.hash !== '' && headers[0]?.parentHash !== at.hash) {
      await handleReorg(target)
      return 'progress'
    }
    // Keep only the linked prefix; a link broken mid-batch is a reorg in progress: next step.
    let linked = 1
    while (linked < headers.length && headers[linked]?.parentHash === headers[linked - 1]?.hash) linked++
    const kept = headers.slice(0, linked)
    const last = kept[kept.length - 1] as BlockHeader
    await indexRange(at.number + 1, last.number, 'realtime', kept)
    return 'progress'
  }

  /** Walks back from the cursor to the last block whose stored hash is still canonical. */
  const handleReorg = async (headNumber: number) => {
    const at = cursor as SyncCursor
    const { floor, candidates } = await reorgCandidates(db, chain, at, headNumber)
    let fork: SyncCursor | undefined
    for (let i = 0; i < candidates.length && fork === undefined; i += 20) {
      const batch = candidates.slice(i, i + 20)
      const canonical = await rpc.getBlocks(batch.map((b) => b.block_number))
      for (const [j, block] of batch.entries()) {
        if (canonical[j]?.hash === block.hash) {
          fork = { number: block.block_number, hash: block.hash, timestamp: block.timestamp }
          break
        }
      }
    }
    if (fork === undefined) {
      if (floor <= chain.startBlock - 1) fork = { number: chain.startBlock - 1, hash: '', timestamp: 0 }
      else {
        throw reorgTooDeepError(chain, floor, at, 'canonical')
      }
    }
    const target = fork
    await db.transaction().execute((trx) => rollbackChain(trx, chainId, target))
    emit({ type: 'reorg', chainId, forkBlock: target.number, depth: at.number - target.number })
    prefetched = undefined
    cursor = undefined
    tracked = undefined
  }

  /**
   * Fetches, decodes and stores `[from, to]` and advances the cursor, in one transaction; `to` is
   * `wanted`, or less in a backfill step that reached about {@link TARGET_LOGS_PER_CALL} logs first.
   */
  const indexRange = async (
    from: number,
    wanted: number,
    mode: 'backfill' | 'realtime',
    headers?: readonly BlockHeader[],
    fetched?: Promise<{ logs: RpcLog[]; to: number }>,
  ) => {
    const set = tracked as Tracked
    const address = [...set.registries, ...trackedAddresses(set)]
    const filter = { address, topics: [[...REGISTRY_TOPICS, ...ASSET_TOPICS]] }
    // Backfill: a step ends early once about TARGET_LOGS_PER_CALL logs are in (bounded memory).
    const bound = mode === 'backfill' ? TARGET_LOGS_PER_CALL : Number.POSITIVE_INFINITY
    const got = await (fetched ?? fetchLogsBounded(rpc, filter, from, wanted, range, bound))
    // Realtime: an empty answer for the newest blocks is re-read by hash before the cursor passes it.
    const raw =
      mode === 'realtime' && headers !== undefined
        ? await recheckNewestBlocks(rpc, filter, headers, got.logs)
        : got.logs
    const to = got.to
    // Backfill: fetch the next range while this one is decoded and written (finalized blocks, so
    // no reorg can make it stale; at most two ranges are in memory).
    if (mode === 'backfill' && to < finalized) {
      const nextTo = Math.min(finalized, to + range.size)
      const next = fetchLogsBounded(rpc, filter, to + 1, nextTo, range, TARGET_LOGS_PER_CALL)
      // A failure surfaces when the next step awaits it (or never, if that step drops it).
      next.catch(() => {})
      prefetched = { from: to + 1, to: nextTo, address: addressKey(set), fetched: next }
    }
    const logs = decode(raw)
    if (headers !== undefined) {
      const byNumber = new Map(headers.map((h) => [h.number, h.hash]))
      // A log from another fork than the headers: a reorg between the calls; redo next step.
      if (logs.some((log) => byNumber.get(log.blockNumber) !== log.blockHash)) return
    }

    // Discovery: tokens and holders that registry events of this range add.
    const newTokens = new Set<Address>()
    const newHolders = new Set<Address>()
    const discoveredAt = new Map<Address, number>()
    for (const log of logs) {
      if (log.event !== 'MemberJoined' || !set.registries.has(log.address)) continue
      if (!set.supplyTokens.has(log.liabilityToken)) {
        newTokens.add(log.liabilityToken)
        if (!discoveredAt.has(log.liabilityToken)) discoveredAt.set(log.liabilityToken, log.blockNumber)
      }
      for (const holder of log.holders) if (!set.holders.has(holder)) newHolders.add(holder)
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
    let catchUpTokens: DecodedLog[] = []
    let catchUpHolders: DecodedLog[] = []
    const oldBalanceTokens = [...set.balanceTokens]
    // The catch-up reads other addresses over the whole history: what it learns about their
    // density must not resize the backfill's next range.
    const catchUpRange: RangeState = { size: range.size, max: range.max }
    if (newTokens.size > 0) {
      catchUpTokens = decode(
        await fetchLogsAdaptive(
          rpc,
          { address: [...newTokens], topics: [[...ASSET_TOPICS]] },
          chain.startBlock,
          to,
          catchUpRange,
        ),
      )
    }
    if (newHolders.size > 0 && oldBalanceTokens.length > 0 && from > chain.startBlock) {
      const topics = [...newHolders].map((h) => pad(h))
      const [sent, received] = await Promise.all([
        fetchLogsAdaptive(
          rpc,
          { address: oldBalanceTokens, topics: [TOPICS.Transfer, topics] },
          chain.startBlock,
          from - 1,
          catchUpRange,
        ),
        fetchLogsAdaptive(
          rpc,
          { address: oldBalanceTokens, topics: [TOPICS.Transfer, null, topics] },
          chain.startBlock,
          from - 1,
          catchUpRange,
        ),
      ])
      catchUpHolders = decode([...sent, ...received])
      // A transfer from one new holder to another appears in both lists.
      const seen = new Set<string>()
      catchUpHolders = catchUpHolders.filter((log) => {
        const key = `${log.blockNumber}:${log.logIndex}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      catchUpHolders.sort(byPosition)
    }

    // Blocks to store: every block with a fact, the range end, and in realtime every header.
    const blocks = new Map<number, { hash: string; parent: string; timestamp: number | undefined }>()
    for (const log of [...logs, ...catchUpTokens, ...catchUpHolders]) {
      if (!blocks.has(log.blockNumber)) {
        blocks.set(log.blockNumber, { hash: log.blockHash, parent: '', timestamp: log.blockTimestamp })
      }
    }
    for (const h of headers ?? [])
      blocks.set(h.number, { hash: h.hash, parent: h.parentHash, timestamp: h.timestamp })
    // The range's last block: known from a header or a log of it (a dense backfill step ends on
    // a block with logs), else read.
    const known = blocks.get(to)
    let end: SyncCursor
    if (known?.timestamp !== undefined) end = { number: to, hash: known.hash, timestamp: known.timestamp }
    else {
      const header = await rpc.getBlock(to)
      blocks.set(to, { hash: header.hash, parent: header.parentHash, timestamp: header.timestamp })
      end = header
    }
    const missing = [...blocks.entries()].filter(([, b]) => b.timestamp === undefined).map(([n]) => n)
    for (let i = 0; i < missing.length; i += 100) {
      for (const h of await rpc.getBlocks(missing.slice(i, i + 100))) {
        blocks.set(h.number, { hash: h.hash, parent: h.parentHash, timestamp: h.timestamp })
      }
    }
    const endBlock = end

    await db.transaction().execute(async (trx) => {
      const rows = emptyRows()
      if (newTokens.size > 0 || newHolders.size > 0) {
        // Rows left by a discovery that a reorg undid: the catch-up below rewrites them.
        const tokens = [...newTokens]
        const holders = [...newHolders]
        if (tokens.length > 0) {
          await trx
            .deleteFrom('balances')
            .where('chain_id', '=', chainId)
            .where('token', 'in', tokens)
            .execute()
          await trx
            .deleteFrom('supplies')
            .where('chain_id', '=', chainId)
            .where('token', 'in', tokens)
            .execute()
          await trx
            .deleteFrom('oft_sent')
            .where('chain_id', '=', chainId)
            .where('oft', 'in', tokens)
            .execute()
          await trx
            .deleteFrom('oft_received')
            .where('chain_id', '=', chainId)
            .where('oft', 'in', tokens)
            .execute()
        }
        if (holders.length > 0) {
          await trx
            .deleteFrom('balances')
            .where('chain_id', '=', chainId)
            .where('holder', 'in', holders)
            .execute()
        }
        totals.clear()
        for (const token of tokens) addMember(set, token, [])
        for (const holder of holders) set.holders.add(holder)
        await applyLogs(trx, set, catchUpTokens, rows, 'all')
        await applyLogs(trx, set, catchUpHolders, rows, newHolders)
        emit({ type: 'discovered', chainId, block: from, tokens, holders })
      }
      await applyLogs(trx, set, logs, rows, 'all')
      totals.finish()

      const blockRows = [...blocks.entries()].map(([number, b]) => ({
        chain_id: chainId,
        block_number: number,
        log_index: -1,
        hash: b.hash,
        parent_hash: b.parent,
        timestamp: b.timestamp ?? 0,
      }))
      await upsertBlocks(trx, blockRows)
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
      for (const [table, list] of Object.entries(rows) as [keyof Rows, Rows[keyof Rows]][]) {
        for (const chunk of chunks(list as Record<string, unknown>[]))
          await insertChunk(insertSql, trx, table, chunk)
      }
      await advanceSyncState(
        trx,
        chainId,
        { number: to, hash: endBlock.hash, timestamp: endBlock.timestamp },
        { finalized, head },
      )
    })
    cursor = { number: to, hash: endBlock.hash, timestamp: endBlock.timestamp }
    emit({ type: 'blocks', chainId, mode, from, to, events: logs.length })
  }

  /** Applies decoded logs in order; a transfer awaits only when a running total is not in memory. */
  const applyLogs = async (
    trx: Transaction<Schema>,
    set: Tracked,
    logs: readonly DecodedLog[],
    rows: Rows,
    scope: HolderScope,
  ) => {
    for (const log of logs) {
      if (log.event === 'Transfer') {
        const applying = totals.apply(trx, set, log, scope, rows)
        if (applying !== undefined) await applying
      } else if (scope === 'all') applyOther(chainId, set, log, rows)
    }
  }

  return {
    chainId,
    step,
    status: () => ({
      chainId,
      indexed: cursor?.number ?? chain.startBlock - 1,
      head,
      finalized,
      startBlock: chain.startBlock,
    }),
  }
}

/** Stores a log other than a transfer (OFT, feed, registry), if its contract is tracked. */
function applyOther(
  chainId: number,
  set: Tracked,
  log: Exclude<DecodedLog, { event: 'Transfer' }>,
  rows: Rows,
): void {
  const base = { chain_id: chainId, block_number: log.blockNumber, log_index: log.logIndex }
  switch (log.event) {
    case 'OFTSent':
      if (set.ofts.has(log.address)) {
        rows.oft_sent.push({
          ...base,
          tx_hash: log.transactionHash,
          oft: log.address,
          guid: log.guid,
          dst_eid: log.dstEid,
          from_address: log.fromAddress,
          amount_sent: encodeUint256(log.amountSent),
          amount_received: encodeUint256(log.amountReceived),
        })
      }
      return
    case 'OFTReceived':
      if (set.ofts.has(log.address)) {
        rows.oft_received.push({
          ...base,
          tx_hash: log.transactionHash,
          oft: log.address,
          guid: log.guid,
          src_eid: log.srcEid,
          to_address: log.toAddress,
          amount_received: encodeUint256(log.amountReceived),
        })
      }
      return
    case 'AnswerUpdated':
      if (set.feeds.has(log.address)) {
        rows.prices.push({
          ...base,
          feed: log.address,
          answer: encodeUint256(log.current),
          round_id: encodeUint256(log.roundId),
          updated_at: safeSeconds(log.updatedAt),
        })
      }
      return
    default:
      if (set.registries.has(log.address)) applyRegistry(log, rows, base)
  }
}

/** The tracked address list as one string, to tell whether a prefetched range asked for it. */
function addressKey(set: Tracked): string {
  return [...set.registries, ...trackedAddresses(set)].join(',')
}

function applyRegistry(
  log: DecodedLog,
  rows: Rows,
  base: { chain_id: number; block_number: number; log_index: number },
): void {
  const registry = log.address
  switch (log.event) {
    case 'PoolCreated':
    case 'PoolTargetsUpdated':
      rows.pool_events.push({
        ...base,
        registry,
        pool_id: log.poolId,
        kind: log.event === 'PoolCreated' ? 'created' : 'targets',
        name: log.event === 'PoolCreated' ? log.name : null,
        min_ratio_bps: log.minRatioBps,
        target_ratio_bps: log.targetRatioBps,
      })
      return
    case 'MemberJoined':
      rows.member_events.push({
        ...base,
        registry,
        pool_id: log.poolId,
        member_id: log.memberId,
        kind: 'joined',
        name: log.name,
        liability_token: log.liabilityToken,
        holders: JSON.stringify(log.holders),
      })
      return
    case 'MemberLeft':
      rows.member_events.push({
        ...base,
        registry,
        pool_id: log.poolId,
        member_id: log.memberId,
        kind: 'left',
        name: null,
        liability_token: null,
        holders: null,
      })
      return
    case 'RiskParametersUpdated':
      rows.risk_parameters.push({
        ...base,
        registry,
        asset: log.asset,
        haircut_floor_bps: log.haircutFloorBps,
        liquidation_threshold_bps: log.liquidationThresholdBps,
        liquidation_horizon: log.liquidationHorizon,
        effective_at: safeSeconds(log.effectiveAt),
      })
      return
    default:
      return
  }
}

type Rows = {
  balances: Schema['balances'][]
  supplies: Schema['supplies'][]
  oft_sent: Schema['oft_sent'][]
  oft_received: Schema['oft_received'][]
  prices: Schema['prices'][]
  pool_events: Schema['pool_events'][]
  member_events: Schema['member_events'][]
  risk_parameters: Schema['risk_parameters'][]
}

function emptyRows(): Rows {
  return {
    balances: [],
    supplies: [],
    oft_sent: [],
    oft_received: [],
    prices: [],
    pool_events: [],
    member_events: [],
    risk_parameters: [],
  }
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
function safeSeconds(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value)
}

/**
 * Inserts rows that all have the same columns. A full chunk reuses the SQL kysely compiled for
 * the first full chunk of that table on this database (`insertSql`, one map per sync: the SQL
 * differs between engines) (kysely lists the columns in first-row order and the values
 * row by row, so the flattened values line up), skipping kysely's per-row parsing on the
 * backfill's hot path; any other chunk, or one with a missing value, goes through kysely as is.
 */
async function insertChunk(
  insertSql: Map<string, string>,
  trx: Transaction<Schema>,
  table: keyof Rows,
  chunk: readonly Record<string, unknown>[],
): Promise<void> {
  const first = chunk[0]
  if (first === undefined) return
  const columns = Object.keys(first)
  const parameters: unknown[] = []
  let uniform = chunk.length === INSERT_CHUNK
  for (let i = 0; uniform && i < chunk.length; i++) {
    const row = chunk[i] as Record<string, unknown>
    for (const column of columns) {
      const value = row[column]
      if (value === undefined) {
        uniform = false
        break
      }
      parameters.push(value)
    }
    if (uniform && Object.keys(row).length !== columns.length) uniform = false
  }
  if (!uniform) {
    await trx
      .insertInto(table)
      .values(chunk as never)
      .execute()
    return
  }
  const key = `${table}:${columns.join(',')}`
  let text = insertSql.get(key)
  if (text === undefined) {
    text = trx
      .insertInto(table)
      .values(chunk as never)
      .compile().sql
    insertSql.set(key, text)
  }
  await trx.executeQuery(CompiledQuery.raw(text, parameters))
}

function* chunks<T>(list: readonly T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += INSERT_CHUNK) yield list.slice(i, i + INSERT_CHUNK)
}
