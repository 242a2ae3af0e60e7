import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi, parseAbi } from 'viem'
import type { BenchTargetChain } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'

const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])

/** What a live probe mints and how both sides read the figure it changes. */
export type LiveProbe = {
  /** Receiver of the 1-unit mint. */
  holder: Address
  token: Address
  /** The figure as the peer shows it now (`undefined` if it has none yet). */
  peerValue: () => Promise<bigint | undefined>
  /** The same figure computed from the chain's state at `latest`. */
  chainValue: () => Promise<bigint>
}

/**
 * Live latency, block mined to visible: `probes` times, reads the figure from the chain, has
 * `minter` mint 1 unit of `token` to `holder` (a real `Transfer` from zero; anvil automines, so
 * the send returns once the block is mined), then polls the peer every 5 ms until it shows the
 * figure plus one. The figure is read before sending because right after an automined send, `latest`
 * can still answer from the parent block.
 *
 * @param chain - where to mine.
 * @param minter - unlocked account allowed to mint the token.
 * @param probe - what to move and how to read it.
 * @param probes - number of probes. Default 5.
 * @returns each probe's latency in ms.
 * @example
 * const ms = await liveLatency(chain, target.minter, { holder, token, peerValue, chainValue: () => balanceOf(chain, token, holder) })
 */
export async function liveLatency(
  chain: BenchTargetChain,
  minter: Address,
  probe: LiveProbe,
  probes = 5,
): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < probes; i++) {
    const expected = (await probe.chainValue()) + 1n
    const data = encodeFunctionData({ abi: mintAbi, functionName: 'mint', args: [probe.holder, 1n] })
    await rpcBatch(chain.rpcUrl, [
      { method: 'eth_sendTransaction', params: [{ from: minter, to: probe.token, data }] },
    ])
    const mined = performance.now()
    const deadline = mined + 60_000
    while ((await probe.peerValue()) !== expected) {
      if (performance.now() > deadline) {
        throw new Error(`value ${expected} (${probe.holder} in ${probe.token}) not visible within 60 s`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    out.push(performance.now() - mined)
  }
  return out
}

/**
 * `balanceOf(holder)` of an ERC-20 at `latest`.
 *
 * @returns the balance.
 * @example
 * const balance = await balanceOf(chain, token, holder)
 */
export async function balanceOf(chain: BenchTargetChain, token: Address, holder: Address): Promise<bigint> {
  const [raw] = await rpcBatch(chain.rpcUrl, [
    {
      method: 'eth_call',
      params: [
        { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }) },
        'latest',
      ],
    },
  ])
  return decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data: raw as `0x${string}` })
}
