import { OFTReceived, OFTSent, Transfer } from '../generated/templates/LiabilityToken/OFTToken'
import { applyTransfer } from './helpers'
import { recordReceived, recordSent } from './oftEvents'

export function handleTransfer(event: Transfer): void {
  applyTransfer(event.params.from, event.params.to, event.params.value, event)
}

export function handleOftSent(event: OFTSent): void {
  const p = event.params
  recordSent(p.guid, p.dstEid, p.fromAddress, p.amountSentLD, p.amountReceivedLD, event)
}

export function handleOftReceived(event: OFTReceived): void {
  const p = event.params
  recordReceived(p.guid, p.srcEid, p.toAddress, p.amountReceivedLD, event)
}
