import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FaultProxy, startFaultProxy } from '../../test/faultProxy.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { freePort } from '../testing/startPostgres.js'
import { createChainRpc } from './createChainRpc.js'
import { RpcError } from './RpcError.js'

describe('createChainRpc', () => {
  let chain: TestChain
  let proxy: FaultProxy
  beforeAll(async () => {
    chain = await startTestChain(32_081)
    await chain.mine(20)
    // Rate 0 and a wide range: a proxy that only counts HTTP requests.
    proxy = await startFaultProxy(chain.rpcUrl, { rate: 0, maxLogsRange: 1_000_000 })
  })
  afterAll(async () => {
    await proxy?.close()
    await chain?.stop()
  })

  const chainConfig = (rpcUrls: string[]) =>
    defineConfig({
      chains: [{ chainId: 32_081, rpcUrls, finalityDepth: 1, startBlock: 0, rpcTimeout: 5_000 }],
      pools: [
        { id: `0x${'01'.repeat(32)}`, registries: { 32081: '0x000000000000000000000000000000000000a001' } },
      ],
      assets: [],
    }).chains[0] as Parameters<typeof createChainRpc>[0]

  it('sends concurrent calls as one JSON-RPC batch and returns linked headers', async () => {
    const rpc = createChainRpc(chainConfig([proxy.url]))
    const before = proxy.counts.ok
    const numbers = Array.from({ length: 20 }, (_, i) => i + 1)
    const headers = await rpc.getBlocks(numbers)
    expect(headers.map((h) => h.number)).toEqual(numbers)
    for (let i = 1; i < headers.length; i++) expect(headers[i]?.parentHash).toBe(headers[i - 1]?.hash)
    expect(proxy.counts.ok - before).toBe(1)
    expect(rpc.stats.methods.eth_getBlockByNumber).toBe(20)
  })

  it('fails over to the next URL when the first is down', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`
    const rpc = createChainRpc(chainConfig([dead, proxy.url]), { maxAttempts: 2, backoff: 1 })
    expect((await rpc.getBlock('latest')).number).toBe(await chain.head())
  })

  it('gives up with a retryable RpcError when every URL is down', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`
    const rpc = createChainRpc(chainConfig([dead]), { maxAttempts: 2, backoff: 1 })
    const error = await rpc.getBlock('latest').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).retryable).toBe(true)
    expect(rpc.stats.requests).toBe(2)
  })
})
