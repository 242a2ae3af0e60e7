import { sql } from 'kysely'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { defineConfig } from '../config/defineConfig.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { createDatabase } from './createDatabase.js'
import { rollbackChain } from './rollbackChain.js'
import { decodeUint256, encodeUint256 } from './uint256.js'

const MAX = 2n ** 256n - 1n

for (const dialect of DIALECTS) {
  describe(`storage on ${dialect}`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    it('migrates, stores uint256 losslessly and returns block numbers as numbers', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      await db
        .insertInto('supplies')
        .values([
          { chain_id: 1, block_number: 2 ** 40, log_index: 0, token: '0xt', supply: encodeUint256(MAX) },
          { chain_id: 1, block_number: 5, log_index: 1, token: '0xt', supply: encodeUint256(7n) },
        ])
        .execute()
      const rows = await db.selectFrom('supplies').selectAll().orderBy('supply', 'desc').execute()
      expect(rows.map((r) => [r.block_number, decodeUint256(r.supply)])).toEqual([
        [2 ** 40, MAX],
        [5, 7n],
      ])
      expect(typeof rows[0]?.block_number).toBe('number')
    })

    it('rolls a chain back above the fork block and leaves other chains alone', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      await db
        .insertInto('sync_state')
        .values([
          {
            chain_id: 1,
            block_number: 12,
            block_hash: '0x12',
            block_timestamp: 120,
            finalized_block_number: 2,
            head_block_number: 12,
          },
          {
            chain_id: 2,
            block_number: 12,
            block_hash: '0x22',
            block_timestamp: 120,
            finalized_block_number: 2,
            head_block_number: 12,
          },
        ])
        .execute()
      const rows = [10, 11, 12].flatMap((block) =>
        [1, 2].map((chain) => ({
          chain_id: chain,
          block_number: block,
          log_index: 0,
          token: '0xt',
          holder: '0xh',
          balance: encodeUint256(BigInt(block)),
        })),
      )
      await db.insertInto('balances').values(rows).execute()
      await db
        .transaction()
        .execute((trx) => rollbackChain(trx, 1, { number: 10, hash: '0x10', timestamp: 100 }))
      const left = await db
        .selectFrom('balances')
        .select(['chain_id', 'block_number'])
        .orderBy('chain_id')
        .orderBy('block_number')
        .execute()
      expect(left).toEqual([
        { chain_id: 1, block_number: 10 },
        { chain_id: 2, block_number: 10 },
        { chain_id: 2, block_number: 11 },
        { chain_id: 2, block_number: 12 },
      ])
      const state = await db.selectFrom('sync_state').selectAll().orderBy('chain_id').execute()
      expect(state.map((s) => [s.block_number, s.block_hash])).toEqual([
        [10, '0x10'],
        [12, '0x22'],
      ])
    })
  })
}

describe('PostgreSQL pool size', () => {
  let test: TestDatabase | undefined
  afterEach(async () => {
    await test?.cleanup()
    test = undefined
  })

  it("opens at most the config's poolSize connections, however many queries wait", async () => {
    test = await createTestDatabase('postgres', inject('ballastPostgresUrl'))
    const { url, schema } = test.config as { url: string; schema?: string }
    const config = defineConfig({
      database: { kind: 'postgres', url, ...(schema === undefined ? {} : { schema }), poolSize: 2 },
      chains: [{ chainId: 1, rpcUrls: ['http://127.0.0.1:9'], finalityDepth: 2, startBlock: 0 }],
      pools: [],
      assets: [],
    })
    expect(config.database).toMatchObject({ poolSize: 2 })
    const database = await createDatabase(config.database, { migrate: false })
    try {
      // A marker only these sleeps carry, to count their server backends apart from any other.
      const marker = `pool_size_${process.pid}_${Date.now()}`
      const sleeps = Array.from({ length: 6 }, () =>
        sql`select pg_sleep(0.4), ${sql.lit(marker)}::text as marker`.execute(database.db),
      )
      const running = async () =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from pg_stat_activity
              where state = 'active' and query like ${`%${marker}%`} and pid <> pg_backend_pid()`.execute(
              test!.db,
            )
          ).rows[0]?.n,
        )
      let done = false
      const all = Promise.all(sleeps).finally(() => {
        done = true
      })
      // Sampled until every sleep has returned: the most ever running at once.
      let most = 0
      while (!done) most = Math.max(most, await running())
      await all
      // Six queries of 0.4 s on two connections: three rounds, never more than two at once.
      expect(most).toBe(2)
    } finally {
      await database.destroy()
    }
  })
})
