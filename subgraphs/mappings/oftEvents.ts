import { Address, BigInt, Bytes, ethereum } from '@graphprotocol/graph-ts'
import { OftReceived, OftSent } from '../generated/schema'

/** Records an OFTSent (id: guid); guids are unique, so a record is never overwritten. */
export function recordSent(
  guid: Bytes,
  dstEid: BigInt,
  from: Address,
  amountSentLD: BigInt,
  amountReceivedLD: BigInt,
  event: ethereum.Event,
): void {
  const sent = new OftSent(guid)
  sent.oft = event.address
  sent.dstEid = dstEid.toI32()
  sent.from = from
  sent.amountSentLD = amountSentLD
  sent.amountReceivedLD = amountReceivedLD
  sent.blockNumber = event.block.number
  sent.logIndex = event.logIndex
  sent.transactionHash = event.transaction.hash
  sent.save()
}

/** Records an OFTReceived (id: guid). */
export function recordReceived(
  guid: Bytes,
  srcEid: BigInt,
  to: Address,
  amountReceivedLD: BigInt,
  event: ethereum.Event,
): void {
  const received = new OftReceived(guid)
  received.oft = event.address
  received.srcEid = srcEid.toI32()
  received.to = to
  received.amountReceivedLD = amountReceivedLD
  received.blockNumber = event.block.number
  received.logIndex = event.logIndex
  received.transactionHash = event.transaction.hash
  received.save()
}
