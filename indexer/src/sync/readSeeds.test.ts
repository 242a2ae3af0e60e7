import { createServer } from 'node:http'
import { deploy, type RunningChains, startChains, write } from '@ballast/devnet'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCountingProxy } from '../../test/countingProxy.js'
import { defineConfig } from '../config/defineConfig.js'
import { createChainRpc } from '../rpc/createChainRpc.js'
import { readSeeds } from './readSeeds.js'

describe('readSeeds', () => {
  let running: RunningChains
  let token: Address
  let mintedAt: number
  const holders: Address[] = [
    '0x00000000000000000000000000000000000000a1',
    '0x00000000000000000000000000000000000000a2',
    '0x00000000000000000000000000000000000000a3',
  ]
  beforeAll(async () => {
    running = await startChains({ count: 1 })
    const chain = running.chains[0] as RunningChains['chains'][number]
    const [from] = (await chain.wallet.getAddresses()) as [Address]
    token = (await deploy(chain, from, 'DevnetToken', ['Seed USD', 'sUSD', 6, from])).address
    for (const [i, h] of holders.entries())
      await write(chain, from, token, 'DevnetToken', 'mint', [h, BigInt(i + 1) * 1_000n])
    mintedAt = Number(await chain.public.getBlockNumber())
    await write(chain, from, token, 'DevnetToken', 'mint', [holders[0] as Address, 5n])
  }, 120_000)
  afterAll(async () => {
    await running?.stop()
  })

  it('reads balances and supply at a past block in one Multicall3 eth_call (the devnet places it)', async () => {
    const chain = running.chains[0] as RunningChains['chains'][number]
    const proxy = await startCountingProxy(chain.rpcUrl)
    try {
      const config = defineConfig({
        chains: [{ chainId: chain.chainId, rpcUrls: [proxy.url], finalityDepth: 0, startBlock: 0 }],
        pools: [],
        assets: [],
      })
      const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[number])
      const keys = [...holders.map((holder) => ({ token, holder })), { token, holder: undefined }]
      expect(await readSeeds(rpc, config.chains[0] as never, keys, mintedAt)).toEqual([
        1_000n,
        2_000n,
        3_000n,
        6_000n,
      ])
      expect(proxy.counts.methods.eth_call).toBe(1)
      // Before the token existed: nothing held. Before genesis: no call at all.
      expect(await readSeeds(rpc, config.chains[0] as never, keys, 0)).toEqual([0n, 0n, 0n, 0n])
      proxy.reset()
      expect(await readSeeds(rpc, config.chains[0] as never, keys, -1)).toEqual([0n, 0n, 0n, 0n])
      expect(proxy.counts.methods.eth_call).toBeUndefined()
    } finally {
      await proxy.close()
    }
  })

  it('names the chain, the block and the fix when the node has no state there', async () => {
    // A pruned node cannot run here: this server answers eth_call as one does (geth's message).
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        const calls = [JSON.parse(body)].flat() as { id: number }[]
        const answers = calls.map((c) => ({
          jsonrpc: '2.0',
          id: c.id,
          error: { code: -32000, message: 'missing trie node 9a3f (path ) state 0x9a3f is not available' },
        }))
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      const config = defineConfig({
        chains: [{ chainId: 1, name: 'mainnet', rpcUrls: [url], finalityDepth: 0, startBlock: 0 }],
        pools: [],
        assets: [],
      })
      const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[number], {
        maxAttempts: 2,
        backoff: 1,
      })
      const error = await readSeeds(
        rpc,
        config.chains[0] as never,
        [{ token, holder: undefined }],
        18_999_999,
      ).catch((e: unknown) => e)
      expect(String((error as Error).message)).toContain('Chain mainnet cannot serve state at block 18999999')
      expect(String((error as Error).message)).toMatch(/archive node URL.*or a later startBlock/)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
