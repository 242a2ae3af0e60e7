import { type Address, decodeFunctionResult, encodeFunctionData } from 'viem'
import type { ChainRpc } from '../rpc/createChainRpc.js'
import { RpcError } from '../rpc/RpcError.js'
import { registryGovernanceAbi } from './governanceAbi.js'

const GETTERS = ['poolAdminTimelock', 'membershipTimelock', 'riskTimelock'] as const

/**
 * The role timelocks of each registry, read from the registry itself: they are immutables fixed at
 * its construction, so the chain is the one source that cannot disagree (a config copy could), and
 * one read per registry at start is enough. A registry without the getters (a call that reverts:
 * not the production contract) has none, and its changes simply show no pending state.
 *
 * @param rpc The chain's client.
 * @param registries The tracked registries.
 * @param block A block at which every registry exists (the head).
 * @returns timelock -> registry (one timelock may hold several roles).
 * @example
 * ```ts
 * const timelocks = await readRegistryTimelocks(rpc, tracked.registries, head)
 * ```
 */
export async function readRegistryTimelocks(
  rpc: ChainRpc,
  registries: Iterable<Address>,
  block: number,
): Promise<Map<Address, Address>> {
  const out = new Map<Address, Address>()
  for (const registry of registries) {
    for (const functionName of GETTERS) {
      let data: `0x${string}`
      try {
        data = await rpc.call(
          registry,
          encodeFunctionData({ abi: registryGovernanceAbi, functionName }),
          block,
        )
      } catch (error) {
        if (error instanceof RpcError && error.kind !== 'fatal') throw error
        break
      }
      if (data === '0x') break
      const timelock = decodeFunctionResult({ abi: registryGovernanceAbi, functionName, data })
      out.set(timelock.toLowerCase() as Address, registry)
    }
  }
  return out
}
