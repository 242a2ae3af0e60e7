import { DEFAULT_FEED_MAX_AGE } from '@ballast/indexer'
import { describe, expect, it } from 'vitest'
import type { BenchTarget } from '../BenchTarget.js'
import { ballastConfigFor } from './ballastConfigFor.js'

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const

const target: BenchTarget = {
  poolId: `0x${'11'.repeat(32)}`,
  minter: a(99),
  members: [
    { name: 'aUSD', holders: { 901: [a(1)], 902: [a(3)] } },
    { name: 'bUSD', holders: { 901: [a(2)], 902: [a(4)] } },
  ],
  chains: [901, 902].map((chainId, i) => ({
    name: `c${i}`,
    chainId,
    rpcUrl: `http://127.0.0.1:${8545 + i}`,
    startBlock: 5,
    endBlock: 50,
    tokens: [
      {
        address: a(10),
        symbol: 'USDC',
        decimals: 6,
        kind: 'reserve' as const,
        ...(i === 0 ? { feed: a(20) } : {}),
      },
      { address: a(11), symbol: 'aUSD', decimals: 18, kind: 'liability' as const },
      { address: a(12), symbol: 'bUSD', decimals: 18, kind: 'liability' as const },
    ],
    holders: i === 0 ? [a(1), a(2)] : [a(3), a(4)],
    registries: [],
    feeds: i === 0 ? [a(20)] : [],
    ofts: [],
    vaults: [],
  })),
}

describe('ballastConfigFor', () => {
  it('gives Ballast the target’s chains, static members and reserve assets with their feed', () => {
    const config = ballastConfigFor(target, {
      database: '/tmp/x.sqlite',
      pollingInterval: 100,
      finalityDepth: 30,
    })
    expect(config.database).toEqual({ kind: 'sqlite', file: '/tmp/x.sqlite' })
    expect(config.chains.map((c) => [c.chainId, c.startBlock, c.pollingInterval, c.finalityDepth])).toEqual([
      [901, 5, 100, 30],
      [902, 5, 100, 30],
    ])
    const pool = config.pools[0]
    expect(pool?.id).toBe(target.poolId)
    expect(pool?.members?.map((m) => [m.name, m.liabilityTokens[902], m.holders[902]])).toEqual([
      ['aUSD', a(11), [a(3)]],
      ['bUSD', a(12), [a(4)]],
    ])
    expect(config.assets).toEqual([
      {
        symbol: 'USDC',
        kind: 'erc20',
        decimals: 6,
        tokens: { 901: a(10), 902: a(10) },
        ofts: undefined,
        // No heartbeat given: the documented one-day default.
        feed: { chainId: 901, address: a(20), decimals: 8, maxAge: DEFAULT_FEED_MAX_AGE },
      },
    ])
  })
})
