import type { Transaction } from 'kysely'
import type { Address } from 'viem'
import type { Schema } from '../storage/schema.js'
import { decodeUint256, encodeUint256 } from '../storage/uint256.js'
import type { DecodedLog } from './decodeLog.js'
import type { Tracked } from './loadTracked.js'

/** A decoded ERC-20 `Transfer`. */
export type TransferLog = Extract<DecodedLog, { event: 'Transfer' }>

/** Whose balances a pass counts: every tracked holder, or only some (a catch-up of new holders). */
export type HolderScope = 'all' | ReadonlySet<Address>

/** The rows a step writes for balances and supplies. */
export type TotalRows = { balances: Schema['balances'][]; supplies: Schema['supplies'][] }

/** The running balances and supplies of one chain's sync (see {@link createRunningTotals}). */
export type RunningTotals = {
  /**
   * Reads from the database the running values that `log` changes and memory lacks. Undefined
   * when none is missing, the common case, so that the caller awaits nothing per log.
   */
  load: (
    trx: Transaction<Schema>,
    set: Tracked,
    log: TransferLog,
    scope: HolderScope,
  ) => Promise<void> | undefined
  /** Applies a transfer whose running values are loaded (after {@link RunningTotals.load}). */
  apply: (set: Tracked, log: TransferLog, scope: HolderScope, rows: TotalRows) => void
  /** Ends a step: fills in the value of every row it added. */
  finish: () => void
  /** Forgets everything (the database changed under it: a discovery, a rollback, a failed step). */
  clear: () => void
}

/** A running value: after the last applied log, with the step's row for that log's block. */
type Running<Row> = { value: bigint; row: Row | undefined }

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
 * for (const log of transfers) { await totals.load(trx, set, log, 'all'); totals.apply(set, log, 'all', rows) }
 * totals.finish()
 * ```
 */
export function createRunningTotals(chainId: number): RunningTotals {
  const balances = new Map<Address, Map<Address, Running<Schema['balances']>>>()
  const supplies = new Map<Address, Running<Schema['supplies']>>()
  /** Running values that have a row of the current step, to fill in when it ends. */
  const open: (Running<Schema['balances']> | Running<Schema['supplies']>)[] = []

  const counts = (set: Tracked, holder: Address, scope: HolderScope) =>
    set.holders.has(holder) && (scope === 'all' || scope.has(holder))
  const tracksBalances = (set: Tracked, log: TransferLog) =>
    set.balanceTokens.has(log.address) && log.from !== log.to
  const tracksSupply = (set: Tracked, log: TransferLog, scope: HolderScope) =>
    scope === 'all' && set.supplyTokens.has(log.address) && (log.from === ZERO) !== (log.to === ZERO)

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
    byHolder.set(holder, { value: row === undefined ? 0n : decodeUint256(row.balance), row: undefined })
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
    supplies.set(token, { value: row === undefined ? 0n : decodeUint256(row.supply), row: undefined })
  }

  const load: RunningTotals['load'] = (trx, set, log, scope) => {
    const token = log.address
    const balanced = tracksBalances(set, log)
    const byHolder = balances.get(token)
    const from = balanced && counts(set, log.from, scope) && byHolder?.get(log.from) === undefined
    const to = balanced && counts(set, log.to, scope) && byHolder?.get(log.to) === undefined
    const supply = tracksSupply(set, log, scope) && !supplies.has(token)
    if (!from && !to && !supply) return undefined
    return Promise.all([
      from ? loadBalance(trx, token, log.from) : undefined,
      to ? loadBalance(trx, token, log.to) : undefined,
      supply ? loadSupply(trx, token) : undefined,
    ]).then(() => {})
  }

  // The two changes below are written out rather than shared through callbacks: they run for
  // every transfer, and a closure per call is what this module exists to avoid.
  const changeBalance = (log: TransferLog, holder: Address, delta: bigint, rows: TotalRows) => {
    const running = balances.get(log.address)?.get(holder) as Running<Schema['balances']>
    const row = running.row
    if (row !== undefined && row.block_number === log.blockNumber) row.log_index = log.logIndex
    else {
      // A new block: the row of the previous one (if this step has one) now has its final value.
      if (row === undefined) open.push(running)
      else row.balance = encodeUint256(running.value)
      const added = {
        chain_id: chainId,
        block_number: log.blockNumber,
        log_index: log.logIndex,
        token: log.address,
        holder,
        balance: '',
      }
      running.row = added
      rows.balances.push(added)
    }
    running.value += delta
  }

  const changeSupply = (log: TransferLog, delta: bigint, rows: TotalRows) => {
    const running = supplies.get(log.address) as Running<Schema['supplies']>
    const row = running.row
    if (row !== undefined && row.block_number === log.blockNumber) row.log_index = log.logIndex
    else {
      if (row === undefined) open.push(running)
      else row.supply = encodeUint256(running.value)
      const added = {
        chain_id: chainId,
        block_number: log.blockNumber,
        log_index: log.logIndex,
        token: log.address,
        supply: '',
      }
      running.row = added
      rows.supplies.push(added)
    }
    running.value += delta
  }

  const apply: RunningTotals['apply'] = (set, log, scope, rows) => {
    if (tracksBalances(set, log)) {
      if (counts(set, log.from, scope)) changeBalance(log, log.from, -log.value, rows)
      if (counts(set, log.to, scope)) changeBalance(log, log.to, log.value, rows)
    }
    if (tracksSupply(set, log, scope)) changeSupply(log, log.from === ZERO ? log.value : -log.value, rows)
  }

  const finish = () => {
    for (const running of open) {
      const row = running.row as Schema['balances'] | Schema['supplies']
      const text = encodeUint256(running.value)
      if ('balance' in row) row.balance = text
      else row.supply = text
      running.row = undefined
    }
    open.length = 0
  }

  return {
    load,
    apply,
    finish,
    clear: () => {
      balances.clear()
      supplies.clear()
      open.length = 0
    },
  }
}
