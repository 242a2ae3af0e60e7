import { Deposit, Withdraw } from '../generated/templates/Vault/ERC4626'
import { refreshVault } from './helpers'

export function handleDeposit(event: Deposit): void {
  refreshVault(event.address, event.block)
}

export function handleWithdraw(event: Withdraw): void {
  refreshVault(event.address, event.block)
}
