// Governance facts: the registry's role timelocks' operations on it (a scheduled call is a pending
// change until executed or cancelled) and statements posted on ReserveAttestation contracts.
// Calldata is kept undecoded: readers decode it against the registry's functions, as the custom
// indexer does, so both sources name a change the same way.
import { Address, BigInt, Bytes, ethereum } from '@graphprotocol/graph-ts'
import { StatementPosted } from '../generated/templates/ReserveAttestation/ReserveAttestation'
import { Attestation, Timelock, TimelockOperation } from '../generated/schema'
import { CallExecuted, CallScheduled, Cancelled } from '../generated/templates/RoleTimelock/Timelock'

export const KIND_SCHEDULED = 'scheduled'
export const KIND_EXECUTED = 'executed'
export const KIND_CANCELLED = 'cancelled'

/** A timelock's call on its registry (calls on other targets are not registry changes: skipped). */
function newCall(
  kind: string,
  timelock: Timelock,
  operationId: Bytes,
  index: BigInt,
  target: Address,
  value: BigInt,
  data: Bytes,
  event: ethereum.Event,
): TimelockOperation | null {
  if (!target.equals(timelock.registry)) return null
  const op = new TimelockOperation(event.transaction.hash.concatI32(event.logIndex.toI32()))
  op.timelock = timelock.id
  op.operationId = operationId
  op.kind = kind
  op.index = index
  op.target = target
  op.value = value
  op.data = data
  op.blockNumber = event.block.number
  op.logIndex = event.logIndex
  op.transactionHash = event.transaction.hash
  return op
}

export function handleCallScheduled(event: CallScheduled): void {
  const timelock = Timelock.load(event.address)
  if (timelock == null) return
  const p = event.params
  const op = newCall(KIND_SCHEDULED, timelock, p.id, p.index, p.target, p.value, p.data, event)
  if (op == null) return
  op.predecessor = p.predecessor
  op.delay = p.delay
  op.save()
}

export function handleCallExecuted(event: CallExecuted): void {
  const timelock = Timelock.load(event.address)
  if (timelock == null) return
  const p = event.params
  const op = newCall(KIND_EXECUTED, timelock, p.id, p.index, p.target, p.value, p.data, event)
  if (op != null) op.save()
}

/** Kept whatever the operation targeted (the event does not say): it matches no other target's call. */
export function handleCancelled(event: Cancelled): void {
  if (Timelock.load(event.address) == null) return
  const op = new TimelockOperation(event.transaction.hash.concatI32(event.logIndex.toI32()))
  op.timelock = event.address
  op.operationId = event.params.id
  op.kind = KIND_CANCELLED
  op.blockNumber = event.block.number
  op.logIndex = event.logIndex
  op.transactionHash = event.transaction.hash
  op.save()
}

export function handleStatementPosted(event: StatementPosted): void {
  const p = event.params
  const statement = new Attestation(event.transaction.hash.concatI32(event.logIndex.toI32()))
  statement.contract = event.address
  statement.pool = p.poolId
  statement.attester = p.attester
  statement.liabilityRoot = p.liabilityRoot
  statement.totalLiabilities = p.totalLiabilities
  statement.adjustedReserves = p.adjustedReserves
  statement.pooledRatioWad = p.pooledRatioWad
  statement.asOf = p.asOf
  statement.chainIds = p.chainIds
  statement.blockNumbers = p.blockNumbers
  statement.blockNumber = event.block.number
  statement.logIndex = event.logIndex
  statement.transactionHash = event.transaction.hash
  statement.save()
}
