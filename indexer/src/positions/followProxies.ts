import { type Address, decodeFunctionResult, encodeFunctionData } from 'viem'
import type { ChainRpc } from '../rpc/createChainRpc.js'
import { RpcError } from '../rpc/RpcError.js'
import { positionAbi } from './readCheckpoints.js'

/**
 * The aggregator behind a Chainlink proxy at `block` (`aggregator()`), or undefined where the
 * address has no such function there (not deployed yet, or not a proxy: a plain aggregator).
 *
 * @param rpc The chain's RPC client.
 * @param proxy The proxy (`EACAggregatorProxy`).
 * @param block The block.
 * @returns The aggregator address (lower-case), or undefined.
 * @example
 * ```ts
 * const aggregator = await aggregatorAt(rpc, ethUsdProxy, 19_000_000)
 * ```
 */
export async function aggregatorAt(
  rpc: ChainRpc,
  proxy: Address,
  block: number | 'latest',
): Promise<Address | undefined> {
  const at = block === 'latest' ? (await rpc.getBlock('latest')).number : block
  try {
    const data = await rpc.call(
      proxy,
      encodeFunctionData({ abi: positionAbi, functionName: 'aggregator' }),
      at,
    )
    if (data === '0x' || data.length !== 66) return undefined
    // The high 12 bytes of an address word are zero; a word that is no address is no answer.
    if (!/^0x0{24}/.test(data)) return undefined
    const aggregator = (
      decodeFunctionResult({ abi: positionAbi, functionName: 'aggregator', data }) as Address
    ).toLowerCase() as Address
    // The zero address is no aggregator (a contract answering every call with a zero word).
    return /^0x0{40}$/.test(aggregator) ? undefined : aggregator
  } catch (error) {
    // A revert means "no aggregator() here"; a node or transport failure is not an answer.
    if (error instanceof RpcError && error.kind !== 'fatal') throw error
    return undefined
  }
}

/**
 * Phase changes of a proxy in `[from, to]`: v0.6 `EACAggregatorProxy`s emit no event when
 * `confirmAggregator` switches the aggregator, so each change is found by bisection on
 * `aggregator()` reads (about log2(to - from) calls per change), starting from `known`, the
 * aggregator in force at `from - 1`.
 *
 * @param rpc The chain's RPC client.
 * @param proxy The proxy.
 * @param known The aggregator at `from - 1` (undefined: none yet).
 * @param from First block of the range.
 * @param to Last block, where `aggregator()` was read as `atTo`.
 * @param atTo The aggregator at `to`.
 * @returns Each change: the first block of the new aggregator, in order.
 * @example
 * ```ts
 * const changes = await findAggregatorChanges(rpc, proxy, oldAggregator, 100, 200, newAggregator)
 * ```
 */
export async function findAggregatorChanges(
  rpc: ChainRpc,
  proxy: Address,
  known: Address | undefined,
  from: number,
  to: number,
  atTo: Address | undefined,
): Promise<{ block: number; aggregator: Address | undefined }[]> {
  const changes: { block: number; aggregator: Address | undefined }[] = []
  let current = known
  let lo = from
  while (current !== atTo && lo <= to) {
    // The first block in [lo, to] whose aggregator differs from `current`.
    let hi = to
    let first = to
    let firstValue = atTo
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2)
      const value = await aggregatorAt(rpc, proxy, mid)
      if (value !== current) {
        first = mid
        firstValue = value
        hi = mid - 1
      } else lo = mid + 1
    }
    changes.push({ block: first, aggregator: firstValue })
    current = firstValue
    lo = first + 1
  }
  return changes
}
