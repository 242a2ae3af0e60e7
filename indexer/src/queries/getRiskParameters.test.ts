import { afterEach, describe, expect, inject, it } from 'vitest'
import { defineConfig } from '../config/defineConfig.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { getRiskParameters } from './getRiskParameters.js'
import { resolveAt } from './resolveAt.js'

const ASSET = '0x000000000000000000000000000000000000a002'
const config = defineConfig({
  chains: [{ chainId: 1, rpcUrls: ['http://127.0.0.1:1'], finalityDepth: 1, startBlock: 0 }],
  pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 1: ASSET } }],
  assets: [{ symbol: 'USDC', decimals: 6, tokens: { 1: ASSET } }],
})

for (const dialect of DIALECTS) {
  describe(`getRiskParameters (${dialect})`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    it('applies an update from its effectiveAt, and time-travels by timestamp', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      const update = (block: number, floor: number, effectiveAt: number) => ({
        chain_id: 1,
        block_number: block,
        log_index: 0,
        registry: '0xr',
        pool_id: '0xp',
        asset: ASSET,
        haircut_floor_bps: floor,
        liquidation_threshold_bps: 9_000,
        liquidation_horizon: 86_400,
        effective_at: effectiveAt,
      })
      // Block 10 (t=1000) sets 2% at once; block 20 (t=2000) schedules 5% from t=2600.
      await db
        .insertInto('risk_parameters')
        .values([update(10, 200, 1000), update(20, 500, 2600)])
        .execute()
      await db
        .insertInto('blocks')
        .values(
          [10, 20, 30].map((n) => ({
            chain_id: 1,
            block_number: n,
            log_index: -1,
            hash: `0x${n}`,
            parent_hash: '',
            timestamp: n * 100,
          })),
        )
        .execute()
      await db
        .insertInto('sync_state')
        .values({
          chain_id: 1,
          block_number: 30,
          block_hash: '0x30',
          block_timestamp: 3000,
          finalized_block_number: 30,
          head_block_number: 30,
        })
        .execute()
      const ctx = { db, config }
      const floorAt = async (timestamp?: number) =>
        (await getRiskParameters(ctx, { at: timestamp === undefined ? undefined : { timestamp } }))[0]
          ?.haircutFloorBps
      expect(await floorAt(900)).toBeUndefined()
      expect(await floorAt(1500)).toBe(200)
      expect(await floorAt(2500)).toBe(200) // scheduled, not yet effective
      expect(await floorAt(2600)).toBe(500)
      expect(await floorAt()).toBe(500) // latest: t = 3000
    })

    it('at pinned blocks, counts only changes at or before the pinned block of their chain, whatever comes later', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      const twoChains = defineConfig({
        chains: [1, 2].map((chainId) => ({
          chainId,
          rpcUrls: ['http://127.0.0.1:1'],
          finalityDepth: 1,
          startBlock: 0,
        })),
        pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 1: ASSET, 2: ASSET } }],
        assets: [{ symbol: 'USDC', decimals: 6, tokens: { 1: ASSET, 2: ASSET } }],
      })
      const update = (block: number, floor: number) => ({
        chain_id: 1,
        block_number: block,
        log_index: 0,
        registry: '0xr',
        pool_id: '0xp',
        asset: ASSET,
        haircut_floor_bps: floor,
        liquidation_threshold_bps: 9_000,
        liquidation_horizon: 86_400,
        effective_at: block * 100, // effective from the block that emits it
      })
      const header = (chainId: number, n: number) => ({
        chain_id: chainId,
        block_number: n,
        log_index: -1,
        hash: `0x${chainId}${n}`,
        parent_hash: '',
        timestamp: n * 100,
      })
      const syncState = (chainId: number, block: number) => ({
        chain_id: chainId,
        block_number: block,
        block_hash: `0x${chainId}${block}`,
        block_timestamp: block * 100,
        finalized_block_number: block,
        head_block_number: block,
      })
      // Chain 1: 2% at block 10, 5% at block 20; chain 2 indexed to block 50 (t = 5000).
      await db
        .insertInto('risk_parameters')
        .values([update(10, 200), update(20, 500)])
        .execute()
      await db
        .insertInto('blocks')
        .values([header(1, 10), header(1, 15), header(1, 20), header(2, 50)])
        .execute()
      await db
        .insertInto('sync_state')
        .values([syncState(1, 30), syncState(2, 50)])
        .execute()
      const ctx = { db, config: twoChains }
      const pinned = { blocks: { 1: 15, 2: 50 } }
      const answer = async () => ({
        time: (await resolveAt(ctx, pinned)).timestamp,
        floor: (await getRiskParameters(ctx, { at: pinned }))[0]?.haircutFloorBps,
      })
      // The state's time is the newest pinned block's (chain 2's, t = 5000): chain 1's change at
      // block 20 (effective at t = 2000 < 5000) is still after chain 1's pinned block 15.
      const before = await answer()
      expect(before).toEqual({ time: 5000, floor: 200 })
      // The indexer moves on and governance changes again: the pinned answer stays.
      await db.insertInto('risk_parameters').values(update(40, 900)).execute()
      await db.insertInto('blocks').values(header(1, 40)).execute()
      await db.updateTable('sync_state').set(syncState(1, 60)).where('chain_id', '=', 1).execute()
      expect(await answer()).toEqual(before)
      expect((await getRiskParameters(ctx))[0]?.haircutFloorBps).toBe(900)
    })
  })
}
