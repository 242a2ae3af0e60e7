import {
  type Address,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  numberToHex,
  publicActions,
  toHex,
} from 'viem'
import type { BenchTarget, BenchTargetChain, BenchToken } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { BenchError } from '../errors/BenchError.js'
import { compileBenchContracts } from './compileBenchContracts.js'

/** Shape of the large history; see {@link layDownHistory}. */
export type HistoryOptions = {
  /** Transfer events to lay down per chain (rounded up to whole blocks). */
  eventsPerChain: number
  /** Transfer events per `spray` transaction. Default 100. */
  transfersPerTx?: number
  /** `spray` transactions per block. Default 2. */
  txsPerBlock?: number
  /** Distinct receivers per token and chain. Default 1000. */
  fanout?: number
  /** Receivers per token tracked as reserve holders. Default 10. */
  trackedPerToken?: number
  /**
   * Track the sender too. It is in nearly every transfer, so Ballast then stores a balance row per
   * event (a worst case); by default the tracked holders are receivers, like treasuries. Default false.
   */
  trackSender?: boolean
}

/** The tokens deployed on every chain: three reserve assets and two liability tokens. */
export const benchTokens: readonly Omit<BenchToken, 'address'>[] = [
  { symbol: 'USDC', decimals: 6, kind: 'reserve' },
  { symbol: 'WETH', decimals: 18, kind: 'reserve' },
  { symbol: 'WBTC', decimals: 8, kind: 'reserve' },
  { symbol: 'aUSD', decimals: 18, kind: 'liability' },
  { symbol: 'bUSD', decimals: 18, kind: 'liability' },
]

/** Id of the bench history's one pool (bytes32: keccak256 of its name). */
export const benchPoolId: Hex = keccak256(toHex('bench-pool'))

/** USD prices of the reserve assets (8 decimals, like Chainlink USD feeds). */
const benchPrices: Record<string, bigint> = {
  USDC: 100_000_000n,
  WETH: 300_000_000_000n,
  WBTC: 6_000_000_000_000n,
}

/** anvil's first dev account (unlocked: eth_sendTransaction needs no key). */
export const benchSender: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

/**
 * Lays down a large, real ERC-20 history on running chains: deploys {@link benchTokens} on each
 * chain, mints the sender a large balance, then mines blocks of `spray` transactions (each one
 * emitting `transfersPerTx` Transfer events: transfers, mints and burns over `fanout` holders),
 * all chains in parallel. Automining is off while blocks are built and on again at the end, so
 * later live-latency probes mine on their own.
 *
 * Cost: about 2 RPC round trips per block; 1M events over 3 chains take well under a minute.
 *
 * @param chains - running chains (RPC URLs must accept `evm_setAutomine` and `evm_mine`).
 * @param options - size and shape of the history.
 * @returns the {@link BenchTarget} describing what was laid down, and the event count per chain.
 * @example
 * const { target } = await layDownHistory(chains, { eventsPerChain: 10_000 })
 */
export async function layDownHistory(
  chains: readonly { name: string; chainId: number; rpcUrl: string }[],
  options: HistoryOptions,
): Promise<{ target: BenchTarget; events: number }> {
  const transfersPerTx = options.transfersPerTx ?? 100
  const txsPerBlock = options.txsPerBlock ?? 2
  const fanout = options.fanout ?? 1000
  const trackedPerToken = Math.min(options.trackedPerToken ?? 10, fanout)
  for (const [name, value] of Object.entries({
    eventsPerChain: options.eventsPerChain,
    transfersPerTx,
    txsPerBlock,
    fanout,
  })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new BenchError('Bad history size.', {
        details: `${name}=${value}`,
        metaMessages: ['Every size of the history is a positive integer.'],
      })
    }
  }
  const { token: tokenContract, feed: feedContract } = compileBenchContracts()
  const { abi, bytecode } = tokenContract
  const results = await Promise.all(
    chains.map(async (chain, chainIndex) => {
      const client = createWalletClient({
        account: benchSender,
        transport: http(chain.rpcUrl),
        chain: {
          id: chain.chainId,
          name: chain.name,
          nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
          rpcUrls: { default: { http: [chain.rpcUrl] } },
        },
        cacheTime: 0,
      }).extend(publicActions)
      const startBlock = Number(await client.getBlockNumber()) + 1
      const tokens: BenchToken[] = []
      for (const t of benchTokens) {
        const hash = await client.deployContract({
          abi,
          bytecode,
          args: [`Bench ${t.symbol}`, t.symbol, t.decimals],
        })
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 10 })
        if (!receipt.contractAddress) throw new BenchError('BenchToken deploy failed.', { details: hash })
        tokens.push({ ...t, address: receipt.contractAddress })
        const mint = await client.writeContract({
          address: receipt.contractAddress,
          abi,
          functionName: 'mint',
          args: [benchSender, 10n ** 30n],
        })
        await client.waitForTransactionReceipt({ hash: mint, pollingInterval: 10 })
      }
      // Feeds live on the first chain (as in the devnet): a few answers per reserve asset, so
      // Ballast can value reserves and every peer indexes AnswerUpdated too.
      const feeds: Address[] = []
      let answers = 0
      if (chainIndex === 0) {
        for (const token of tokens.filter((t) => t.kind === 'reserve')) {
          const hash = await client.deployContract({ abi: feedContract.abi, bytecode: feedContract.bytecode })
          const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 10 })
          if (!receipt.contractAddress) throw new BenchError('BenchFeed deploy failed.', { details: hash })
          const feed = receipt.contractAddress
          feeds.push(feed)
          token.feed = feed
          const price = benchPrices[token.symbol] ?? 100_000_000n
          for (const bps of [9_900n, 10_050n, 10_000n]) {
            const update = await client.writeContract({
              address: feed,
              abi: feedContract.abi,
              functionName: 'updateAnswer',
              args: [(price * bps) / 10_000n],
            })
            await client.waitForTransactionReceipt({ hash: update, pollingInterval: 10 })
            answers++
          }
        }
      }
      let sprayed = 0
      const gas = numberToHex(60_000 + transfersPerTx * 45_000)
      await rpcBatch(chain.rpcUrl, [{ method: 'evm_setAutomine', params: [false] }])
      let tx = 0
      while (sprayed < options.eventsPerChain) {
        const sends = []
        for (let k = 0; k < txsPerBlock; k++, tx++) {
          const token = tokens[tx % tokens.length] as BenchToken
          const data: Hex = encodeFunctionData({
            abi,
            functionName: 'spray',
            // A different seed per token and chain: holders differ across tokens and chains.
            args: [
              BigInt(transfersPerTx),
              BigInt(fanout),
              BigInt(chain.chainId * 1000 + (tx % tokens.length)),
            ],
          })
          sends.push({
            method: 'eth_sendTransaction',
            params: [{ from: benchSender, to: token.address, data, gas }],
          })
        }
        await rpcBatch(chain.rpcUrl, sends)
        await rpcBatch(chain.rpcUrl, [{ method: 'evm_mine', params: [] }])
        sprayed += txsPerBlock * transfersPerTx
      }
      const events = tokens.length + answers + sprayed
      await rpcBatch(chain.rpcUrl, [{ method: 'evm_setAutomine', params: [true] }])
      const endBlock = Number(await client.getBlockNumber())
      const out: BenchTargetChain = {
        name: chain.name,
        chainId: chain.chainId,
        rpcUrl: chain.rpcUrl,
        startBlock,
        endBlock,
        tokens,
        holders: [
          ...(options.trackSender ? [benchSender.toLowerCase() as Address] : []),
          ...tokens.flatMap((_, t) =>
            Array.from({ length: trackedPerToken }, (_, j) =>
              sprayReceiver(sprayerSeed(chain.chainId, t), j),
            ),
          ),
        ],
        registries: [],
        feeds,
        ofts: [],
        vaults: [],
      }
      return { chain: out, events }
    }),
  )
  const targetChains = results.map((r) => r.chain)
  const liabilities = benchTokens.filter((t) => t.kind === 'liability')
  const target: BenchTarget = {
    chains: targetChains,
    poolId: benchPoolId,
    // One member per liability token; the tracked holders go round-robin over the members.
    members: liabilities.map((t, m) => ({
      name: t.symbol,
      holders: Object.fromEntries(
        targetChains.map((c) => [c.chainId, c.holders.filter((_, i) => i % liabilities.length === m)]),
      ),
    })),
    minter: benchSender,
  }
  return { target, events: results.reduce((s, r) => s + r.events, 0) }
}

/** Seed of the `spray` calls of token number `tokenIndex` on a chain. */
function sprayerSeed(chainId: number, tokenIndex: number): bigint {
  return BigInt(chainId * 1000 + tokenIndex)
}

/**
 * Receiver number `j` of a `spray` seed, as BenchToken.sol derives it:
 * `address(uint160(uint256(keccak256(abi.encode(seed, j)))))`.
 */
export function sprayReceiver(seed: bigint, j: number): Address {
  const hash = keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [seed, BigInt(j)]))
  return `0x${hash.slice(-40)}` as Address
}
