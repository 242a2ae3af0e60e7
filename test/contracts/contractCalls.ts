import { type ContractName, contractArtifact } from '@ballast/contracts'
import { type DevnetChainHandle, sendTx } from '@ballast/devnet'
import {
  type Abi,
  type Address,
  BaseError,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  type TransactionReceipt,
} from 'viem'

/** Every contract's ABI in one, so that a revert bubbling out of a timelock decodes too. */
const allErrors: Abi = (
  ['BallastTimelock', 'ReservePoolRegistry', 'ReserveAttestation', 'GatedMinter'] as const
).flatMap((n) => contractArtifact(n).abi.filter((i) => i.type === 'error'))

/** Calldata of a function of one of Ballast's contracts. */
export function calldata(contract: ContractName, functionName: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi: contractArtifact(contract).abi, functionName, args })
}

/** A decoded revert: the custom error's name and arguments. */
export type Revert = { errorName: string; args: readonly unknown[] }

/** The revert data somewhere in viem's cause chain, if any. */
function revertData(e: unknown): Hex | undefined {
  let cur: unknown = e
  while (cur instanceof Error) {
    const data = (cur as { data?: unknown }).data
    if (typeof data === 'string' && data.startsWith('0x')) return data as Hex
    if (typeof data === 'object' && data !== null && typeof (data as { data?: unknown }).data === 'string')
      return (data as { data: Hex }).data
    cur = cur instanceof BaseError ? cur.cause : (cur as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Runs a call with `eth_call` (from any address, even a contract's, which is how a timelock's
 * execution is simulated) and returns its decoded custom error, or `undefined` when it succeeds.
 */
export async function revertOf(
  chain: DevnetChainHandle,
  tx: { from: Address; to?: Address | undefined; data: Hex },
  blockTag: 'latest' | 'pending' = 'latest',
): Promise<Revert | undefined> {
  try {
    await chain.public.call({ account: tx.from, to: tx.to, data: tx.data, blockTag })
    return undefined
  } catch (e) {
    const data = revertData(e)
    if (data === undefined || data === '0x') return { errorName: '(no data)', args: [] }
    const decoded = decodeErrorResult({ abi: allErrors, data })
    return { errorName: decoded.errorName, args: decoded.args ?? [] }
  }
}

/**
 * Sends a transaction from an unlocked account, after checking with `eth_call` on the pending block
 * (where it will run) that it succeeds, so that a failure names its custom error.
 */
export async function send(
  chain: DevnetChainHandle,
  tx: { from: Address; to?: Address | undefined; data: Hex },
): Promise<TransactionReceipt> {
  const revert = await revertOf(chain, tx, 'pending')
  if (revert) throw new Error(`${revert.errorName}(${revert.args.join(', ')})`)
  return sendTx(chain, { ...tx, gas: 15_000_000n })
}
