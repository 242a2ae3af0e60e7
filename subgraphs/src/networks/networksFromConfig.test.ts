import { describe, expect, it } from 'vitest'
import { networksFromConfig, type SubgraphSourceConfig } from './networksFromConfig.js'

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const

const config: SubgraphSourceConfig = {
  chains: [
    { chainId: 1, name: 'one', startBlock: 100 },
    { chainId: 2, name: 'two', startBlock: 5 },
  ],
  pools: [{ registries: { 1: a(1) }, attestations: { 1: a(9), 2: a(10) } }],
  assets: [
    {
      symbol: 'USDC',
      kind: 'erc20',
      tokens: { 1: a(2), 2: a(3) },
      ofts: { 1: a(4) },
      feed: { chainId: 1, address: a(5) },
    },
    { symbol: 'vUSDC', kind: 'erc4626', tokens: { 1: a(6) } },
  ],
}

describe('networksFromConfig', () => {
  it('gives the subgraph each registry chain with its reserve tokens, vaults, OFTs, feeds and attestations', () => {
    expect(networksFromConfig(config, (c) => c.name)).toEqual([
      {
        name: 'one',
        contracts: { Registry: { address: a(1), startBlock: 100 } },
        context: {
          reserveTokens: [a(2)],
          vaults: [a(6)],
          ofts: [a(4)],
          feeds: [{ symbol: 'USDC', address: a(5) }],
          attestations: [a(9)],
        },
      },
    ])
  })

  it('refuses a kind its mappings do not follow, naming the asset', () => {
    const withAave = {
      ...config,
      assets: [...config.assets, { symbol: 'aUSDC', kind: 'aave-v3-atoken' as const, tokens: { 1: a(7) } }],
    }
    expect(() => networksFromConfig(withAave, (c) => c.name)).toThrow(
      'The subgraph cannot follow aUSDC (aave-v3-atoken) on one.',
    )
  })

  it('follows both feeds of a composed feed, each on its own chain, once', () => {
    const composed = {
      ...config,
      pools: [{ registries: { 1: a(1), 2: a(11) } }],
      assets: [
        { ...config.assets[0]!, feed: { chainId: 1, address: a(5), times: { chainId: 2, address: a(8) } } },
        { symbol: 'USDT', kind: 'erc20' as const, tokens: { 1: a(12) }, feed: { chainId: 2, address: a(8) } },
      ],
    }
    const feeds = networksFromConfig(composed, (c) => c.name).map((n) => [n.name, n.context?.feeds])
    expect(feeds).toEqual([
      ['one', [{ symbol: 'USDC', address: a(5) }]],
      ['two', [{ symbol: 'USDC.times', address: a(8) }]],
    ])
  })
})
