import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, multicall3Abi } from 'viem'
import type { ChainRpc } from './createChainRpc.js'

/** Calls per `aggregate3`: small enough for any node's `eth_call` gas cap. */
const CALLS_PER_MULTICALL = 300

/** One call of a batch read. */
export type MulticallCall = { target: Address; callData: Hex }

/** Its outcome: the return data, or `success: false` when it reverted. */
export type MulticallResult = { success: boolean; returnData: Hex }

/**
 * Runs calls against the state at `block` through Multicall3's `aggregate3` (every call may fail
 * alone), {@link CALLS_PER_MULTICALL} per `eth_call`. Where Multicall3 has no code at that block
 * (an early block, a chain without it), one `eth_call` per call, sent together (a JSON-RPC batch);
 * then a revert is a failed result too. Errors of the node itself (no state, transport) throw.
 *
 * @param rpc The chain's RPC client.
 * @param multicall3 Multicall3's address on the chain.
 * @param calls What to call.
 * @param block The block whose state is read.
 * @returns One result per call, in order.
 * @example
 * ```ts
 * const [r] = await multicallAt(rpc, chain.multicall3, [{ target: usdc, callData }], 19_000_000)
 * ```
 */
export async function multicallAt(
  rpc: ChainRpc,
  multicall3: Address,
  calls: readonly MulticallCall[],
  block: number,
): Promise<MulticallResult[]> {
  const out: MulticallResult[] = []
  for (let i = 0; i < calls.length; i += CALLS_PER_MULTICALL) {
    const batch = calls.slice(i, i + CALLS_PER_MULTICALL).map((c) => ({ ...c, allowFailure: true }))
    const data = await rpc.call(
      multicall3,
      encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [batch] }),
      block,
    )
    if (data === '0x') {
      const results = await Promise.all(
        batch.map((c) =>
          rpc.call(c.target, c.callData, block).then(
            (returnData) => ({ success: true, returnData }),
            (error: unknown) => {
              if (isRevert(error)) return { success: false, returnData: '0x' as Hex }
              throw error
            },
          ),
        ),
      )
      out.push(...results)
      continue
    }
    out.push(...decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data }))
  }
  return out
}

/** A call that reverted (as opposed to a node or transport failure). */
function isRevert(error: unknown): boolean {
  const text = String((error as { details?: unknown })?.details ?? (error as Error)?.message ?? error)
  return /revert|execution reverted|invalid opcode/i.test(text)
}
