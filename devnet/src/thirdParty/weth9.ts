import type { Address, TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, write } from '../contracts/sendTx.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'

/**
 * Deploys WETH9 (the canonical wrapped ether, as `@uniswap/v2-periphery@1.1.0-beta.0` ships it).
 * Wrapping emits `Deposit(dst, wad)` and unwrapping `Withdrawal(src, wad)`: neither is a `Transfer`.
 *
 * @param chain The chain.
 * @param from Deployer.
 * @returns Its address.
 * @example
 * ```ts
 * const weth = await deployWeth9(chain, deployer)
 * ```
 */
export async function deployWeth9(chain: DevnetChainHandle, from: Address): Promise<Address> {
  return (await deploy(chain, from, loadPackageArtifact('WETH9'), [])).address
}

/**
 * Wraps ether: `deposit()` with `amount` wei.
 *
 * @param chain The chain.
 * @param parameters Who wraps, at which WETH9, how much.
 * @returns The receipt (a `Deposit` log).
 */
export function wrapWeth9(
  chain: DevnetChainHandle,
  parameters: { from: Address; weth: Address; amount: bigint },
): Promise<TransactionReceipt> {
  const { from, weth, amount } = parameters
  return write(chain, from, weth, loadPackageArtifact('WETH9').abi, 'deposit', [], amount)
}

/**
 * Unwraps: `withdraw(amount)`.
 *
 * @param chain The chain.
 * @param parameters Who unwraps, at which WETH9, how much.
 * @returns The receipt (a `Withdrawal` log).
 */
export function unwrapWeth9(
  chain: DevnetChainHandle,
  parameters: { from: Address; weth: Address; amount: bigint },
): Promise<TransactionReceipt> {
  const { from, weth, amount } = parameters
  return write(chain, from, weth, loadPackageArtifact('WETH9').abi, 'withdraw', [amount])
}
