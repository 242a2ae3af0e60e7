import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi } from 'viem'
import type { BenchTargetChain } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { benchSender } from '../history/layDownHistory.js'

/**
 * Live latency, block mined to visible: `probes` times, transfers 1 unit of the chain's first
 * reserve token from the bench sender to a tracked holder (anvil automines it: the send returns
 * once the block is mined), expecting the holder's balance read just before plus 1, then polls
 * `visible(holder, token, expected)` every 5 ms until the peer shows it.
 *
 * @param chain - where to mine.
 * @param visible - whether the peer's API (or database) shows the balance yet.
 * @param probes - number of probes. Default 5.
 * @returns each probe's latency in ms.
 * @example
 * const ms = await liveLatency(target.chains[0], async (h, t, v) => (await balanceOf(h, t)) === v)
 */
export async function liveLatency(
  chain: BenchTargetChain,
  visible: (holder: Address, token: Address, expected: bigint) => Promise<boolean>,
  probes = 5,
): Promise<number[]> {
  const token = chain.tokens.find((t) => t.kind === 'reserve')
  const holder = chain.holders[1] ?? chain.holders[0]
  if (!token || !holder) throw new Error('live latency needs a reserve token and a tracked holder')
  const out: number[] = []
  const balanceOf = async () => {
    const [raw] = await rpcBatch(chain.rpcUrl, [
      {
        method: 'eth_call',
        params: [
          {
            to: token.address,
            data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }),
          },
          'latest',
        ],
      },
    ])
    return decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data: raw as `0x${string}` })
  }
  for (let i = 0; i < probes; i++) {
    // Read before sending: right after an automined send, 'latest' may still be the parent block.
    const expected = (await balanceOf()) + 1n
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [holder, 1n] })
    await rpcBatch(chain.rpcUrl, [
      { method: 'eth_sendTransaction', params: [{ from: benchSender, to: token.address, data }] },
    ])
    const mined = performance.now()
    const deadline = mined + 60_000
    while (!(await visible(holder, token.address, expected))) {
      if (performance.now() > deadline)
        throw new Error(`balance ${expected} of ${holder} not visible within 60 s`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    out.push(performance.now() - mined)
  }
  return out
}
