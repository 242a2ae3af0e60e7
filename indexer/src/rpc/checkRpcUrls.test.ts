import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import { freePort } from '../testing/startPostgres.js'
import { checkRpcUrls } from './checkRpcUrls.js'

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
    await expect(checkRpcUrls(config(32_051, [chain.rpcUrl, chain.rpcUrl]))).resolves.toBeUndefined()
  })

  it('names the URL that serves another chain id', async () => {
    const error = await checkRpcUrls(config(1, [chain.rpcUrl])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).field).toBe('chains[0].rpcUrls[0]')
    expect((error as ConfigError).shortMessage).toBe(
      'Invalid config: chains[0].rpcUrls[0] serves chain id 32051, not 1.',
    )
  })

  it('names the URL that is unreachable', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`
    const error = await checkRpcUrls(config(32_051, [chain.rpcUrl, dead])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).field).toBe('chains[0].rpcUrls[1]')
    expect((error as ConfigError).message).toContain('is unreachable')
    expect((error as ConfigError).message).toContain(dead)
  })
})
