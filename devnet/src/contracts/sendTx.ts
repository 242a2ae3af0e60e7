import {
  type Abi,
  type Address,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  type Hex,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { DevnetError } from '../errors/DevnetError.js'
import { type Artifact, type ArtifactName, loadArtifact } from './loadArtifact.js'

/** A transaction from one of anvil's unlocked dev accounts. */
export type DevnetTx = {
  from: Address
  to?: Address | undefined
  data: Hex
  value?: bigint | undefined
  /** Gas limit; default 8M (enough for any deployment here). */
  gas?: bigint | undefined
}

// Generous fixed gas: estimating would double the RPC round trips, and anvil does not charge for
// unused gas beyond the receipt (block gas limit is 30M).
const gas = 8_000_000n

/**
 * Sends a transaction through anvil's unlocked account and returns its receipt (anvil automines, so
 * the receipt normally exists when `eth_sendTransaction` returns). A revert throws a DevnetError.
 *
 * @param chain The chain.
 * @param tx Sender, target and calldata.
 * @returns The mined receipt.
 * @example
 * ```ts
 * const receipt = await sendTx(alpha, { from: deployer, to: registry, data })
 * ```
 */
export async function sendTx(chain: DevnetChainHandle, tx: DevnetTx): Promise<TransactionReceipt> {
  const hash = await chain.wallet.request({
    method: 'eth_sendTransaction',
    params: [
      {
        from: tx.from,
        ...(tx.to ? { to: tx.to } : {}),
        data: tx.data,
        gas: `0x${(tx.gas ?? gas).toString(16)}`,
        ...(tx.value ? { value: `0x${tx.value.toString(16)}` } : {}),
      },
    ],
  })
  const receipt = await receiptOf(chain, hash)
  if (receipt.status !== 'success') {
    // Replay as a call to get the revert reason into the error.
    let reason = 'reverted'
    try {
      await chain.public.call({
        account: tx.from,
        ...(tx.to ? { to: tx.to } : {}),
        data: tx.data,
        ...(tx.value ? { value: tx.value } : {}),
        blockNumber: receipt.blockNumber - 1n,
      })
    } catch (e) {
      reason = e instanceof Error ? (e.message.split('\n')[0] ?? reason) : reason
    }
    throw new DevnetError('Devnet transaction reverted.', {
      details: `${chain.name} tx ${hash} to ${tx.to ?? '(deploy)'}: ${reason}`,
    })
  }
  return receipt
}

/** Polls for a receipt: anvil usually mines before answering, but under load the block can lag. */
async function receiptOf(chain: DevnetChainHandle, hash: Hex): Promise<TransactionReceipt> {
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      return await chain.public.getTransactionReceipt({ hash })
    } catch (e) {
      if (!(e instanceof TransactionReceiptNotFoundError) || Date.now() > deadline) throw e
      await new Promise((r) => setTimeout(r, 5))
    }
  }
}

/**
 * Calls a contract function in a transaction.
 *
 * @param chain The chain.
 * @param from Sender (an unlocked dev account).
 * @param to Contract.
 * @param artifact Contract name (for the ABI).
 * @param functionName Function.
 * @param args Arguments.
 * @param value Wei sent along.
 * @returns The receipt.
 * @example
 * ```ts
 * await write(alpha, deployer, feed, 'DevnetPriceFeed', 'updateAnswer', [300_000_000_000n])
 * ```
 */
export function write(
  chain: DevnetChainHandle,
  from: Address,
  to: Address,
  artifact: ArtifactName | Abi,
  functionName: string,
  args: readonly unknown[],
  value?: bigint,
): Promise<TransactionReceipt> {
  const abi = typeof artifact === 'string' ? loadArtifact(artifact).abi : artifact
  return sendTx(chain, { from, to, data: encodeFunctionData({ abi, functionName, args }), value })
}

/**
 * Deploys a committed artifact, or any artifact given as ABI and creation code (e.g. bytecode an
 * npm package ships, see `loadPackageArtifact`).
 *
 * @param chain The chain.
 * @param from Deployer.
 * @param name Contract name, or the artifact itself.
 * @param args Constructor arguments.
 * @returns The new contract's address and the block it was deployed in.
 * @example
 * ```ts
 * const { address } = await deploy(alpha, deployer, 'DevnetPriceFeed', [8, 'ETH / USD', deployer])
 * ```
 */
export async function deploy(
  chain: DevnetChainHandle,
  from: Address,
  name: ArtifactName | Artifact,
  args: readonly unknown[],
): Promise<{ address: Address; blockNumber: number }> {
  const { abi, bytecode, contractName } = typeof name === 'string' ? loadArtifact(name) : name
  const receipt = await sendTx(chain, { from, data: encodeDeployData({ abi, bytecode, args }) })
  if (!receipt.contractAddress) {
    throw new DevnetError('Deployment created no contract.', {
      details: `${contractName} on ${chain.name}`,
    })
  }
  return { address: getAddress(receipt.contractAddress), blockNumber: Number(receipt.blockNumber) }
}

/**
 * Reads a contract view.
 *
 * @param chain The chain.
 * @param to Contract.
 * @param artifact Contract name or ABI.
 * @param functionName View.
 * @param args Arguments.
 * @returns The decoded result.
 * @example
 * ```ts
 * const supply = await read<bigint>(beta, token, erc20Abi, 'totalSupply')
 * ```
 */
export function read<T>(
  chain: DevnetChainHandle,
  to: Address,
  artifact: ArtifactName | Abi,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<T> {
  const abi = typeof artifact === 'string' ? loadArtifact(artifact).abi : artifact
  return chain.public.readContract({ address: to, abi, functionName, args }) as Promise<T>
}
