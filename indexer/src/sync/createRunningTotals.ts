import type { Transaction } from 'kysely'
import type { Address } from 'viem'
import { BLOCK_END_LOG_INDEX } from '../storage/insertFactRows.js'
import type { Schema } from '../storage/schema.js'
import { decodeUint256, encodeUint256 } from '../storage/uint256.js'
import type { DecodedLog } from './decodeLog.js'
import type { Tracked } from './loadTracked.js'
import { balancePart, supplyPart, type TrackedPart } from './trackedParts.js'

/** A decoded ERC-20 `Transfer`. */
export type TransferLog = Extract<DecodedLog, { event: 'Transfer' }>

/**
 * What a pass counts: every tracked value, or only some parts (`balancePart`/`supplyPart`: a
 * catch-up of added holders or tokens, whose logs also touch values counted already).
 */
export type HolderScope = 'all' | ReadonlySet<TrackedPart>

/** The rows a step writes for balances and supplies. */
export type TotalRows = { balances: Schema['balances'][]; supplies: Schema['supplies'][] }

/** The running balances and supplies of one chain's sync (see {@link createRunningTotals}). */
export type RunningTotals = {
  /**
   * Applies a transfer. Returns a promise only when a running value it changes must first be
   * read from the database (the first time a key is seen), so the caller awaits nothing per log
   * in the common case; the log is applied once that promise resolves.
   */
  apply: (
    trx: Transaction<Schema>,
    set: Tracked,
    log: TransferLog,
    scope: HolderScope,
    rows: TotalRows,
  ) => Promise<void> | undefined
  /**
   * Starts a value from a seed: `value` (read on chain) at the end of `block`, the block before its
   * tracking starts. Writes a row at `block` (log index {@link BLOCK_END_LOG_INDEX}) unless zero.
   */
  seed: (token: Address, holder: Address | undefined, value: bigint, block: number, rows: TotalRows) => void
  /** Ends a step: fills in the value of every row it added. */
  finish: () => void
  /** Forgets everything (the database changed under it: a discovery, a rollback, a failed step). */
  clear: () => void
}

/**
 * A running value (a holder's balance of a token, or a token's supply when `holder` is
 * undefined): after the last applied log, with the step's row for that log's block.
 */
type Running = {
  holder: Address | undefined
  value: bigint
  row: Schema['balances'] | Schema['supplies'] | undefined
}

const ZERO: Address = '0x0000000000000000000000000000000000000000'

/**
 * The balances of tracked holders and the supplies of liability tokens as transfers are applied,
 * kept in memory between steps so that each costs two Map lookups and a bigint addition. A step
 * writes one row per (token, holder, block) and per (token, block), with the value after the
 * block's last change and that change's log index: every query reads at block granularity. A
 * row's value is encoded once, when the next block's change or the end of the step closes it.
 * Values missing from memory are read from the last stored row (zero if none).
 *
 * @param chainId The chain (stored on every row).
 * @returns The running totals.
 * @example
 * ```ts
 * const totals = createRunningTotals(chainId)
 * for (const log of transfers) await totals.apply(trx, set, log, 'all', rows)
 * totals.finish()
 * ```
 */
export function createRunningTotals(chainId: number): RunningTotals {
  const balances = new Map<Address, Map<Address, Running>>()
  const supplies = new Map<Address, Running>()
  /** Running values that have a row of the current step, to fill in when it ends. */
  const open: Running[] = []

  const counts = (set: Tracked, token: Address, holder: Address, scope: HolderScope) =>
    set.holders.has(holder) && (scope === 'all' || scope.has(balancePart(token, holder)))

  const loadBalance = async (trx: Transaction<Schema>, token: Address, holder: Address) => {
    const row = await trx
      .selectFrom('balances')
      .select('balance')
      .where('chain_id', '=', chainId)
      .where('token', '=', token)
      .where('holder', '=', holder)
      .orderBy('block_number', 'desc')
      .orderBy('log_index', 'desc')
      .limit(1)
      .executeTakeFirst()
    let byHolder = balances.get(token)
    if (byHolder === undefined) {
      byHolder = new Map()
      balances.set(token, byHolder)
    }
    byHolder.set(holder, {
      holder,
      value: row === undefined ? 0n : decodeUint256(row.balance),
      row: undefined,
    })
  }

  const loadSupply = async (trx: Transaction<Schema>, token: Address) => {
    const row = await trx
      .selectFrom('supplies')
      .select('supply')
      .where('chain_id', '=', chainId)
      .where('token', '=', token)
      .orderBy('block_number', 'desc')
      .orderBy('log_index', 'desc')
      .limit(1)
      .executeTakeFirst()
    supplies.set(token, {
      holder: undefined,
      value: row === undefined ? 0n : decodeUint256(row.supply),
      row: undefined,
    })
  }

  /** Writes the running value into its open row: the value after that row's block. */
  const close = (running: Running) => {
    const row = running.row as Schema['balances'] | Schema['supplies']
    const text = encodeUint256(running.value)
    if ('balance' in row) row.balance = text
    else row.supply = text
  }

  /** Adds `delta` at the log's position: a new row for a new block, else this block's row moves on. */
  const change = (running: Running, log: TransferLog, delta: bigint, rows: TotalRows) => {
    const row = running.row
    if (row !== undefined && row.block_number === log.blockNumber) row.log_index = log.logIndex
    else {
      // A new block: the row of the previous one (if this step has one) now has its final value.
      if (row === undefined) open.push(running)
      else close(running)
      const position = { chain_id: chainId, block_number: log.blockNumber, log_index: log.logIndex }
      if (running.holder === undefined) {
        const added = { ...position, token: log.address, supply: '' }
        rows.supplies.push(added)
        running.row = added
      } else {
        const added = { ...position, token: log.address, holder: running.holder, balance: '' }
        rows.balances.push(added)
        running.row = added
      }
    }
    running.value += delta
  }

  const apply: RunningTotals['apply'] = (trx, set, log, scope, rows) => {
    const token = log.address
    const balanced = set.balanceTokens.has(token) && log.from !== log.to
    const fromCounts = balanced && counts(set, token, log.from, scope)
    const toCounts = balanced && counts(set, token, log.to, scope)
    const supplied =
      set.supplyTokens.has(token) &&
      // From zero is a mint, even to zero (Uniswap V2 locks MINIMUM_LIQUIDITY with _mint(address(0))).
      (log.from === ZERO || log.to === ZERO) &&
      (scope === 'all' || scope.has(supplyPart(token)))
    const byHolder = balances.get(token)
    const from = fromCounts ? byHolder?.get(log.from) : undefined
    const to = toCounts ? byHolder?.get(log.to) : undefined
    const supply = supplied ? supplies.get(token) : undefined
    if (
      (fromCounts && from === undefined) ||
      (toCounts && to === undefined) ||
      (supplied && supply === undefined)
    ) {
      // First sight of a key: read what is missing, then apply with everything in memory.
      return Promise.all([
        fromCounts && from === undefined ? loadBalance(trx, token, log.from) : undefined,
        toCounts && to === undefined ? loadBalance(trx, token, log.to) : undefined,
        supplied && supply === undefined ? loadSupply(trx, token) : undefined,
      ]).then(() => apply(trx, set, log, scope, rows))
    }
    if (from !== undefined) change(from, log, -log.value, rows)
    if (to !== undefined) change(to, log, log.value, rows)
    if (supply !== undefined) change(supply, log, log.from === ZERO ? log.value : -log.value, rows)
    return undefined
  }

  const seed: RunningTotals['seed'] = (token, holder, value, block, rows) => {
    const running: Running = { holder, value, row: undefined }
    if (holder === undefined) supplies.set(token, running)
    else {
      let byHolder = balances.get(token)
      if (byHolder === undefined) {
        byHolder = new Map()
        balances.set(token, byHolder)
      }
      byHolder.set(holder, running)
    }
    if (value === 0n) return
    const position = { chain_id: chainId, block_number: block, log_index: BLOCK_END_LOG_INDEX }
    const text = encodeUint256(value)
    if (holder === undefined) rows.supplies.push({ ...position, token, supply: text })
    else rows.balances.push({ ...position, token, holder, balance: text })
  }

  return {
    apply,
    seed,
    finish: () => {
      for (const running of open) {
        close(running)
        running.row = undefined
      }
      open.length = 0
    },
    clear: () => {
      balances.clear()
      supplies.clear()
      open.length = 0
    },
  }
}
