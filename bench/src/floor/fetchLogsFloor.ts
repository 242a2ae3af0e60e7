import { createPublicClient, http, numberToHex } from 'viem'
import type { BenchTarget } from '../BenchTarget.js'
import { benchLogFilter, scopedLogFilters } from './benchEvents.js'

/** Options of {@link fetchLogsFloor}. */
export type FloorOptions = {
  /** Blocks per `eth_getLogs` request. Default 25 (5,000 logs at the default history density). */
  blocksPerRequest?: number
  /** Requests in flight per chain. Default 1 (more is slower on anvil, whose log queries serialize). */
  concurrency?: number
}

/**
 * The raw RPC floor: fetches every indexed log of the target with plain `eth_getLogs` requests
 * through viem's HTTP transport (JSON parsed, nothing decoded, nothing stored). All chains run in
 * parallel; within a chain, fixed block ranges with `concurrency` requests in flight. No indexer
 * can fetch the same logs faster through the same RPC, so its events/s bound everyone's.
 *
 * @param target - chains and contracts to fetch.
 * @param options - request shape.
 * @returns the number of logs per chain id.
 * @example
 * const counts = await fetchLogsFloor(target)
 */
export async function fetchLogsFloor(
  target: BenchTarget,
  options: FloorOptions = {},
): Promise<Record<number, number>> {
  const blocksPerRequest = options.blocksPerRequest ?? 25
  const concurrency = options.concurrency ?? 1
  const counts: Record<number, number> = {}
  await Promise.all(
    target.chains.map(async (chain) => {
      const client = createPublicClient({ transport: http(chain.rpcUrl, { timeout: 60_000 }), cacheTime: 0 })
      // A scoped chain: only the holders' logs, with topic filters, in one range per filter.
      const filters = chain.scoped ? scopedLogFilters(chain) : [benchLogFilter(chain)]
      const span = chain.scoped ? chain.endBlock - chain.startBlock + 1 : blocksPerRequest
      let count = 0
      for (const { address, topics } of filters) {
        let next = chain.startBlock
        const worker = async () => {
          while (next <= chain.endBlock) {
            const from = next
            const to = Math.min(chain.endBlock, from + span - 1)
            next = to + 1
            const logs = await client.request({
              method: 'eth_getLogs',
              params: [{ address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
            })
            count += logs.length
          }
        }
        await Promise.all(Array.from({ length: concurrency }, worker))
      }
      counts[chain.chainId] = count
    }),
  )
  return counts
}
