import type { Address, TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, write } from '../contracts/sendTx.js'

/**
 * Deploys `RebasingShares` (devnet/contracts): a stETH-shaped token, `balanceOf = shares *
 * totalPooled / totalShares`, `Transfer` + `TransferShares` on moves, `TokenRebased` and no
 * `Transfer` on a rebase.
 *
 * @param chain The chain.
 * @param parameters Owner (mints and rebases), optional name and symbol.
 * @returns Its address.
 * @example
 * ```ts
 * const steth = await deployRebasingShares(chain, { from: deployer })
 * ```
 */
export async function deployRebasingShares(
  chain: DevnetChainHandle,
  parameters: { from: Address; name?: string; symbol?: string },
): Promise<Address> {
  const { from } = parameters
  return (
    await deploy(chain, from, 'RebasingShares', [
      parameters.name ?? 'Liquid staked Devnet Ether',
      parameters.symbol ?? 'stDETH',
      from,
    ])
  ).address
}

/**
 * Stakes: adds `amount` to the pool and mints `to` the shares it buys (`amount * totalShares /
 * totalPooled`, rounded down; 1:1 into an empty pool).
 *
 * @param chain The chain.
 * @param parameters Owner, token, recipient, pooled amount.
 * @returns The receipt.
 */
export function mintRebasingShares(
  chain: DevnetChainHandle,
  parameters: { from: Address; token: Address; to: Address; amount: bigint },
): Promise<TransactionReceipt> {
  const { from, token, to, amount } = parameters
  return write(chain, from, token, 'RebasingShares', 'mint', [to, amount])
}

/**
 * Rebases: sets the pooled amount (an oracle report). Every balance scales by
 * `newTotalPooled / totalPooled`; the only log is `TokenRebased`.
 *
 * @param chain The chain.
 * @param parameters Owner, token, the new pooled amount.
 * @returns The receipt.
 * @example
 * ```ts
 * await rebaseRebasingShares(chain, { from, token, totalPooled: (pooled * 104n) / 100n }) // +4%
 * ```
 */
export function rebaseRebasingShares(
  chain: DevnetChainHandle,
  parameters: { from: Address; token: Address; totalPooled: bigint },
): Promise<TransactionReceipt> {
  const { from, token, totalPooled } = parameters
  return write(chain, from, token, 'RebasingShares', 'rebase', [totalPooled])
}
