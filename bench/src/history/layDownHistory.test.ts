import { decodeEventLog, erc20Abi, numberToHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BenchTarget } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { type AnvilChain, startAnvilChains } from '../chains/startAnvilChains.js'
import { fetchLogsFloor } from '../floor/fetchLogsFloor.js'
import { chainTotals, diffTotals } from '../peers/chainTotals.js'
import { balanceKey, supplyKey, type Totals } from '../peers/Totals.js'
import { benchSender, layDownHistory, sprayReceiver } from './layDownHistory.js'

// One real anvil chain, a small history: what the floor fetches, what the chain says and what
// the logs add up to must all agree (the compare benchmark relies on each of them).
describe('layDownHistory', () => {
  let chains: AnvilChain[] = []
  let stop = async () => {}
  let target: BenchTarget
  let events = 0

  beforeAll(async () => {
    ;({ chains, stop } = await startAnvilChains(1))
    ;({ target, events } = await layDownHistory(chains, {
      eventsPerChain: 1_000,
      transfersPerTx: 100,
      txsPerBlock: 2,
      fanout: 40,
      trackedPerToken: 3,
      trackSender: true,
    }))
  })
  afterAll(async () => {
    await stop()
  })

  it('mines whole blocks of spray transactions and turns automining back on', async () => {
    const chain = target.chains[0]
    expect(chain?.tokens.map((t) => t.symbol)).toEqual(['USDC', 'WETH', 'WBTC', 'aUSD', 'bUSD'])
    // 5 mints at deploy, 3 answers of each of the 3 feeds, then 5 blocks of 2 x 100 events.
    expect(events).toBe(5 + 9 + 1_000)
    expect(chain?.feeds).toHaveLength(3)
    expect(chain?.holders).toHaveLength(1 + 5 * 3)
    const [automine] = await rpcBatch(chains[0]?.rpcUrl as string, [
      { method: 'anvil_getAutomine', params: [] },
    ])
    expect(automine).toBe(true)
  })

  it('is fetched in full by the raw floor, in any request size', async () => {
    expect(await fetchLogsFloor(target)).toEqual({ 901: events })
    expect(await fetchLogsFloor(target, { blocksPerRequest: 1, concurrency: 3 })).toEqual({ 901: events })
  })

  it('adds up, from its logs, to the balances and supplies the chain reports', async () => {
    const chain = target.chains[0] as BenchTarget['chains'][number]
    const logs = (await rpcBatch(chain.rpcUrl, [
      {
        method: 'eth_getLogs',
        params: [
          {
            address: chain.tokens.map((t) => t.address),
            fromBlock: numberToHex(chain.startBlock),
            toBlock: numberToHex(chain.endBlock),
          },
        ],
      },
    ])) as [{ address: `0x${string}`; topics: [`0x${string}`]; data: `0x${string}` }[]]
    const fromLogs: Totals = new Map()
    const add = (key: string, delta: bigint) => fromLogs.set(key, (fromLogs.get(key) ?? 0n) + delta)
    const receivers = new Set<string>()
    for (const log of logs[0]) {
      const { args } = decodeEventLog({
        abi: erc20Abi,
        eventName: 'Transfer',
        topics: log.topics,
        data: log.data,
      })
      if (args === undefined) throw new Error('Transfer without arguments')
      const zero = '0x0000000000000000000000000000000000000000'
      if (args.from === zero) add(supplyKey(chain.chainId, log.address), args.value)
      else add(balanceKey(chain.chainId, log.address, args.from), -args.value)
      if (args.to === zero) add(supplyKey(chain.chainId, log.address), -args.value)
      else {
        add(balanceKey(chain.chainId, log.address, args.to), args.value)
        receivers.add(args.to.toLowerCase())
      }
    }
    // The tracked holders are receivers the contract really paid (the seed derivation matches).
    for (const holder of chain.holders.slice(1)) expect(receivers.has(holder)).toBe(true)
    expect(sprayReceiver(901_000n, 0)).toBe(chain.holders[1])
    const reference = await chainTotals(target)
    // 3 reserve tokens x 16 holders + 2 liability supplies.
    expect(reference.size).toBe(3 * 16 + 2)
    expect(reference.get(balanceKey(901, chain.tokens[0]?.address as string, benchSender))).toBeGreaterThan(
      0n,
    )
    expect(diffTotals(reference, fromLogs)).toEqual([])
  })
})
