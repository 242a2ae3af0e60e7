import type { TimelockOperationsTable } from '../storage/schema.js'
import { decodeRegistryCall } from './decodeRegistryCall.js'

/** A role timelock's event on a registry, as both sources (RPC logs, subgraph entities) give it. */
export type TimelockOperation = Pick<
  TimelockOperationsTable,
  'chain_id' | 'block_number' | 'log_index' | 'tx_hash' | 'timelock' | 'registry' | 'operation_id'
> &
  (
    | { kind: 'cancelled' }
    | {
        kind: 'scheduled' | 'executed'
        /** The call's index in its batch. */
        index: number
        /** The call's calldata on the registry. */
        data: `0x${string}`
        /** Seconds (scheduled only). */
        delay: number | null
      }
  )

/**
 * The `timelock_operations` row of a timelock event: a cancellation names only its operation
 * (`call_index` -1); a scheduled or executed call is decoded into the registry change it makes
 * (`decodeRegistryCall`). The one rule both sources store by.
 *
 * @param op - The event's common fields and its kind.
 * @returns the row
 */
export function timelockOperationRow(op: TimelockOperation): TimelockOperationsTable {
  const common = {
    chain_id: op.chain_id,
    block_number: op.block_number,
    log_index: op.log_index,
    tx_hash: op.tx_hash,
    timelock: op.timelock,
    registry: op.registry,
    operation_id: op.operation_id,
  }
  if (op.kind === 'cancelled') {
    return {
      ...common,
      call_index: -1,
      kind: 'cancelled',
      change_kind: null,
      pool_id: null,
      asset: null,
      member_id: null,
      change_values: null,
      delay: null,
    }
  }
  const change = decodeRegistryCall(op.data)
  return {
    ...common,
    call_index: op.index,
    kind: op.kind,
    change_kind: change.kind,
    pool_id: change.poolId,
    asset: change.asset,
    member_id: change.memberId,
    change_values: JSON.stringify(change.values),
    delay: op.kind === 'scheduled' ? op.delay : null,
  }
}
