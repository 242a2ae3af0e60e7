import { timelockOperationRow } from '../governance/timelockOperationRow.js'
import type { FactRows } from '../storage/insertFactRows.js'
import { encodeUint256 } from '../storage/uint256.js'
import type { DecodedLog } from './decodeLog.js'
import type { Tracked } from './loadTracked.js'

// The RPC sync's rows of every log other than a reserve Transfer (those go through the running
// totals): OFT sends and receipts, feed answers, attestations, registry and timelock events.

/** Stores a log other than a transfer (OFT, feed, registry), if its contract is tracked. */
export function applyOther(
  chainId: number,
  set: Tracked,
  log: Exclude<DecodedLog, { event: 'Transfer' }>,
  rows: FactRows,
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
    case 'CallScheduled':
    case 'CallExecuted':
    case 'Cancelled':
      applyTimelock(set, log, rows, base)
      return
    case 'StatementPosted':
      if (set.attestations.has(log.address)) {
        rows.attestations.push({
          ...base,
          tx_hash: log.transactionHash,
          contract: log.address,
          pool_id: log.poolId,
          attester: log.attester,
          liability_root: log.liabilityRoot,
          total_liabilities: encodeUint256(log.totalLiabilities),
          adjusted_reserves: encodeUint256(log.adjustedReserves),
          pooled_ratio_wad: encodeUint256(log.pooledRatioWad),
          as_of: safeSeconds(log.asOf),
          chain_ids: JSON.stringify(log.chainIds.map(String)),
          block_numbers: JSON.stringify(log.blockNumbers.map(String)),
        })
      }
      return
    default:
      if (set.registries.has(log.address)) applyRegistry(log, rows, base)
  }
}

/**
 * A role timelock's operation on its registry: scheduled calls with their calldata decoded (the
 * pending change), executions, cancellations (kept whatever the operation: a cancelled id
 * matches no scheduled row when it targeted another contract). Calls on other targets are dropped.
 */
function applyTimelock(
  set: Tracked,
  log: Extract<DecodedLog, { event: 'CallScheduled' | 'CallExecuted' | 'Cancelled' }>,
  rows: FactRows,
  base: { chain_id: number; block_number: number; log_index: number },
): void {
  const registry = set.timelocks.get(log.address)
  if (registry === undefined) return
  const common = {
    ...base,
    tx_hash: log.transactionHash,
    timelock: log.address,
    registry,
    operation_id: log.id,
  }
  if (log.event === 'Cancelled') {
    rows.timelock_operations.push(timelockOperationRow({ ...common, kind: 'cancelled' }))
    return
  }
  if (log.target !== registry) return
  rows.timelock_operations.push(
    timelockOperationRow({
      ...common,
      kind: log.event === 'CallScheduled' ? 'scheduled' : 'executed',
      index: log.index,
      data: log.data,
      delay: log.event === 'CallScheduled' ? safeSeconds(log.delay) : null,
    }),
  )
}

function applyRegistry(
  log: DecodedLog,
  rows: FactRows,
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
    case 'HolderAcknowledged':
      rows.holder_acknowledgements.push({
        ...base,
        registry,
        pool_id: log.poolId,
        member_id: log.memberId,
        holder: log.holder,
      })
      return
    case 'RiskParametersUpdated':
      rows.risk_parameters.push({
        ...base,
        registry,
        pool_id: log.poolId,
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

function safeSeconds(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value)
}
