import { type Address, encodeEventTopics, erc20Abi, pad } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeLog, startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { bloomMayMatch } from './bloomMayMatch.js'
import { createChainRpc } from './createChainRpc.js'
import { recheckNewestBlocks } from './recheckNewestBlocks.js'

const TOKEN: Address = '0x000000000000000000000000000000000000b141'
const A: Address = '0x000000000000000000000000000000000000a001'

describe('recheckNewestBlocks', () => {
  let chain: TestChain
  beforeAll(async () => {
    chain = await startTestChain(32_143)
    await chain.install([TOKEN])
    await chain.mine(3)
    await chain.emitBlock([encodeLog(TOKEN, erc20Abi, 'Transfer', { from: A, to: A, value: 1n })])
    await chain.emitBlock([encodeLog(TOKEN, erc20Abi, 'Transfer', { from: A, to: A, value: 2n })])
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it('finds the logs of the newest blocks that a number-range answer left out, by hash, and only those', async () => {
    const config = defineConfig({
      chains: [{ chainId: 32_143, rpcUrls: [chain.rpcUrl], finalityDepth: 1, startBlock: 0 }],
      pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 32143: A } }],
      assets: [],
    })
    const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0])
    const head = await chain.head()
    const headers = await rpc.getBlocks([head - 2, head - 1, head])
    const full = await rpc.getLogs({ address: [TOKEN], fromBlock: head - 2, toBlock: head })
    expect(full).toHaveLength(2)
    // A lagging node's answer (the real node's, with the newest block's log dropped): the
    // re-check by hash restores it.
    const lagging = full.filter((l) => Number(l.blockNumber) !== head)
    const before = rpc.stats.methods.eth_getLogs ?? 0
    expect(await recheckNewestBlocks(rpc, [{ address: [TOKEN] }], headers, lagging)).toEqual(full)
    // Only the newest block had no log among the last two: one query by hash.
    expect((rpc.stats.methods.eth_getLogs ?? 0) - before).toBe(1)
    // A complete answer costs nothing more.
    expect(await recheckNewestBlocks(rpc, [{ address: [TOKEN] }], headers, full)).toBe(full)
    expect((rpc.stats.methods.eth_getLogs ?? 0) - before).toBe(1)
  })

  it("skips blocks whose bloom rules the filter out: a holder filter re-reads no stranger's transfer", async () => {
    const config = defineConfig({
      chains: [{ chainId: 32_143, rpcUrls: [chain.rpcUrl], finalityDepth: 1, startBlock: 0 }],
      pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 32143: A } }],
      assets: [],
    })
    const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0])
    const head = await chain.head()
    const headers = await rpc.getBlocks([head - 1, head])
    // anvil's headers carry their logs bloom.
    expect(headers.every((h) => h.logsBloom !== undefined && h.logsBloom.length === 2 + 512)).toBe(true)
    const transfer = encodeEventTopics({ abi: erc20Abi, eventName: 'Transfer' })[0]!
    const holder = (a: Address) => pad(a, { size: 32 })
    // The real blocks hold A -> A transfers of TOKEN: the bloom says "maybe" for them...
    expect(bloomMayMatch(headers[1]!.logsBloom!, { address: [TOKEN], topics: [transfer, [holder(A)]] })).toBe(
      true,
    )
    // ...and "no" for another token, another event or another holder (certain: no false negatives).
    expect(bloomMayMatch(headers[1]!.logsBloom!, { address: [A] })).toBe(false)
    expect(
      bloomMayMatch(headers[1]!.logsBloom!, { address: [TOKEN], topics: [`0x${'ab'.repeat(32)}`] }),
    ).toBe(false)
    expect(
      bloomMayMatch(headers[1]!.logsBloom!, { address: [TOKEN], topics: [transfer, [holder(TOKEN)]] }),
    ).toBe(false)
    // An empty answer for a stranger's filter costs no re-read; the tracked holder's does.
    const before = rpc.stats.methods.eth_getLogs ?? 0
    const stranger = { address: [TOKEN], topics: [transfer, [holder(TOKEN)]] }
    expect(await recheckNewestBlocks(rpc, [stranger], headers, [])).toEqual([])
    expect((rpc.stats.methods.eth_getLogs ?? 0) - before).toBe(0)
    const tracked = { address: [TOKEN], topics: [transfer, [holder(A)]] }
    const found = await recheckNewestBlocks(rpc, [tracked], headers, [])
    expect(found.map((l) => Number(l.blockNumber))).toEqual([head - 1, head])
    expect((rpc.stats.methods.eth_getLogs ?? 0) - before).toBe(2)
  })
})

describe('recheckNewestBlocks, per filter', () => {
  const OTHER: Address = '0x000000000000000000000000000000000000b142'
  let chain: TestChain
  beforeAll(async () => {
    chain = await startTestChain(32_144)
    await chain.install([TOKEN, OTHER])
    await chain.mine(2)
    // One block with a log of each token.
    await chain.emitBlock([
      encodeLog(TOKEN, erc20Abi, 'Transfer', { from: A, to: A, value: 1n }),
      encodeLog(OTHER, erc20Abi, 'Transfer', { from: A, to: A, value: 2n }),
    ])
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it("re-reads a block that has one filter's logs but not another's (two backends behind one URL)", async () => {
    const config = defineConfig({
      chains: [{ chainId: 32_144, rpcUrls: [chain.rpcUrl], finalityDepth: 1, startBlock: 0 }],
      pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 32144: A } }],
      assets: [],
    })
    const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0])
    const head = await chain.head()
    const headers = await rpc.getBlocks([head - 1, head])
    const tokenLogs = await rpc.getLogs({ address: [TOKEN], fromBlock: head - 1, toBlock: head })
    const otherLogs = await rpc.getLogs({ address: [OTHER], fromBlock: head - 1, toBlock: head })
    expect([tokenLogs.length, otherLogs.length]).toEqual([1, 1])
    // The TOKEN filter's answer came from an up-to-date backend, OTHER's from a lagging one.
    const before = rpc.stats.methods.eth_getLogs ?? 0
    const merged = await recheckNewestBlocks(
      rpc,
      [{ address: [TOKEN] }, { address: [OTHER] }],
      headers,
      tokenLogs,
    )
    expect(merged.map((l) => l.address.toLowerCase())).toEqual([TOKEN, OTHER])
    // One re-read: OTHER in the block; TOKEN has its log there and no bloom match elsewhere.
    expect((rpc.stats.methods.eth_getLogs ?? 0) - before).toBe(1)
  })
})
