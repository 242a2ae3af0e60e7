import { type Address, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { read } from '../contracts/sendTx.js'
import {
  type ChainlinkFeed,
  chainlinkProxyRoundId,
  changeEacAggregatorPhase,
  deployChainlinkFeed,
  deployFluxAggregator,
  submitFluxAnswer,
} from './chainlinkFeed.js'

type RoundData = readonly [bigint, bigint, bigint, bigint, bigint]

let running: RunningChains
let chain: DevnetChainHandle
let owner: Address
let oracle: Address
let feed: ChainlinkFeed
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[owner, oracle] = (await chain.wallet.getAddresses()) as [Address, Address]
  feed = await deployChainlinkFeed(chain, {
    from: owner,
    oracle,
    decimals: 8,
    description: 'ETH / USD',
    answer: 3_000_00000000n,
  })
})
afterAll(() => running?.stop())

describe("Chainlink EACAggregatorProxy over a FluxAggregator (Chainlink's 0.6 sources)", () => {
  let second: Address

  it('a submission emits AnswerUpdated on the aggregator and shows through the proxy, tagged phase 1', async () => {
    const { roundId, receipt } = await submitFluxAnswer(chain, {
      oracle,
      aggregator: feed.aggregator,
      answer: 3_100_00000000n,
    })
    expect(roundId).toBe(2n)
    const block = await chain.public.getBlock({ blockNumber: receipt.blockNumber })
    const logs = parseEventLogs({
      abi: loadArtifact('FluxAggregator').abi,
      logs: receipt.logs,
      eventName: 'AnswerUpdated',
    })
    expect(logs).toHaveLength(1)
    expect(logs[0]?.address.toLowerCase()).toBe(feed.aggregator.toLowerCase())
    expect(logs[0]?.args).toEqual({ current: 3_100_00000000n, roundId: 2n, updatedAt: block.timestamp })

    const [id, answer, , updatedAt, answeredInRound] = await read<RoundData>(
      chain,
      feed.proxy,
      'EACAggregatorProxy',
      'latestRoundData',
    )
    expect(id).toBe(chainlinkProxyRoundId(1, 2n))
    expect(id).toBe((1n << 64n) | 2n)
    expect(answer).toBe(3_100_00000000n)
    expect(updatedAt).toBe(block.timestamp)
    expect(answeredInRound).toBe(id)
    expect(await read<number>(chain, feed.proxy, 'EACAggregatorProxy', 'decimals')).toBe(8)
    expect(await read<number>(chain, feed.proxy, 'EACAggregatorProxy', 'phaseId')).toBe(1)
  })

  it('a phase change moves the proxy to the second aggregator; old rounds stay readable by id', async () => {
    second = await deployFluxAggregator(chain, {
      from: owner,
      link: feed.link,
      oracle,
      decimals: 8,
      description: 'ETH / USD',
    })
    const { roundId } = await submitFluxAnswer(chain, { oracle, aggregator: second, answer: 3_200_00000000n })
    expect(roundId).toBe(1n)
    // Before the change the proxy still reads the first aggregator.
    const [before] = await read<RoundData>(chain, feed.proxy, 'EACAggregatorProxy', 'latestRoundData')
    expect(before).toBe(chainlinkProxyRoundId(1, 2n))

    const { phaseId } = await changeEacAggregatorPhase(chain, {
      from: owner,
      proxy: feed.proxy,
      aggregator: second,
    })
    expect(phaseId).toBe(2)
    expect((await read<Address>(chain, feed.proxy, 'EACAggregatorProxy', 'aggregator')).toLowerCase()).toBe(
      second.toLowerCase(),
    )
    expect(
      (await read<Address>(chain, feed.proxy, 'EACAggregatorProxy', 'phaseAggregators', [1])).toLowerCase(),
    ).toBe(feed.aggregator.toLowerCase())
    expect(
      (await read<Address>(chain, feed.proxy, 'EACAggregatorProxy', 'phaseAggregators', [2])).toLowerCase(),
    ).toBe(second.toLowerCase())
    const [id, answer, , , answeredInRound] = await read<RoundData>(
      chain,
      feed.proxy,
      'EACAggregatorProxy',
      'latestRoundData',
    )
    expect(id).toBe(chainlinkProxyRoundId(2, 1n))
    expect(answer).toBe(3_200_00000000n)
    expect(answeredInRound).toBe(id)
    const [oldId, oldAnswer] = await read<RoundData>(
      chain,
      feed.proxy,
      'EACAggregatorProxy',
      'getRoundData',
      [chainlinkProxyRoundId(1, 2n)],
    )
    expect([oldId, oldAnswer]).toEqual([chainlinkProxyRoundId(1, 2n), 3_100_00000000n])
  })

  it('answers of the new aggregator follow through the proxy; the old one no longer does', async () => {
    await submitFluxAnswer(chain, { oracle, aggregator: feed.aggregator, answer: 1n })
    const { receipt } = await submitFluxAnswer(chain, { oracle, aggregator: second, answer: 3_300_00000000n })
    const [log] = parseEventLogs({
      abi: loadArtifact('FluxAggregator').abi,
      logs: receipt.logs,
      eventName: 'AnswerUpdated',
    })
    expect(log).toMatchObject({ args: { current: 3_300_00000000n, roundId: 2n } })
    const [id, answer] = await read<RoundData>(chain, feed.proxy, 'EACAggregatorProxy', 'latestRoundData')
    expect([id, answer]).toEqual([chainlinkProxyRoundId(2, 2n), 3_300_00000000n])
  })

  it('only the oracle may submit', async () => {
    await expect(submitFluxAnswer(chain, { oracle: owner, aggregator: second, answer: 1n })).rejects.toThrow(
      /not enabled oracle/,
    )
  })
})
