import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/ConfigError.js'
import { defineConfig } from './defineConfig.js'

const pools = [
  {
    id: `0x${'01'.repeat(32)}` as const,
    registries: { 8453: '0x000000000000000000000000000000000000a001' as const },
  },
]

describe("chains by name (chain: 'base')", () => {
  it('fills chain id, name, block time, Multicall3, eid and a default finality from viem and the sdk', () => {
    const [base] = defineConfig({
      chains: [{ chain: 'base', rpcUrls: ['https://base.example/v2/key'], startBlock: 1 }],
      pools,
      assets: [],
    }).chains
    expect(base).toMatchObject({
      chain: 'base',
      chainId: 8453,
      name: 'Base',
      blockTime: 2,
      multicall3: '0xca11bde05977b3631167028862be2a173976ca11',
      eid: 30184,
      finality: 'tag',
      // 768 s of 2 s blocks.
      finalityDepth: 384,
    })
  })

  it('lets given values win, and names the field of a bad name or a mismatched chain id', () => {
    const [eth] = defineConfig({
      chains: [
        { chain: 'ethereum', rpcUrls: ['http://x'], startBlock: 0, finalityDepth: 10, finality: 'depth' },
      ],
      pools: [{ id: pools[0]!.id, registries: { 1: '0x000000000000000000000000000000000000a001' } }],
      assets: [],
    }).chains
    expect(eth).toMatchObject({ chainId: 1, blockTime: 12, finalityDepth: 10, finality: 'depth', eid: 30101 })
    const bad = (() => {
      try {
        return defineConfig({
          chains: [{ chain: 'atlantis', rpcUrls: ['http://x'], startBlock: 0 }],
          pools,
          assets: [],
        })
      } catch (e) {
        return e
      }
    })()
    expect(bad).toBeInstanceOf(ConfigError)
    expect((bad as ConfigError).field).toBe('chains[0].chain')
    expect(() =>
      defineConfig({
        chains: [{ chain: 'base', chainId: 1, rpcUrls: ['http://x'], startBlock: 0 }],
        pools,
        assets: [],
      }),
    ).toThrow('Invalid config: chains[0].chainId is not the chain id of base (8453).')
  })

  it('keeps chains given by id on depth finality, with viem block times where known', () => {
    const [arb, local] = defineConfig({
      chains: [
        { chainId: 42161, rpcUrls: ['http://x'], startBlock: 0, finalityDepth: 20 },
        { chainId: 987_654, rpcUrls: ['http://y'], startBlock: 0, finalityDepth: 2 },
      ],
      pools: [{ id: pools[0]!.id, registries: { 42161: '0x000000000000000000000000000000000000a001' } }],
      assets: [],
    }).chains
    expect(arb).toMatchObject({ finality: 'depth', blockTime: 0.25, eid: undefined })
    expect(local).toMatchObject({ finality: 'depth', blockTime: 12 })
  })
})
