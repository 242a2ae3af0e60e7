import { type Address, encodeFunctionData, erc20Abi } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { deploy, read, sendTx, write } from '../contracts/sendTx.js'
import type { DevnetManifest } from '../DevnetManifest.js'
import type { DevnetDeployment } from '../deploy/deployDevnet.js'

export type LayHistoryParameters = {
  /** A running devnet (from `startDevnet`): its chains, deployment and manifest. */
  devnet: { chains: readonly DevnetChainHandle[]; deployment: DevnetDeployment; manifest: DevnetManifest }
  /** Total `Transfer` events to add, spread evenly over the chains. */
  events: number
  /** Transfers per transaction (one block each). Default 1500 (about 20M gas). */
  transfersPerTx?: number | undefined
}

export type LayHistoryResult = {
  /** Transfer events added. */
  events: number
  /** Transactions (= blocks) added. */
  transactions: number
  /** Wall time in ms. */
  ms: number
}

/**
 * Lays down a large, real history fast (benchmarks: 1M+ events over 3 chains). A `HistoryStorm`
 * contract, made operator of every reserve token, moves 1 base unit around the ring of member
 * holders that hold the token, `transfersPerTx` transfers per transaction: each is a real ERC-20
 * `Transfer` log of a reserve asset between registered holders, so an indexer treats it like any
 * other reserve movement. Balances per holder change by at most a few units and totals not at all.
 * Chains are filled in parallel, tokens round-robin.
 *
 * @param parameters The devnet and how many events.
 * @returns What was added and how long it took.
 * @example
 * ```ts
 * const devnet = await startDevnet({ chains: 3, relay: 'manual' })
 * const { events, ms } = await layHistory({ devnet, events: 1_000_000 })
 * ```
 */
export async function layHistory(parameters: LayHistoryParameters): Promise<LayHistoryResult> {
  const { devnet, events } = parameters
  const perTx = parameters.transfersPerTx ?? 1_500
  const started = performance.now()
  const { deployer } = devnet.deployment
  const stormAbi = loadArtifact('HistoryStorm').abi
  const holders = [
    ...new Set(
      devnet.manifest.pools.flatMap((p) => p.members.flatMap((m) => Object.values(m.holders).flat())),
    ),
  ] as Address[]
  const n = devnet.chains.length
  const counts = await Promise.all(
    devnet.chains.map(async (chain, i) => {
      const target = Math.floor(events / n) + (i < events % n ? 1 : 0)
      if (target === 0) return { events: 0, transactions: 0 }
      const storm = (await deploy(chain, deployer, 'HistoryStorm', [deployer])).address
      const rings: { token: Address; ring: Address[] }[] = []
      for (const a of devnet.manifest.assets) {
        const token = a.tokens[chain.chainId]?.token as Address
        // Each holder sends at most ceil(perTx / ring) units per transaction: enough balance for that.
        const ring: Address[] = []
        for (const h of holders) {
          if ((await read<bigint>(chain, token, erc20Abi, 'balanceOf', [h])) >= BigInt(perTx)) ring.push(h)
        }
        if (ring.length < 2) continue
        await write(chain, deployer, token, 'DevnetToken', 'setOperator', [storm])
        rings.push({ token, ring })
      }
      if (rings.length === 0) return { events: 0, transactions: 0 }
      let done = 0
      let transactions = 0
      while (done < target) {
        const { token, ring } = rings[transactions % rings.length] as (typeof rings)[number]
        const count = Math.min(perTx, target - done)
        await sendTx(chain, {
          from: deployer,
          to: storm,
          data: encodeFunctionData({
            abi: stormAbi,
            functionName: 'storm',
            args: [token, ring, BigInt(transactions), BigInt(count), 1n],
          }),
          gas: 29_000_000n,
        })
        done += count
        transactions++
      }
      for (const { token } of rings) {
        await write(chain, deployer, token, 'DevnetToken', 'setOperator', [
          '0x0000000000000000000000000000000000000000',
        ])
      }
      return { events: done, transactions }
    }),
  )
  return {
    events: counts.reduce((s, c) => s + c.events, 0),
    transactions: counts.reduce((s, c) => s + c.transactions, 0),
    ms: performance.now() - started,
  }
}
