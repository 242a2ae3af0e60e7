import { erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addressesOf, HOLDERS, type Scenario, writeScenario } from '../../test/scenario.js'
import { encodeLog, startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { createChainRpc } from '../rpc/createChainRpc.js'
import type { IndexerDatabase } from '../storage/createDatabase.js'
import { isStaleSyncState } from '../storage/syncState.js'
import { decodeUint256 } from '../storage/uint256.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import { createChainSync } from './createChainSync.js'
import type { ChainSync } from './createSyncLoop.js'
import { runIndexer } from './runIndexer.js'

// A writer whose memory (cursor, running balances and supplies) went stale: another writer of the
// same chain moved it on and rolled it back meanwhile, then stopped (a standby that took over while
// this one was paused past its lease, and handed the lease back). Two syncs of one chain on one
// database stand for the two processes; the lease is left out, as after the other's release
// nothing but the stored cursor tells this writer that its memory is stale.
const FINALITY = 5

/** Steps until the chain is idle at its head; returns the errors the steps threw on the way. */
async function stepUntilIdle(sync: ChainSync): Promise<unknown[]> {
  const errors: unknown[] = []
  for (let i = 0; i < 200; i++) {
    try {
      if ((await sync.step()) === 'idle') return errors
    } catch (error) {
      errors.push(error)
      if (!isStaleSyncState(error)) throw error
    }
  }
  throw new Error('the sync did not reach the head in 200 steps')
}

describe('a writer whose chain another writer changed meanwhile', () => {
  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let chains: [TestChain, TestChain]
      let scenario: Scenario
      let config: ResolvedIndexerConfig
      const databases: (IndexerDatabase & { cleanup: () => Promise<void> })[] = []
      beforeAll(async () => {
        const base = dialect === 'sqlite' ? 32_151 : 32_153
        chains = [await startTestChain(base), await startTestChain(base + 1)]
        scenario = await writeScenario(chains, { blocks: 4, finalityDepth: FINALITY, seed: 5 })
        config = defineConfig(scenario.config)
      })
      afterAll(async () => {
        for (const database of databases) await database.cleanup()
        await Promise.all((chains ?? []).map((c) => c?.stop()))
      })

      it('is refused its next step, reloads its cursor and running totals from the database, and ends equal to a fresh index', async () => {
        const shared = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
        databases.push(shared)
        const [a] = chains
        const chain = config.chains.find((c) => c.chainId === a.chainId)!
        const writer = () => createChainSync({ config, chain, db: shared.db, rpc: createChainRpc(chain) })
        const x = addressesOf(0)
        const transfer = (value: bigint) =>
          encodeLog(x.usdc, erc20Abi, 'Transfer', { from: HOLDERS.two, to: HOLDERS.one, value })

        // The first writer indexes to the head: its running balances are in memory.
        const stale = writer()
        expect(await stepUntilIdle(stale)).toEqual([])

        // The other writer takes the chain from the database: new transfers, then a reorg that
        // replaces them (a rollback), then more; it then stops.
        const other = writer()
        await a.emitBlock([transfer(11n)])
        await a.emitBlock([transfer(12n)])
        expect(await stepUntilIdle(other)).toEqual([])
        await a.reorg(2, [transfer(1_000n)])
        await a.emitBlock([transfer(13n)])
        expect(await stepUntilIdle(other)).toEqual([])
        const otherState = await shared.db
          .selectFrom('sync_state')
          .selectAll()
          .where('chain_id', '=', a.chainId)
          .executeTakeFirstOrThrow()

        // The first writer comes back with its old cursor and balances: its step is refused (it
        // would store facts over blocks already stored and balances missing the other's
        // transfers), and the next ones reload everything from the database.
        await a.emitBlock([transfer(14n)])
        const errors = await stepUntilIdle(stale)
        expect(errors).toHaveLength(1)
        expect((errors[0] as Error).message).toContain(
          'Another writer changed this chain since this one read it',
        )
        expect((errors[0] as Error).message).toContain(
          `the database now holds block ${otherState.block_number}`,
        )

        // The result is what one writer indexing the whole chain from scratch stores.
        const fresh = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
        databases.push(fresh)
        await (
          await runIndexer({ config, database: fresh, untilSynced: true, logger: false, progress: false })
        ).done
        const rest = await runIndexer({
          config,
          database: shared,
          untilSynced: true,
          logger: false,
          progress: false,
        })
        await rest.done // chain B, which neither writer above touched
        expect(await dumpFacts(shared.db)).toEqual(await dumpFacts(fresh.db))
        // The balance that only correct totals give: the scenario's history, the other writer's
        // kept transfers and the first writer's new one, and not the transfers the reorg dropped.
        const latest = await shared.db
          .selectFrom('balances')
          .select('balance')
          .where('chain_id', '=', a.chainId)
          .where('token', '=', x.usdc)
          .where('holder', '=', HOLDERS.one)
          .orderBy('block_number', 'desc')
          .orderBy('log_index', 'desc')
          .executeTakeFirstOrThrow()
        const before = scenario.model.balances.get(`${a.chainId}:${x.usdc}:${HOLDERS.one}`) ?? 0n
        expect(decodeUint256(latest.balance)).toBe(before + 1_000n + 13n + 14n)
      })
    })
  }
})
