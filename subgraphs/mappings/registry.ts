import { Address, dataSource, ethereum } from '@graphprotocol/graph-ts'
import {
  HolderAcknowledged,
  MemberJoined,
  MemberLeft,
  PoolCreated,
  PoolTargetsUpdated,
  ReservePoolRegistry,
  RiskParametersUpdated,
} from '../generated/Registry/ReservePoolRegistry'
import { Holder, HolderAcknowledgement, Member, Pool, RiskParameterUpdate } from '../generated/schema'
import {
  loadRegistry,
  seedBalance,
  trackAttestation,
  trackFeed,
  trackLiabilityToken,
  trackOft,
  trackReserveToken,
  trackTimelock,
} from './helpers'

/** Splits a context list ("a,b,c"; empty or missing -> none). */
function contextList(key: string): string[] {
  const value = dataSource.context().get(key)
  if (value == null) return []
  const text = value.toString()
  if (text.length == 0) return []
  return text.split(',')
}

/** Runs once at the start block: follows the contracts configured for this network. */
export function handleStart(block: ethereum.Block): void {
  loadRegistry()
  const tokens = contextList('reserveTokens')
  for (let i = 0; i < tokens.length; i++) trackReserveToken(Address.fromString(tokens[i]), block, false)
  const vaults = contextList('vaults')
  for (let i = 0; i < vaults.length; i++) trackReserveToken(Address.fromString(vaults[i]), block, true)
  const ofts = contextList('ofts')
  for (let i = 0; i < ofts.length; i++) trackOft(Address.fromString(ofts[i]))
  const feeds = contextList('feeds')
  for (let i = 0; i < feeds.length; i++) {
    const parts = feeds[i].split(':')
    trackFeed(parts[0], Address.fromString(parts[1]), block)
  }
  // The role timelocks are registry immutables: read them when the registry exists at the start
  // block; a start block before its deployment needs them in the context instead.
  const registry = dataSource.address()
  const timelocks = contextList('timelocks')
  for (let i = 0; i < timelocks.length; i++) trackTimelock(Address.fromString(timelocks[i]), registry)
  const contract = ReservePoolRegistry.bind(registry)
  const poolAdmin = contract.try_poolAdminTimelock()
  if (!poolAdmin.reverted) trackTimelock(poolAdmin.value, registry)
  const membership = contract.try_membershipTimelock()
  if (!membership.reverted) trackTimelock(membership.value, registry)
  const risk = contract.try_riskTimelock()
  if (!risk.reverted) trackTimelock(risk.value, registry)
  const attestations = contextList('attestations')
  for (let i = 0; i < attestations.length; i++) trackAttestation(Address.fromString(attestations[i]))
}

export function handlePoolCreated(event: PoolCreated): void {
  const pool = new Pool(event.params.poolId)
  pool.name = event.params.name
  pool.minRatioBps = event.params.minRatioBps.toI32()
  pool.targetRatioBps = event.params.targetRatioBps.toI32()
  pool.createdAtBlock = event.block.number
  pool.save()
}

export function handlePoolTargetsUpdated(event: PoolTargetsUpdated): void {
  const pool = Pool.load(event.params.poolId)
  if (pool == null) return
  pool.minRatioBps = event.params.minRatioBps.toI32()
  pool.targetRatioBps = event.params.targetRatioBps.toI32()
  pool.save()
}

export function handleMemberJoined(event: MemberJoined): void {
  const id = event.params.poolId.concat(event.params.memberId)
  let member = Member.load(id)
  if (member == null) member = new Member(id)
  member.pool = event.params.poolId
  member.memberId = event.params.memberId
  member.name = event.params.name
  member.liabilityToken = event.params.liabilityToken
  member.active = true
  member.joinedAtBlock = event.block.number
  member.joinedAtTimestamp = event.block.timestamp
  member.leftAtBlock = null
  member.save()
  trackLiabilityToken(event.params.liabilityToken, event.block)

  const registry = loadRegistry()
  const active = registry.activeHolders
  const holders = event.params.holders
  const tokens = registry.reserveTokens
  for (let i = 0; i < holders.length; i++) {
    const holder = new Holder(holders[i])
    holder.member = id
    holder.active = true
    holder.save()
    if (!active.includes(holders[i])) active.push(holders[i])
    for (let t = 0; t < tokens.length; t++) seedBalance(tokens[t], holders[i], event.block)
  }
  registry.activeHolders = active
  registry.save()
}

export function handleMemberLeft(event: MemberLeft): void {
  const member = Member.load(event.params.poolId.concat(event.params.memberId))
  if (member == null) return
  member.active = false
  member.leftAtBlock = event.block.number
  member.save()
  const holders = member.holders.load()
  const registry = loadRegistry()
  const active = registry.activeHolders
  for (let i = 0; i < holders.length; i++) {
    const holder = holders[i]
    holder.active = false
    holder.save()
    const at = active.indexOf(holder.id)
    if (at >= 0) active.splice(at, 1)
  }
  registry.activeHolders = active
  registry.save()
}

export function handleRiskParametersUpdated(event: RiskParametersUpdated): void {
  const update = new RiskParameterUpdate(event.transaction.hash.concatI32(event.logIndex.toI32()))
  update.pool = event.params.poolId
  update.asset = event.params.asset
  update.haircutFloorBps = event.params.haircutFloorBps
  update.liquidationThresholdBps = event.params.liquidationThresholdBps
  update.liquidationHorizon = event.params.liquidationHorizon
  update.effectiveAt = event.params.effectiveAt
  update.blockNumber = event.block.number
  update.logIndex = event.logIndex
  update.save()
  // An asset with risk parameters on this chain is a reserve asset: follow it (no-op when followed).
  trackReserveToken(event.params.asset, event.block, false)
}

export function handleHolderAcknowledged(event: HolderAcknowledged): void {
  const ack = new HolderAcknowledgement(event.transaction.hash.concatI32(event.logIndex.toI32()))
  ack.pool = event.params.poolId
  ack.memberId = event.params.memberId
  ack.holder = event.params.holder
  ack.blockNumber = event.block.number
  ack.logIndex = event.logIndex
  ack.transactionHash = event.transaction.hash
  ack.save()
}
