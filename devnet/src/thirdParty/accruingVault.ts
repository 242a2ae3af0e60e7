import { type Address, erc20Abi, maxUint256, type TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'

/** Seconds in the 365-day year the vault's rate is quoted over. */
export const secondsPerYear = 31_536_000n

/**
 * Per-second growth of the vault's accumulator (`ratePerSecond`, ray) for a simple annual rate:
 * `bps * 10^27 / 10_000 / 31_536_000`, rounded down. 500 bps: `chi` is 1.05 after a year.
 *
 * @param bps Annual rate in basis points.
 * @returns `ratePerSecond` for {@link deployAccruingVault}.
 * @example
 * ```ts
 * accruingVaultRatePerSecond(500) // 1585489599188229325n
 * ```
 */
export function accruingVaultRatePerSecond(bps: number): bigint {
  return (BigInt(bps) * 10n ** 27n) / 10_000n / secondsPerYear
}

/**
 * Deploys `AccruingVault` (devnet/contracts, OpenZeppelin 5.4.0 `ERC4626`): an sDAI/sUSDS-shaped
 * vault whose assets sit at `pot` and whose `totalAssets` grows every second at `ratePerSecond`,
 * with no event. The pot then approves the vault without limit so withdrawals can be paid, which
 * is why it must be one of anvil's unlocked accounts.
 *
 * @param chain The chain.
 * @param parameters Deployer, the underlying, the pot, the rate, optional decimals offset and names.
 * @returns The vault's address.
 * @example
 * ```ts
 * const vault = await deployAccruingVault(chain, { from, asset: usdc, pot, ratePerSecond: accruingVaultRatePerSecond(500) })
 * ```
 */
export async function deployAccruingVault(
  chain: DevnetChainHandle,
  parameters: {
    from: Address
    asset: Address
    pot: Address
    ratePerSecond: bigint
    decimalsOffset?: number
    name?: string
    symbol?: string
  },
): Promise<Address> {
  const { from, asset, pot, ratePerSecond, decimalsOffset = 0 } = parameters
  if (!Number.isInteger(decimalsOffset) || decimalsOffset < 0 || decimalsOffset > 18) {
    throw new DevnetError('Invalid decimals offset.', {
      details: `decimalsOffset = ${decimalsOffset}; expected an integer from 0 to 18.`,
    })
  }
  const { address } = await deploy(chain, from, 'AccruingVault', [
    asset,
    pot,
    ratePerSecond,
    decimalsOffset,
    parameters.name ?? 'Savings Devnet USD',
    parameters.symbol ?? 'sDUSD',
  ])
  await write(chain, pot, asset, erc20Abi, 'approve', [address, maxUint256])
  return address
}

/**
 * Deposits into an ERC-4626 vault: `approve(vault, assets)` then `deposit(assets, receiver)`.
 *
 * @param chain The chain.
 * @param parameters Depositor (holds the assets), vault, its asset, amount, receiver (default depositor).
 * @returns The `deposit` receipt.
 */
export async function depositErc4626(
  chain: DevnetChainHandle,
  parameters: { from: Address; vault: Address; asset: Address; assets: bigint; receiver?: Address },
): Promise<TransactionReceipt> {
  const { from, vault, asset, assets } = parameters
  await write(chain, from, asset, erc20Abi, 'approve', [vault, assets])
  return write(chain, from, vault, 'AccruingVault', 'deposit', [assets, parameters.receiver ?? from])
}
