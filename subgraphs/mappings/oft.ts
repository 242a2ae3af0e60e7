import { OFTReceived, OFTSent } from '../generated/templates/Oft/OFT'
import { recordReceived, recordSent } from './oftEvents'

export function handleOftSent(event: OFTSent): void {
  const p = event.params
  recordSent(p.guid, p.dstEid, p.fromAddress, p.amountSentLD, p.amountReceivedLD, event)
}

export function handleOftReceived(event: OFTReceived): void {
  const p = event.params
  recordReceived(p.guid, p.srcEid, p.toAddress, p.amountReceivedLD, event)
}
