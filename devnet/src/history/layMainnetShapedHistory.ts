import { type Address, encodeFunctionData, type Hex, keccak256, numberToHex } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { deploy, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'

/** Storm transactions per block while the history is laid. */
const TX_PER_BLOCK = 10

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
 * needs a balance and every transfer is a real ERC-20 `Transfer`; ten storms per block.
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
  // Many storms per block: automine off, a high block gas limit, each block's transactions sent
  // at once and their receipts checked after it is mined (a revert must not pass unseen).
  await chain.test.setAutomine(false)
  await chain.test.setBlockGasLimit({ gasLimit: 1_000_000_000n })
  let done = 0
  let tx = 0
  while (done < parameters.transfers) {
    const hashes: Hex[] = []
    for (let k = 0; k < TX_PER_BLOCK && done < parameters.transfers; k++, tx++) {
      const ring: Address[] = [from]
      for (let j = 1; j < perTx; j++) ring.push(member((tx * (perTx - 1) + j) % population))
      if (tx % 20 === 0) ring[Math.floor(perTx / 2)] = tracked[(tx / 20) % tracked.length] as Address
      const data = encodeFunctionData({
        abi: stormAbi,
        functionName: 'storm',
        args: [reserve, ring, 0n, BigInt(ring.length), 1n],
      })
      hashes.push(
        await chain.wallet.sendTransaction({
          account: from,
          chain: chain.chain,
          to: storm,
          data,
          gas: 29_000_000n,
        }),
      )
      done += ring.length
    }
    await chain.test.mine({ blocks: 1 })
    const receipts = await Promise.all(hashes.map((hash) => chain.public.getTransactionReceipt({ hash })))
    const failed = receipts.find((r) => r.status !== 'success')
    if (failed !== undefined) {
      throw new DevnetError('A history storm transaction failed.', {
        details: `${failed.transactionHash} on ${chain.name}`,
      })
    }
  }
  await chain.test.setAutomine(true)
  // A few more liability mints and feed answers after the storms.
  for (let i = 0; i < 3; i++) {
    await write(chain, from, liability, 'DevnetToken', 'mint', [
      tracked[i % tracked.length] as Address,
      10n ** 18n,
    ])
    await write(chain, from, feed, 'DevnetPriceFeed', 'updateAnswer', [100_000_000n + BigInt(i)])
  }
  await write(chain, from, reserve, 'DevnetToken', 'setOperator', [
    '0x0000000000000000000000000000000000000000',
  ])
  return { reserve, liability, feed, tracked, deployBlock: token.blockNumber, fundedBlock, transfers: done }
}
