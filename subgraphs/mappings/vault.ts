import { Deposit, Transfer, Withdraw } from '../generated/templates/Vault/ERC4626'
import { applyTransfer, refreshVault } from './helpers'

export function handleTransfer(event: Transfer): void {
  applyTransfer(event.params.from, event.params.to, event.params.value, event)
}

export function handleDeposit(event: Deposit): void {
  refreshVault(event.address, event.block)
}

export function handleWithdraw(event: Withdraw): void {
  refreshVault(event.address, event.block)
}
