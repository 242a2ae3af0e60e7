import { Transfer } from '../generated/templates/ReserveToken/ERC20'
import { applyTransfer } from './helpers'

export function handleTransfer(event: Transfer): void {
  applyTransfer(event.params.from, event.params.to, event.params.value, event)
}
