import { layMainnetShapedHistory, startChains } from '@ballast/devnet'
import { keccak256, toHex } from 'viem'
import type { BenchTarget } from '../BenchTarget.js'
import { fetchLogsFloor } from '../floor/fetchLogsFloor.js'

/**
 * The mainnet-shaped history as a bench target: one chain, the devnet's
 * `layMainnetShapedHistory` (one reserve token with `transfers` Transfers among 50k addresses, 5
 * tracked holders in about 0.1% of them, liability mints, feed answers). The target is `scoped`:
 * its events are the relevant logs only (counted with the topic-filtered floor, not timed).
 *
 * @param options - transfers to lay down.
 * @returns the target, its relevant log count and a `stop` for the chain.
 * @example
 * const history = await mainnetShapedHistory({ transfers: 1_000_000 })
 * try { ... } finally { await history.stop() }
 */
export async function mainnetShapedHistory(options: { transfers: number }): Promise<{
  target: BenchTarget
  events: number
  transfers: number
  stop: () => Promise<void>
}> {
  const running = await startChains({ count: 1 })
  try {
    const chain = running.chains[0] as (typeof running.chains)[number]
    const history = await layMainnetShapedHistory({ chain, transfers: options.transfers })
    const [minter] = await chain.wallet.getAddresses()
    const target: BenchTarget = {
      poolId: keccak256(toHex('mainnet-shaped-pool')),
      members: [{ name: 'mUSD', holders: { [chain.chainId]: history.tracked } }],
      minter: minter as `0x${string}`,
      chains: [
        {
          name: chain.name,
          chainId: chain.chainId,
          rpcUrl: chain.rpcUrl,
          startBlock: history.deployBlock,
          endBlock: Number(await chain.public.getBlockNumber()),
          tokens: [
            { address: history.reserve, symbol: 'rUSD', decimals: 6, kind: 'reserve', feed: history.feed },
            { address: history.liability, symbol: 'mUSD', decimals: 18, kind: 'liability' },
          ],
          holders: history.tracked,
          registries: [],
          feeds: [history.feed],
          ofts: [],
          vaults: [],
          scoped: true,
        },
      ],
    }
    const counts = await fetchLogsFloor(target)
    const events = Object.values(counts).reduce((a, b) => a + b, 0)
    return { target, events, transfers: history.transfers, stop: running.stop }
  } catch (error) {
    await running.stop()
    throw error
  }
}
