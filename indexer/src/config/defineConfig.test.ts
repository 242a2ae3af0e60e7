import { defaultHaircutOptions } from '@ballast/sdk'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/ConfigError.js'
import { IndexerError } from '../errors/IndexerError.js'
import { defineConfig } from './defineConfig.js'
import { DEFAULT_FEED_MAX_AGE, type FeedConfig, type IndexerConfig } from './IndexerConfig.js'

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const POOL = `0x${'ab'.repeat(32)}` as const

function base(): IndexerConfig {
  return {
    chains: [{ chainId: 31337, rpcUrls: ['http://127.0.0.1:8545'], finalityDepth: 4, startBlock: 0 }],
    pools: [{ id: POOL, registries: { 31337: TOKEN } }],
    assets: [{ symbol: 'USDC', decimals: 6, tokens: { 31337: TOKEN } }],
  }
}

function fieldOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toBeInstanceOf(IndexerError)
    expect((error as ConfigError).retryable).toBe(false)
    return (error as ConfigError).field
  }
  throw new Error('expected a ConfigError')
}

describe('defineConfig', () => {
  it('fills defaults and lower-cases addresses', () => {
    const config = defineConfig(base())
    expect(config.database).toEqual({ kind: 'sqlite', file: '.ballast/ballast.sqlite' })
    expect(config.chains[0]).toMatchObject({
      name: 'chain-31337',
      maxBlockRange: 10_000,
      pollingInterval: 1_000,
    })
    expect(config.assets[0]?.tokens[31337]).toBe(TOKEN.toLowerCase())
    expect(defineConfig({ ...base(), database: 'postgres://u@127.0.0.1/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1/db',
      schema: undefined,
      poolSize: 4,
    })
  })

  it('names the field of a bad address', () => {
    const config = base()
    const error = (() => {
      try {
        defineConfig({ ...config, assets: [{ symbol: 'USDC', decimals: 6, tokens: { 31337: '0x1234' } }] })
      } catch (e) {
        return e as ConfigError
      }
      return undefined
    })()
    expect(error?.field).toBe('assets[0].tokens.31337')
    expect(error?.message).toBe(
      'Invalid config: assets[0].tokens.31337 must be a 20-byte hex address (0x followed by 40 hex digits).\n\nDetails: assets[0].tokens.31337 = "0x1234"',
    )
  })

  it('names the field of an unknown chain, a bad URL, a bad number and a missing pool source', () => {
    expect(
      fieldOf(() =>
        defineConfig({ ...base(), assets: [{ symbol: 'X', decimals: 6, tokens: { 1: TOKEN } }] }),
      ),
    ).toBe('assets[0].tokens.1')
    const chains = [{ chainId: 31337, rpcUrls: ['ftp://x'], finalityDepth: 4, startBlock: 0 }]
    expect(fieldOf(() => defineConfig({ ...base(), chains }))).toBe('chains[0].rpcUrls[0]')
    // A ws(s) URL only subscribes to heads: calls need an http(s) one.
    const wsOnly = [{ chainId: 31337, rpcUrls: ['ws://x'], finalityDepth: 4, startBlock: 0 }]
    expect(fieldOf(() => defineConfig({ ...base(), chains: wsOnly }))).toBe('chains[0].rpcUrls')
    const negative = [{ chainId: 31337, rpcUrls: ['http://x'], finalityDepth: -1, startBlock: 0 }]
    expect(fieldOf(() => defineConfig({ ...base(), chains: negative }))).toBe('chains[0].finalityDepth')
    expect(fieldOf(() => defineConfig({ ...base(), chains: [] }))).toBe('chains')
    expect(fieldOf(() => defineConfig({ ...base(), pools: [{ id: POOL }] }))).toBe('pools[0]')
    expect(fieldOf(() => defineConfig({ ...base(), pools: [{ id: '0x12', registries: {} }] }))).toBe(
      'pools[0].id',
    )
    expect(fieldOf(() => defineConfig({ ...base(), database: { kind: 'postgres', url: 'mysql://x' } }))).toBe(
      'database.url',
    )
    const twice = [base().chains[0], base().chains[0]] as IndexerConfig['chains']
    expect(fieldOf(() => defineConfig({ ...base(), chains: twice }))).toBe('chains[1].chainId')
  })

  it('takes a subgraph source instead of rpcUrls, never both, and names the field of a bad one', () => {
    const chain = { chainId: 31337, finalityDepth: 4, startBlock: 0 }
    const url = 'http://127.0.0.1:8000/subgraphs/name/ballast/devnet'
    const resolved = defineConfig({ ...base(), chains: [{ ...chain, subgraph: { url } }] }).chains[0]
    expect(resolved?.subgraph).toEqual({ url })
    expect(resolved?.rpcUrls).toEqual([])
    expect(defineConfig(base()).chains[0]?.subgraph).toBeUndefined()
    const both = [{ ...chain, rpcUrls: ['http://x'], subgraph: { url } }]
    expect(fieldOf(() => defineConfig({ ...base(), chains: both }))).toBe('chains[0].subgraph')
    const bad = [{ ...chain, subgraph: { url: 'ftp://x' } }]
    expect(fieldOf(() => defineConfig({ ...base(), chains: bad }))).toBe('chains[0].subgraph.url')
    const notObject = [{ ...chain, subgraph: url as never }]
    expect(fieldOf(() => defineConfig({ ...base(), chains: notObject }))).toBe('chains[0].subgraph')
    expect(fieldOf(() => defineConfig({ ...base(), chains: [chain] }))).toBe('chains[0].rpcUrls')
    const holder = '0x00000000000000000000000000000000000000aa' as const
    const members = [{ id: POOL, name: 'm', liabilityTokens: {}, holders: { 31337: [holder] } }]
    expect(
      fieldOf(() =>
        defineConfig({
          ...base(),
          chains: [{ ...chain, subgraph: { url } }],
          pools: [{ id: POOL, members }],
        }),
      ),
    ).toBe('pools[0].members[0].holders.31337')
    try {
      defineConfig({ ...base(), chains: both })
    } catch (error) {
      expect((error as ConfigError).shortMessage).toBe(
        'Invalid config: chains[0].subgraph cannot be combined with rpcUrls.',
      )
    }
  })
})

describe('defineConfig priceHistory', () => {
  it('defaults to daily samples over 90 days, fills a missing part, and turns off with false', () => {
    expect(defineConfig(base()).priceHistory).toEqual({ interval: 86_400, points: 90 })
    expect(defineConfig({ ...base(), priceHistory: { interval: 300 } }).priceHistory).toEqual({
      interval: 300,
      points: 90,
    })
    expect(defineConfig({ ...base(), priceHistory: false }).priceHistory).toBeUndefined()
  })

  it('refuses sampling the volatility estimate cannot use, naming the field', () => {
    expect(fieldOf(() => defineConfig({ ...base(), priceHistory: { interval: 0 } }))).toBe(
      'priceHistory.interval',
    )
    expect(fieldOf(() => defineConfig({ ...base(), priceHistory: { points: 2 } }))).toBe(
      'priceHistory.points',
    )
    expect(fieldOf(() => defineConfig({ ...base(), priceHistory: { points: 1.5 } }))).toBe(
      'priceHistory.points',
    )
    expect(() => defineConfig({ ...base(), priceHistory: 'daily' as never })).toThrow(
      'Invalid config: priceHistory must be { interval, points } or false.',
    )
  })
})

describe('defineConfig feed heartbeat', () => {
  const FEED = '0x0000000000000000000000000000000000000f0f'
  const fed = (feed: FeedConfig): IndexerConfig => ({
    ...base(),
    assets: [{ symbol: 'USDC', decimals: 6, tokens: { 31337: TOKEN }, feed }],
    liabilities: [{ symbol: 'mUSD', feed }],
  })

  it('resolves a feed without maxAge to the documented 86,400 s, its composed feed too', () => {
    const config = defineConfig(
      fed({
        chainId: 31337,
        address: FEED,
        decimals: 8,
        times: { chainId: 31337, address: FEED, decimals: 8 },
      }),
    )
    expect(DEFAULT_FEED_MAX_AGE).toBe(86_400)
    expect(config.assets[0]?.feed?.maxAge).toBe(86_400)
    expect(config.assets[0]?.feed?.times?.maxAge).toBe(86_400)
    expect(config.liabilities[0]?.feed?.maxAge).toBe(86_400)
    // The sdk's age limit for a state without a heartbeat is the same: no default disagrees.
    expect(DEFAULT_FEED_MAX_AGE).toBe(defaultHaircutOptions.maxPriceAge)
  })

  it("keeps a feed's own maxAge and names the field of a bad one", () => {
    const config = defineConfig(fed({ chainId: 31337, address: FEED, decimals: 8, maxAge: 3_600 }))
    expect(config.assets[0]?.feed?.maxAge).toBe(3_600)
    expect(fieldOf(() => defineConfig(fed({ chainId: 31337, address: FEED, decimals: 8, maxAge: 0 })))).toBe(
      'assets[0].feed.maxAge',
    )
  })
})

describe('defineConfig liquidity targets', () => {
  const withTargets = (liquidityTargets: unknown) =>
    defineConfig({
      ...base(),
      pools: [{ id: POOL, registries: { 31337: TOKEN }, liquidityTargets } as IndexerConfig['pools'][number]],
    })

  it('keeps a pool’s liquidity targets by chain id, and none when absent', () => {
    const targets = { 31337: { minLiquidityUsd: '5000', targetLiquidityUsd: '8000.5' } }
    expect(withTargets(targets).pools[0]?.liquidityTargets).toEqual(targets)
    expect(defineConfig(base()).pools[0]?.liquidityTargets).toBeUndefined()
  })

  it('names the field of an unknown chain, a bad amount and a target below the minimum', () => {
    expect(fieldOf(() => withTargets({ 1: { minLiquidityUsd: '1', targetLiquidityUsd: '2' } }))).toBe(
      'pools[0].liquidityTargets.1',
    )
    expect(fieldOf(() => withTargets({ 31337: { minLiquidityUsd: '1e3', targetLiquidityUsd: '2' } }))).toBe(
      'pools[0].liquidityTargets.31337.minLiquidityUsd',
    )
    expect(fieldOf(() => withTargets({ 31337: { minLiquidityUsd: '-1', targetLiquidityUsd: '2' } }))).toBe(
      'pools[0].liquidityTargets.31337.minLiquidityUsd',
    )
    expect(fieldOf(() => withTargets({ 31337: { minLiquidityUsd: '1' } }))).toBe(
      'pools[0].liquidityTargets.31337.targetLiquidityUsd',
    )
    expect(fieldOf(() => withTargets({ 31337: { minLiquidityUsd: '10', targetLiquidityUsd: '9' } }))).toBe(
      'pools[0].liquidityTargets.31337.targetLiquidityUsd',
    )
  })
})
