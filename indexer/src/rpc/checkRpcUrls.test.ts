import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFaultProxy } from '../../test/faultProxy.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import { freePort } from '../testing/startPostgres.js'
import { checkRpcUrls } from './checkRpcUrls.js'
import { RpcError } from './RpcError.js'

describe('checkRpcUrls', () => {
  let chain: TestChain
  beforeAll(async () => {
    chain = await startTestChain(32_051)
  })
  afterAll(async () => {
    await chain?.stop()
  })

  const config = (chainId: number, rpcUrls: string[]) =>
    defineConfig({
      chains: [{ chainId, rpcUrls, finalityDepth: 2, startBlock: 0 }],
      pools: [
        {
          id: `0x${'01'.repeat(32)}`,
          registries: { [chainId]: '0x000000000000000000000000000000000000a001' },
        },
      ],
      assets: [],
    })

  it('accepts URLs that serve the configured chain', async () => {
    await expect(checkRpcUrls(config(32_051, [chain.rpcUrl, chain.rpcUrl]))).resolves.toEqual([])
  })

  it('names the URL that serves another chain id', async () => {
    const error = await checkRpcUrls(config(1, [chain.rpcUrl])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).field).toBe('chains[0].rpcUrls[0]')
    expect((error as ConfigError).shortMessage).toBe(
      'Invalid config: chains[0].rpcUrls[0] serves chain id 32051, not 1.',
    )
  })

  it('retries a URL through stalls, truncated bodies and resets: only a wrong chain id is a config error', async () => {
    // Every eth_chainId faults at first: a 10 s stall, a truncated body, a reset, a 500, a 429.
    const proxy = await startFaultProxy(chain.rpcUrl, {
      chainId: true,
      rate: 0.01,
      hangMs: 10_000,
      kinds: ['timeouts', 'truncated', 'resets', 'status500', 'status429'],
      retryAfter: 0,
    })
    try {
      const c = config(32_051, [proxy.url])
      const checked = { ...c, chains: c.chains.map((x) => ({ ...x, rpcTimeout: 500 })) }
      await expect(checkRpcUrls(checked, { backoff: 1, maxAttempts: 8 })).resolves.toEqual([])
      expect(proxy.counts).toMatchObject({
        timeouts: 1,
        truncated: 1,
        resets: 1,
        status500: 1,
        status429: 1,
        ok: 1,
      })
    } finally {
      await proxy.close()
    }
  })

  it('reports a URL that never answers, and fails (retryably, not as a config error) when no URL of a chain does', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/v2/SECRETKEY123`
    const unreachable = await checkRpcUrls(config(32_051, [chain.rpcUrl, dead]), {
      backoff: 1,
      maxAttempts: 2,
    })
    expect(unreachable.map((u) => [u.field, u.url])).toEqual([
      ['chains[0].rpcUrls[1]', `${new URL(dead).origin}/***`],
    ])
    const error = await checkRpcUrls(config(32_051, [dead]), { backoff: 1, maxAttempts: 2 }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RpcError)
    expect(error).not.toBeInstanceOf(ConfigError)
    expect((error as RpcError).retryable).toBe(true)
    expect((error as RpcError).message).not.toContain('SECRETKEY123')
  })
})
