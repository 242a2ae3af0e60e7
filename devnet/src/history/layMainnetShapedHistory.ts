import { type Address, encodeFunctionData, keccak256, numberToHex } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { deploy, sendTx, write } from '../contracts/sendTx.js'

export type LayMainnetShapedHistoryParameters = {
  /** A running chain (e.g. from `startChains`). */
  chain: DevnetChainHandle
  /** Transfers of the reserve token to lay down (rounded up to whole transactions). */
  transfers: number
  /** Addresses the transfers go around. Default 50_000. */
  population?: number | undefined
  /** Tracked holders (treasuries). Default 5. */
  tracked?: number | undefined
  /** Transfers per transaction. Default 500 (new receivers cost ~35k gas each). */
  transfersPerTx?: number | undefined
}

export type MainnetShapedHistory = {
  /** The reserve token (6 decimals) every transfer moves. */
  reserve: Address
  /** A liability token minted to the tracked holders. */
  liability: Address
  /** A USD feed with a few answers. */
  feed: Address
  /** The tracked holders. */
  tracked: Address[]
  /** Block of the first contract deployment. */
  deployBlock: number
  /** Block after which every tracked holder has received its first transfer (a mint). */
  fundedBlock: number
  /** Reserve transfers laid down by the storm. */
  transfers: number
}

/**
 * Lays down a mainnet-shaped history on one chain: one reserve token with `transfers` Transfers
 * among `population` addresses, where a few tracked holders take part in about 0.1% of them at
 * most (like treasuries on a busy stablecoin), plus liability mints to them and feed answers. A
 * `HistoryStorm` moves 1 unit around a ring per transaction (the deployer, then consecutive
 * population addresses; every 20th ring passes through one tracked holder), so only the deployer
 * needs a balance and every transfer is a real ERC-20 `Transfer`.
 *
 * @param parameters The chain and the history's size.
 * @returns The contracts, tracked holders and key blocks.
 * @example
 * ```ts
 * const { chains } = await startChains({ count: 1 })
 * const history = await layMainnetShapedHistory({ chain: chains[0], transfers: 1_000_000 })
 * ```
 */
export async function layMainnetShapedHistory(
  parameters: LayMainnetShapedHistoryParameters,
): Promise<MainnetShapedHistory> {
  const { chain } = parameters
  const population = parameters.population ?? 50_000
  const perTx = parameters.transfersPerTx ?? 500
  const trackedCount = parameters.tracked ?? 5
  const [deployer] = await chain.wallet.getAddresses()
  const from = deployer as Address
  const token = await deploy(chain, from, 'DevnetToken', ['Reserve USD', 'rUSD', 6, from])
  const reserve = token.address
  const liability = (await deploy(chain, from, 'DevnetToken', ['Member USD', 'mUSD', 18, from])).address
  const feed = (await deploy(chain, from, 'DevnetPriceFeed', [8, 'rUSD / USD', from])).address
  const storm = (await deploy(chain, from, 'HistoryStorm', [from])).address
  const member = (i: number): Address => `0x${keccak256(numberToHex(i, { size: 32 })).slice(-40)}` as Address
  const tracked = Array.from({ length: trackedCount }, (_, i) => member(population + i))
  await write(chain, from, reserve, 'DevnetToken', 'mint', [from, 10n ** 15n])
  for (const [i, holder] of tracked.entries()) {
    await write(chain, from, reserve, 'DevnetToken', 'mint', [holder, 1_000_000n * BigInt(i + 1)])
    await write(chain, from, liability, 'DevnetToken', 'mint', [holder, 10n ** 18n * BigInt(i + 1)])
  }
  await write(chain, from, feed, 'DevnetPriceFeed', 'updateAnswer', [100_000_000n])
  const fundedBlock = Number(await chain.public.getBlockNumber())
  await write(chain, from, reserve, 'DevnetToken', 'setOperator', [storm])
  const stormAbi = loadArtifact('HistoryStorm').abi
  let done = 0
  for (let tx = 0; done < parameters.transfers; tx++) {
    const ring: Address[] = [from]
    for (let k = 1; k < perTx; k++) ring.push(member((tx * (perTx - 1) + k) % population))
    if (tx % 20 === 0) ring[Math.floor(perTx / 2)] = tracked[(tx / 20) % tracked.length] as Address
    await sendTx(chain, {
      from,
      to: storm,
      data: encodeFunctionData({
        abi: stormAbi,
        functionName: 'storm',
        args: [reserve, ring, 0n, BigInt(ring.length), 1n],
      }),
      gas: 29_000_000n,
    })
    done += ring.length
    // A few more liability mints and feed answers along the way.
    if (tx % 50 === 25) {
      await write(chain, from, liability, 'DevnetToken', 'mint', [tracked[0] as Address, 10n ** 18n])
      await write(chain, from, feed, 'DevnetPriceFeed', 'updateAnswer', [100_000_000n + BigInt(tx)])
    }
  }
  await write(chain, from, reserve, 'DevnetToken', 'setOperator', [
    '0x0000000000000000000000000000000000000000',
  ])
  return { reserve, liability, feed, tracked, deployBlock: token.blockNumber, fundedBlock, transfers: done }
}
