import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createChainRpc } from './createChainRpc.js'
import { createFinality } from './createFinality.js'

describe('createFinality', () => {
  let chain: TestChain
  beforeAll(async () => {
    chain = await startTestChain(32_144)
    await chain.mine(100)
  })
  afterAll(async () => {
    await chain?.stop()
  })

  const rpcFor = (finality: 'tag' | 'depth') => {
    const config = defineConfig({
      chains: [{ chainId: 32_144, rpcUrls: [chain.rpcUrl], finalityDepth: 5, finality, startBlock: 0 }],
      pools: [
        { id: `0x${'01'.repeat(32)}`, registries: { 32144: '0x000000000000000000000000000000000000a001' } },
      ],
      assets: [],
    })
    const c = config.chains[0] as (typeof config.chains)[number]
    return { rpc: createChainRpc(c), chain: c }
  }

  it("uses the node's finalized tag where it answers, and the depth with finality: 'depth'", async () => {
    const head = await chain.head()
    const tagged = await chain.request<{ number: string }>('eth_getBlockByNumber', ['finalized', false])
    const t = rpcFor('tag')
    expect(await createFinality(t.rpc, t.chain)(head)).toBe(Math.min(head, Number(tagged.number)))
    const d = rpcFor('depth')
    expect(await createFinality(d.rpc, d.chain)(head)).toBe(head - 5)
    expect(d.rpc.stats.methods.eth_getBlockByNumber ?? 0).toBe(0)
  })

  it('falls back to the depth for good when the node does not know the tag', async () => {
    const t = rpcFor('tag')
    let calls = 0
    // A node without the tag (an old client): the real client, with the tag refused as such a node does.
    const old = {
      getBlock: (block: Parameters<typeof t.rpc.getBlock>[0]) => {
        calls++
        return block === 'finalized' ? t.rpc.getBlock('finalized_unknown' as never) : t.rpc.getBlock(block)
      },
    }
    const finalizedFor = createFinality(old, t.chain)
    expect(await finalizedFor(100)).toBe(95)
    expect(await finalizedFor(101)).toBe(96)
    expect(calls).toBe(1)
  })
})
