import { validatePoolState, WAD } from '@ballast/sdk'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { defineConfig } from '../config/defineConfig.js'
import { encodeUint256 } from '../storage/uint256.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { loadPoolState } from './loadPoolState.js'

const TOKEN = '0x000000000000000000000000000000000000a002'
const FEED = '0x000000000000000000000000000000000000a004'
const LIABILITY = '0x000000000000000000000000000000000000a005'
const HOLDER = '0x000000000000000000000000000000000000b001'
const POOL = `0x${'01'.repeat(32)}` as const
const MEMBER = `0x${'02'.repeat(32)}` as const
const config = defineConfig({
  chains: [{ chainId: 1, rpcUrls: ['http://127.0.0.1:1'], finalityDepth: 1, startBlock: 1 }],
  pools: [
    {
      id: POOL,
      name: 'main',
      minRatioBps: 11_000,
      targetRatioBps: 12_000,
      members: [{ id: MEMBER, name: 'm', liabilityTokens: { 1: LIABILITY }, holders: { 1: [HOLDER] } }],
    },
  ],
  assets: [
    { symbol: 'WETH', decimals: 18, tokens: { 1: TOKEN }, feed: { chainId: 1, address: FEED, decimals: 8 } },
  ],
})

for (const dialect of DIALECTS) {
  describe(`loadPoolState (${dialect})`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    it('builds a valid PoolState at a time, with sampled price history', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      // Block n has timestamp 100n. Prices at blocks 1..4 (updatedAt 100..400); the holder gets
      // 2 WETH at block 1 and 1 more at block 3; the liability supply is 3000e18 from block 1.
      await db
        .insertInto('blocks')
        .values(
          [1, 2, 3, 4].map((n) => ({
            chain_id: 1,
            block_number: n,
            log_index: -1,
            hash: `0x${n}`,
            parent_hash: '',
            timestamp: 100 * n,
          })),
        )
        .execute()
      await db
        .insertInto('prices')
        .values(
          [1, 2, 3, 4].map((n) => ({
            chain_id: 1,
            block_number: n,
            log_index: 0,
            feed: FEED,
            answer: encodeUint256(BigInt(2000 + n) * 10n ** 8n),
            round_id: encodeUint256(BigInt(n)),
            updated_at: 100 * n,
          })),
        )
        .execute()
      await db
        .insertInto('balances')
        .values([
          {
            chain_id: 1,
            block_number: 1,
            log_index: 1,
            token: TOKEN,
            holder: HOLDER,
            balance: encodeUint256(2n * WAD),
          },
          {
            chain_id: 1,
            block_number: 3,
            log_index: 1,
            token: TOKEN,
            holder: HOLDER,
            balance: encodeUint256(3n * WAD),
          },
        ])
        .execute()
      await db
        .insertInto('supplies')
        .values({
          chain_id: 1,
          block_number: 1,
          log_index: 2,
          token: LIABILITY,
          supply: encodeUint256(3000n * WAD),
        })
        .execute()
      await db
        .insertInto('sync_state')
        .values({
          chain_id: 1,
          block_number: 4,
          block_hash: '0x4',
          block_timestamp: 400,
          finalized_block_number: 3,
          head_block_number: 4,
        })
        .execute()
      const ctx = { db, config }

      const now = validatePoolState(
        await loadPoolState(ctx, POOL, { priceHistory: { interval: 100, points: 4 } }),
      )
      expect(now.timestamp).toBe(400)
      expect(now.blocks).toEqual([{ chainId: 1, blockNumber: 4n, timestamp: 400 }])
      expect(now.pools[0]).toMatchObject({
        id: POOL,
        minRatio: (11n * WAD) / 10n,
        targetRatio: (12n * WAD) / 10n,
      })
      const weth = now.assets.find((a) => a.symbol === 'WETH')
      expect(weth?.kind === 'erc20' && weth.price).toEqual({
        answer: 2004n * 10n ** 8n,
        decimals: 8,
        updatedAt: 400,
        // The config gives no heartbeat: defineConfig's default, which the state carries.
        maxAge: 86_400,
      })
      expect(weth?.kind === 'erc20' && weth.priceHistory).toEqual([
        { answer: 2001n * 10n ** 8n, updatedAt: 100 },
        { answer: 2002n * 10n ** 8n, updatedAt: 200 },
        { answer: 2003n * 10n ** 8n, updatedAt: 300 },
        { answer: 2004n * 10n ** 8n, updatedAt: 400 },
      ])
      expect(now.members[0]?.holdings).toEqual([
        { chainId: 1, asset: 'WETH', amount: 3n * WAD, decimals: 18 },
      ])
      expect(now.members[0]?.liabilities).toEqual([{ chainId: 1, supply: 3000n * WAD, decimals: 18 }])

      // At t = 250 (block 2): the earlier balance and price; history only where answers existed.
      const before = validatePoolState(
        await loadPoolState(ctx, POOL, {
          at: { timestamp: 250 },
          priceHistory: { interval: 100, points: 4 },
        }),
      )
      expect(before.blocks[0]?.blockNumber).toBe(2n)
      expect(before.members[0]?.holdings[0]?.amount).toBe(2n * WAD)
      const early = before.assets.find((a) => a.symbol === 'WETH')
      expect(early?.kind === 'erc20' && early.priceHistory?.map((p) => p.updatedAt)).toEqual([150, 250])
      // WETH has no RiskParametersUpdated: counted at a 100% haircut floor (conservative).
      expect(before.riskParameters.find((r) => r.asset === 'WETH')?.haircutFloor).toBe(WAD)
    })
  })
}
