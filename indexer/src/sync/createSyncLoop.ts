import type { Kysely, Transaction } from 'kysely'
import type { Address } from 'viem'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { rollbackChain } from '../storage/rollbackChain.js'
import type { Schema } from '../storage/schema.js'
import { advanceSyncState, expectSyncState, loadSyncState, type SyncCursor } from '../storage/syncState.js'
import { upsertBlocks } from '../storage/upsertBlocks.js'
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
  /** Registry events or a config change added tokens/holders; their history was caught up. */
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

/** A block of a source's chain: its number and hash. */
export type SourceHead = {
  number: number
  hash: string
  /** The finalized block the source reports for this head (default: head - finality depth). */
  finalized?: number | undefined
}

/** What a source fetched for one step, ready to store. */
export type SourceStep = {
  /** The step's last block: the new cursor. */
  cursor: SyncCursor
  /** Headers to store with the step (blocks holding a fact, the unfinalized window, the cursor). */
  blocks: Schema['blocks'][]
  /** Writes the step's facts, inside the step's transaction. */
  write: (trx: Transaction<Schema>) => Promise<void>
  /** Facts stored (for the `blocks` event). */
  events: number
}

/**
 * Where one chain's data comes from (JSON-RPC, a subgraph). A source differs from another in how
 * it fetches, not in how a step is checked, stored and rolled back: that is {@link createSyncLoop}.
 */
export type SyncSource = {
  /** Reloads what the source keeps in memory from the database (first step, after a failure or a rollback). */
  init: (cursor: SyncCursor) => Promise<void>
  /**
   * The source's head; `undefined` to skip reading it this step (deep in a backfill, where it only
   * tells how far is final).
   */
  head: (at: SyncCursor, finalized: number) => Promise<SourceHead | undefined>
  /** Whether the cursor block (it has a hash) is still on the source's chain, given its head. */
  cursorCanonical: (at: SyncCursor, head: SourceHead) => Promise<boolean>
  /** The source's hashes of these block numbers (a missing entry: not on its chain). */
  hashes: (numbers: readonly number[]) => Promise<Map<number, string>>
  /**
   * Fetches the step after `at`: a backfill range up to `finalized`, or realtime blocks up to the
   * head. `'reorg'` when it found a broken link, `undefined` to redo it next step (the source moved
   * between its reads).
   */
  fetch: (
    at: SyncCursor,
    mode: 'backfill' | 'realtime',
    bounds: { finalized: number; head: number },
  ) => Promise<SourceStep | 'reorg' | undefined>
  /** Words for "on the source's chain" in the too-deep reorg error. */
  chainWords: string
}

/** Options of {@link createSyncLoop}. */
export type CreateSyncLoopOptions = {
  chain: ResolvedChainConfig
  db: Kysely<Schema>
  source: SyncSource
  onEvent?: ((event: SyncEvent) => void) | undefined
}

/**
 * The one sync loop of a chain, over any {@link SyncSource}. Invariants (each step is one database
 * transaction, so a crash at any point resumes from the last committed step with nothing lost and
 * nothing doubled):
 * - `sync_state.block_number` is the last block whose facts are all stored;
 * - backfill runs up to the finalized block (head - finality depth); above it every step checks
 *   that the cursor block is still on the source's chain, and a mismatch (or a broken link the
 *   source found) triggers a walk back over the stored blocks within the finality depth to the
 *   newest one the source still agrees on, and a rollback above it (`rollbackChain`);
 * - a source's head below the cursor with no stored block on its chain is waited for (retryable)
 *   when it is more than one block below: a lagging node or a re-syncing subgraph proves nothing;
 * - a step commits only on the stored cursor it started from (`expectSyncState`): when another
 *   writer moved or rolled back the chain meanwhile, the step is refused and the next one reloads
 *   the cursor and the source's memory (running totals) from the database.
 *
 * @param options Chain, database, source and an event callback.
 * @returns The chain's sync.
 * @example
 * ```ts
 * const sync = createSyncLoop({ chain, db, source })
 * while ((await sync.step()) === 'progress') {}
 * ```
 */
export function createSyncLoop(options: CreateSyncLoopOptions): ChainSync {
  const { chain, db, source } = options
  const chainId = chain.chainId
  const emit = options.onEvent ?? (() => {})
  let cursor: SyncCursor | undefined
  let head = 0
  let finalized = chain.startBlock - 1

  const init = async () => {
    const state = await loadSyncState(db, chainId, chain.startBlock)
    finalized = Math.max(finalized, state.finalized)
    await source.init(state.cursor)
    cursor = state.cursor
  }

  const step = async (): Promise<'progress' | 'idle'> => {
    try {
      if (cursor === undefined) await init()
      const at = cursor as SyncCursor
      const latest = await source.head(at, finalized)
      if (latest !== undefined) {
        head = latest.number
        finalized = Math.max(finalized, latest.finalized ?? latest.number - chain.finalityDepth)
        if (at.hash !== '' && !(await source.cursorCanonical(at, latest))) {
          await handleReorg(latest.number)
          return 'progress'
        }
        if (at.number >= finalized && at.number >= latest.number) return 'idle'
      }
      const mode = latest === undefined || at.number < finalized ? 'backfill' : 'realtime'
      const fetched = await source.fetch(at, mode, { finalized, head })
      if (fetched === 'reorg') await handleReorg(head)
      else if (fetched !== undefined) await store(at, mode, fetched)
      return 'progress'
    } catch (error) {
      // Whatever was half-applied in memory is stale: rebuild from the database next step.
      cursor = undefined
      throw error
    }
  }

  const store = async (at: SyncCursor, mode: 'backfill' | 'realtime', fetched: SourceStep) => {
    await db.transaction().execute(async (trx) => {
      await expectSyncState(trx, chainId, at)
      await fetched.write(trx)
      await upsertBlocks(trx, fetched.blocks)
      await advanceSyncState(trx, chainId, fetched.cursor, { finalized, head })
    })
    cursor = fetched.cursor
    emit({
      type: 'blocks',
      chainId,
      mode,
      from: at.number + 1,
      to: fetched.cursor.number,
      events: fetched.events,
    })
  }

  /** Walks back from the cursor to the newest stored block whose hash the source still reports. */
  const handleReorg = async (headNumber: number) => {
    const at = cursor as SyncCursor
    const { floor, candidates } = await reorgCandidates(db, chain, at, headNumber)
    let fork: SyncCursor | undefined
    for (let i = 0; i < candidates.length && fork === undefined; i += 20) {
      const batch = candidates.slice(i, i + 20)
      const current = await source.hashes(batch.map((b) => b.block_number))
      const match = batch.find((b) => current.get(b.block_number) === b.hash)
      if (match !== undefined)
        fork = { number: match.block_number, hash: match.hash, timestamp: match.timestamp }
    }
    if (fork === undefined) {
      if (floor <= chain.startBlock - 1) fork = { number: chain.startBlock - 1, hash: '', timestamp: 0 }
      else if (headNumber < at.number - 1) {
        throw new IndexerError("The source's head is below the indexed block: waiting for it.", {
          details: `Chain ${chainId}: indexed ${at.number}, source head ${headNumber}; no stored block up to it is ${source.chainWords}.`,
          retryable: true,
        })
      } else throw reorgTooDeepError(chain, floor, at, source.chainWords)
    }
    const target = fork
    await db.transaction().execute(async (trx) => {
      await expectSyncState(trx, chainId, at)
      await rollbackChain(trx, chainId, target)
    })
    emit({ type: 'reorg', chainId, forkBlock: target.number, depth: at.number - target.number })
    cursor = undefined
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
