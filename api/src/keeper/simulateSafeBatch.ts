import {
  type Address,
  type Client,
  concatHex,
  decodeAbiParameters,
  encodeFunctionData,
  encodePacked,
  type Hex,
  parseAbi,
  size,
} from 'viem'
import { call } from 'viem/actions'

const safeAbi = parseAbi(['function simulateAndRevert(address targetContract, bytes calldataPayload)'])
const accessorAbi = parseAbi([
  'function simulate(address to, uint256 value, bytes data, uint8 operation) returns (uint256 estimate, bool success, bytes returnData)',
])
const multiSendAbi = parseAbi(['function multiSend(bytes transactions) payable'])

/** The Safe library contracts a batch goes through (Safe 1.4.1 names). */
export type SafeLibraries = {
  /** `MultiSendCallOnly`: runs a batch's calls in order, reverting all if one fails. */
  multiSendCallOnly: Address
  /** `SimulateTxAccessor`: runs a call in the Safe's context and reports the outcome. */
  simulateTxAccessor: Address
}

/** A call a Safe makes. */
export type SafeCall = { to: Address; value: bigint; data: Hex }

/**
 * The one Safe transaction that runs a batch: the call itself for one call (operation 0), else a
 * DELEGATECALL (operation 1) of `MultiSendCallOnly.multiSend(packed)` with each call packed as
 * `uint8 operation (0) | address to | uint256 value | uint256 dataLength | bytes data`
 * (Safe's MultiSend encoding), which is what the Transaction Builder submits.
 *
 * @param calls - The calls, in order.
 * @param libraries - Where MultiSendCallOnly is.
 * @returns the Safe transaction's to, value, data and operation
 */
export function safeTransactionOf(
  calls: readonly SafeCall[],
  libraries: Pick<SafeLibraries, 'multiSendCallOnly'>,
) {
  if (calls.length === 1) return { ...calls[0]!, operation: 0 as const }
  const packed = concatHex(
    calls.map((c) =>
      encodePacked(
        ['uint8', 'address', 'uint256', 'uint256', 'bytes'],
        [0, c.to, c.value, BigInt(size(c.data)), c.data],
      ),
    ),
  )
  return {
    to: libraries.multiSendCallOnly,
    value: 0n,
    data: encodeFunctionData({ abi: multiSendAbi, functionName: 'multiSend', args: [packed] }),
    operation: 1 as const,
  }
}

/** Outcome of a simulated batch. */
export type SafeSimulation =
  | { success: true; gasEstimate: bigint }
  | { success: false; revertData: Hex; reason: string }

/**
 * Dry-runs a batch as the Safe at the chain's head, with no signatures: `eth_call` of
 * `Safe.simulateAndRevert(SimulateTxAccessor, simulate(to, value, data, operation))`. The Safe
 * delegatecalls the accessor, which runs the batch in the Safe's own context (its balances and
 * allowances, calls in order) and the Safe then reverts with `(bool, uint256 length, bytes
 * (estimate, success, returnData))`, so nothing is written. A failing call makes the whole batch
 * fail, with its revert data.
 *
 * @param client - Client of the Safe's chain.
 * @param safe - The Safe.
 * @param calls - The batch.
 * @param libraries - MultiSendCallOnly and SimulateTxAccessor on that chain.
 * @returns success with the gas estimate, or the revert data
 */
export async function simulateSafeBatch(
  client: Client,
  safe: Address,
  calls: readonly SafeCall[],
  libraries: SafeLibraries,
): Promise<SafeSimulation> {
  const tx = safeTransactionOf(calls, libraries)
  const payload = encodeFunctionData({
    abi: accessorAbi,
    functionName: 'simulate',
    args: [tx.to, tx.value, tx.data, tx.operation],
  })
  const data = encodeFunctionData({
    abi: safeAbi,
    functionName: 'simulateAndRevert',
    args: [libraries.simulateTxAccessor, payload],
  })
  let revert: Hex | undefined
  try {
    await call(client, { to: safe, data })
  } catch (error) {
    revert = revertDataOf(error)
  }
  if (revert === undefined || size(revert) < 64) {
    throw new Error(`Safe ${safe} did not answer the simulation (is it a Safe 1.3+ with simulateAndRevert?).`)
  }
  const [delegateOk, length] = decodeAbiParameters([{ type: 'bool' }, { type: 'uint256' }], revert)
  const body = `0x${revert.slice(2 + 128, 2 + 128 + Number(length) * 2)}` as Hex
  if (!delegateOk) return { success: false, revertData: body, reason: 'the simulation accessor reverted' }
  const [estimate, success, returnData] = decodeAbiParameters(
    [{ type: 'uint256' }, { type: 'bool' }, { type: 'bytes' }],
    body,
  )
  if (success) return { success: true, gasEstimate: estimate }
  return { success: false, revertData: returnData, reason: describeRevert(returnData) }
}

/** The raw revert data in a viem error chain. */
function revertDataOf(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.data === 'string' && e.data.startsWith('0x')) return e.data as Hex
    if (
      typeof e.data === 'object' &&
      e.data !== null &&
      typeof (e.data as { data?: unknown }).data === 'string'
    ) {
      return (e.data as { data: Hex }).data
    }
  }
  return undefined
}

/** `Error(string)` reverts as their text, anything else as its selector. */
function describeRevert(data: Hex): string {
  if (data.startsWith('0x08c379a0')) {
    const [text] = decodeAbiParameters([{ type: 'string' }], `0x${data.slice(10)}`)
    return `reverted: ${text}`
  }
  return size(data) === 0 ? 'reverted without data' : `reverted with ${data.slice(0, 10)}`
}
