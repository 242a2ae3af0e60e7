import { bpsToWad, evaluatePool, WAD } from '@ballast/sdk'
import type { Address, Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import type { SubgraphSnapshot } from '../client/readSubgraph.js'
import { poolStateFromSubgraphs, type SubgraphPoolConfig } from './poolStateFromSubgraphs.js'

// Snapshots in graph-node's JSON, as `readSubgraph` returns them (the parity test covers real ones).
const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const pool = `0x${'01'.repeat(32)}` as Hex
const memberId = `0x${'02'.repeat(32)}`
const member = `${pool}${memberId.slice(2)}`
const [usdc, vault, feed, liability, holder, liabilityB] = [a(1), a(2), a(3), a(4), a(5), a(6)]
const config: SubgraphPoolConfig = {
  chains: [
    { chainId: 1, name: 'one', eid: 101 },
    { chainId: 2, name: 'two', eid: 102 },
  ],
  assets: [
    {
      symbol: 'USDC',
      decimals: 6,
      tokens: { 1: usdc },
      // As `defineConfig` resolves a feed without a heartbeat: the one-day default.
      feed: { chainId: 1, address: feed, decimals: 8, maxAge: 86_400 },
    },
    { symbol: 'vUSDC', kind: 'erc4626', decimals: 6, tokens: { 1: vault }, underlying: 'USDC' },
  ],
}
const ts = 1_700_000_000
const chainOne: SubgraphSnapshot = {
  block: { number: 10, hash: `0x${'aa'.repeat(32)}` },
  entities: {
    Pool: [{ id: pool, name: 'p', minRatioBps: 10_000, targetRatioBps: 12_000 }],
    Member: [
      {
        id: member,
        pool: { id: pool },
        memberId,
        name: 'm',
        liabilityToken: { id: liability },
        active: true,
      },
    ],
    Holder: [{ id: holder, member: { id: member }, active: true }],
    Token: [{ id: liability, kind: 'liability', symbol: 'mUSD', decimals: 6, totalSupply: '1000000000' }],
    Balance: [
      { token: { id: usdc }, holder: { id: holder }, amount: '600000000' },
      { token: { id: vault }, holder: { id: holder }, amount: '400000000' },
    ],
    Vault: [{ id: vault, totalAssets: '500000000', totalSupply: '400000000' }],
    PriceFeed: [{ id: feed, answer: '100000000', updatedAt: String(ts) }],
    RiskParameterUpdate: [
      {
        pool,
        asset: usdc,
        haircutFloorBps: 200,
        liquidationThresholdBps: 9_000,
        liquidationHorizon: '86400',
        effectiveAt: String(ts - 10),
        blockNumber: '5',
        logIndex: '0',
      },
      // Not in force yet at `ts`.
      {
        pool,
        asset: usdc,
        haircutFloorBps: 5_000,
        liquidationThresholdBps: 5_000,
        liquidationHorizon: '86400',
        effectiveAt: String(ts + 10),
        blockNumber: '9',
        logIndex: '0',
      },
    ],
    OftSent: [
      { id: `0x${'cc'.repeat(32)}`, oft: liability, dstEid: 102, from: a(9), amountReceivedLD: '250000000' },
    ],
  },
}
const chainTwo: SubgraphSnapshot = {
  block: { number: 20, hash: `0x${'bb'.repeat(32)}` },
  entities: {
    Member: [
      {
        id: member,
        pool: { id: pool },
        memberId,
        name: 'm',
        liabilityToken: { id: liabilityB },
        active: true,
      },
    ],
    Token: [{ id: liabilityB, kind: 'liability', symbol: 'mUSD', decimals: 6, totalSupply: '0' }],
  },
}
const snapshots = new Map([
  [1, chainOne],
  [2, chainTwo],
])

describe('poolStateFromSubgraphs', () => {
  it('builds holdings, vault shares, liabilities, in flight and risk parameters in force', () => {
    const state = poolStateFromSubgraphs(snapshots, config, pool, ts)
    expect(state.members).toEqual([
      {
        id: memberId,
        name: 'm',
        poolId: pool,
        liabilityAsset: 'mUSD',
        holdings: [
          { chainId: 1, asset: 'USDC', amount: 600_000_000n, decimals: 6 },
          { chainId: 1, asset: 'vUSDC', amount: 400_000_000n, decimals: 6 },
        ],
        liabilities: [
          { chainId: 1, supply: 1_000_000_000n, decimals: 6 },
          { chainId: 2, supply: 0n, decimals: 6 },
        ],
        inFlight: [
          {
            guid: `0x${'cc'.repeat(32)}`,
            asset: 'mUSD',
            fromChainId: 1,
            toChainId: 2,
            amount: 250_000_000n,
            decimals: 6,
          },
        ],
      },
    ])
    // OpenZeppelin ERC4626 valuation: 10^6 * (500e6 + 1) / (400e6 + 1).
    expect(state.assets.find((x) => x.symbol === 'vUSDC')).toMatchObject({
      assetsPerShare: (10n ** 6n * 500_000_001n) / 400_000_001n,
    })
    expect(state.riskParameters.find((r) => r.asset === 'USDC')?.haircutFloor).toBe(bpsToWad(200))
    // Without parameters an asset counts for nothing (the indexer's rule), and the state says so.
    expect(state.riskParameters.find((r) => r.asset === 'vUSDC')?.haircutFloor).toBe(WAD)
    expect(state.degraded?.map((d) => `${d.code}:${d.asset}`)).toContain('unassessed:vUSDC')
    expect(evaluatePool(state).liabilitiesUsd).toBe(1_250n * 10n ** 18n)
  })

  it('serves a kind the mappings do not follow as degraded, never guessed', () => {
    const rebasing = {
      ...config,
      assets: [
        ...config.assets,
        { symbol: 'stETH', kind: 'rebasing-shares' as const, decimals: 18, tokens: { 1: a(9) } },
      ],
    }
    const withBalance = new Map(snapshots)
    const one = snapshots.get(1) as SubgraphSnapshot
    withBalance.set(1, {
      ...one,
      entities: {
        ...one.entities,
        Balance: [
          ...(one.entities.Balance ?? []),
          { id: 'x', holder: { id: holder }, token: { id: a(9) }, amount: '5' },
        ],
      },
    })
    const state = poolStateFromSubgraphs(withBalance, rebasing, pool, ts)
    expect(state.members[0]?.holdings.map((h) => h.asset)).not.toContain('stETH')
    expect(state.degraded?.find((d) => d.asset === 'stETH')?.message).toContain(
      'does not follow rebasing-shares',
    )
  })

  it("flags a held asset's answer older than its feed's heartbeat as stale-price, and not at it", () => {
    const heartbeat = config.assets[0]?.feed?.maxAge ?? 0
    const atHeartbeat = poolStateFromSubgraphs(snapshots, config, pool, ts + heartbeat)
    expect(atHeartbeat.degraded?.map((d) => d.code)).not.toContain('stale-price')
    const past = poolStateFromSubgraphs(snapshots, config, pool, ts + heartbeat + 1)
    expect(past.degraded?.filter((d) => d.code === 'stale-price')).toEqual([
      expect.objectContaining({
        asset: 'USDC',
        message: expect.stringContaining("86401 s old, past its feed's heartbeat of 86400 s"),
      }),
      // The vault share rests on the same feed.
      expect.objectContaining({
        asset: 'vUSDC',
        message: expect.stringContaining("vUSDC's underlying USDC is 86401 s old"),
      }),
    ])
  })

  describe('a composed feed (stETH/ETH on chain 1 x ETH/USD on chain 2)', () => {
    const [wsteth, stEthEth, ethUsd] = [a(20), a(21), a(22)]
    const composed: SubgraphPoolConfig = {
      ...config,
      assets: [
        ...config.assets,
        {
          symbol: 'stETH',
          decimals: 18,
          tokens: { 1: wsteth },
          feed: {
            chainId: 1,
            address: stEthEth,
            decimals: 18,
            maxAge: 86_400,
            times: { chainId: 2, address: ethUsd, decimals: 8, maxAge: 3_600 },
          },
        },
      ],
    }
    const withFeeds = (ethUsdRow: Record<string, unknown>[]) => {
      const one = snapshots.get(1) as SubgraphSnapshot
      const two = snapshots.get(2) as SubgraphSnapshot
      return new Map([
        [
          1,
          {
            ...one,
            entities: {
              ...one.entities,
              Balance: [
                ...(one.entities.Balance ?? []),
                { token: { id: wsteth }, holder: { id: holder }, amount: String(2n * 10n ** 18n) },
              ],
              PriceFeed: [
                ...(one.entities.PriceFeed ?? []),
                { id: stEthEth, answer: '998000000000000000', updatedAt: String(ts - 100) },
              ],
              RiskParameterUpdate: [],
            },
          },
        ],
        [2, { ...two, entities: { ...two.entities, PriceFeed: ethUsdRow } }],
      ])
    }

    it("multiplies the two answers as the indexer does: the first feed's decimals, the older time, the shorter heartbeat", () => {
      const state = poolStateFromSubgraphs(
        withFeeds([{ id: ethUsd, answer: String(3_000n * 10n ** 8n), updatedAt: String(ts - 50) }]),
        composed,
        pool,
        ts,
      )
      // 0.998 ETH per stETH x 3,000 USD per ETH = 2,994 USD, in the stETH/ETH feed's 18 decimals.
      expect(state.assets.find((x) => x.symbol === 'stETH')).toMatchObject({
        kind: 'erc20',
        price: { answer: 2_994n * 10n ** 18n, decimals: 18, updatedAt: ts - 100, maxAge: 3_600 },
      })
      const e = evaluatePool(state)
      expect(e.assets.find((x) => x.asset === 'stETH')?.grossReservesUsd).toBe(5_988n * 10n ** 18n)
      expect(state.degraded?.map((d) => d.code)).not.toContain('stale-price')
    })

    it('is stale past the shorter heartbeat, and unpriced (never a one-feed number) without the second answer', () => {
      const stale = poolStateFromSubgraphs(
        withFeeds([{ id: ethUsd, answer: String(3_000n * 10n ** 8n), updatedAt: String(ts - 50) }]),
        composed,
        pool,
        ts - 100 + 3_601,
      )
      expect(stale.degraded?.find((d) => d.code === 'stale-price' && d.asset === 'stETH')?.message).toBe(
        "The price of stETH is 3601 s old, past its feed's heartbeat of 3600 s.",
      )
      const unpriced = poolStateFromSubgraphs(withFeeds([]), composed, pool, ts)
      expect(unpriced.assets.map((x) => x.symbol)).not.toContain('stETH')
      expect(unpriced.degraded?.find((d) => d.asset === 'stETH')).toMatchObject({
        code: 'unpriced',
        message: expect.stringContaining(`Feed ${ethUsd} on chain 2 has no answer in its subgraph.`),
      })
    })
  })

  it("carries the config's liquidity targets, as the indexer's path does", () => {
    expect(poolStateFromSubgraphs(snapshots, config, pool, ts).pools[0]!.liquidityTargets).toEqual([])
    const withTargets: SubgraphPoolConfig = {
      ...config,
      pools: [
        { id: pool, liquidityTargets: { 2: { minLiquidityUsd: '1200.5', targetLiquidityUsd: '1400' } } },
      ],
    }
    expect(poolStateFromSubgraphs(snapshots, withTargets, pool, ts).pools[0]!.liquidityTargets).toEqual([
      { chainId: 2, minLiquidityUsd: 1_200_500_000_000_000_000_000n, targetLiquidityUsd: 1_400n * WAD },
    ])
  })

  it('rejects a pool no subgraph has', () => {
    expect(() => poolStateFromSubgraphs(snapshots, config, `0x${'09'.repeat(32)}`, ts)).toThrow(
      'Unknown pool.',
    )
  })
})
