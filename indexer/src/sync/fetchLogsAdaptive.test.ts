import { type Address, erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeLog, startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createChainRpc } from '../rpc/createChainRpc.js'
import { fetchLogsAdaptive, type RangeState, shrunkRange } from './fetchLogsAdaptive.js'

const TOKEN: Address = '0x000000000000000000000000000000000000b001'
const A: Address = '0x000000000000000000000000000000000000a001'
const B: Address = '0x000000000000000000000000000000000000a002'

describe('shrunkRange', () => {
  it('halves without a size, and sizes the retry to fit twice over with one', () => {
    expect(shrunkRange(100, undefined)).toBe(50)
    expect(shrunkRange(2, undefined)).toBe(1)
    // 20 times too large: 276 / 40.
    expect(shrunkRange(276, 20)).toBe(6)
    // Barely too large: still at least a halving; never below one block.
    expect(shrunkRange(100, 1.1)).toBe(45)
    expect(shrunkRange(3, 50)).toBe(1)
  })
})

describe('fetchLogsAdaptive', () => {
  let chain: TestChain
  let dense: number[]
  beforeAll(async () => {
    chain = await startTestChain(32_091)
    await chain.install([TOKEN])
    // 40 sparse blocks, 6 dense ones (60 transfers each), 20 sparse ones: a history that turns
    // dense at once, like a backfill reaching the busy part of a chain.
    await chain.mine(39)
    await chain.emitBlock([encodeLog(TOKEN, erc20Abi, 'Transfer', { from: A, to: B, value: 1n })])
    dense = []
    for (let block = 0; block < 6; block++) {
      const logs = Array.from({ length: 60 }, (_, i) =>
        encodeLog(TOKEN, erc20Abi, 'Transfer', { from: A, to: B, value: BigInt(1_000 * block + i) }),
      )
      dense.push(await chain.emitBlock(logs))
    }
    await chain.mine(20)
  }, 120_000)
  afterAll(async () => {
    await chain?.stop()
  })

  it('gets every log through a size limit, refusing few responses where the history turns dense', async () => {
    const config = defineConfig({
      chains: [{ chainId: 32_091, rpcUrls: [chain.rpcUrl], finalityDepth: 1, startBlock: 0 }],
      pools: [
        { id: `0x${'01'.repeat(32)}`, registries: { 32091: '0x000000000000000000000000000000000000c001' } },
      ],
      assets: [],
    })
    const single = await chain.request<unknown[]>('eth_getLogs', [
      {
        address: [TOKEN],
        fromBlock: `0x${(dense[0] as number).toString(16)}`,
        toBlock: `0x${(dense[0] as number).toString(16)}`,
      },
    ])
    const blockBytes = JSON.stringify(single).length
    // Two dense blocks fit in a response, three do not.
    const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0], {
      maxResponseBytes: Math.round(blockBytes * 2.5),
    })
    let refused = 0
    const counted = {
      ...rpc,
      getLogs: (parameters: Parameters<typeof rpc.getLogs>[0]) =>
        rpc.getLogs(parameters).catch((error: unknown) => {
          refused++
          throw error
        }),
    }
    const range: RangeState = { size: 8, max: 1_000 }
    const logs = await fetchLogsAdaptive(counted, { address: [TOKEN] }, 0, await chain.head(), range)

    expect(logs).toHaveLength(1 + 6 * 60)
    const positions = logs.map((l) => Number(l.blockNumber) * 1_000 + Number(l.logIndex))
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(new Set(positions).size).toBe(positions.length)
    // Halving alone regrows into the dense blocks after each sparse success: refused 6 times here.
    expect(refused).toBeLessThanOrEqual(2)
    // Past the dense blocks the range grows again.
    expect(range.size).toBeGreaterThan(2)
  })
})
