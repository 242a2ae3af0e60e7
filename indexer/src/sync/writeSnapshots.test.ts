import { serializePoolState } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { getPoolSnapshots } from '../queries/getPoolSnapshots.js'
import { loadPoolState } from '../queries/loadPoolState.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { runIndexer } from './runIndexer.js'
import { finalizedTime } from './writeSnapshots.js'

describe('pool snapshots', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  beforeAll(async () => {
    chains = [await startTestChain(32_091), await startTestChain(32_092)]
    scenario = await writeScenario(chains, { blocks: 8, seed: 17 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  for (const dialect of DIALECTS) {
    it(`stores a snapshot per interval up to the finalized time, equal to loadPoolState there (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        // The test chains space blocks 12 s apart: a 24 s interval yields several snapshots.
        const config = defineConfig({ ...scenario.config, snapshotInterval: 24 })
        await (await runIndexer({ config, database, untilSynced: true, logger: false, progress: false })).done
        const ctx = { db: database.db, config }
        const safe = (await finalizedTime(ctx)) as number
        const snapshots = await getPoolSnapshots(ctx, scenario.poolId, {
          from: 0,
          to: Number.MAX_SAFE_INTEGER,
        })
        expect(snapshots.length).toBeGreaterThan(2)
        const times = snapshots.map((s) => s.timestamp)
        // Every multiple of the interval from the first one up to the finalized time, none beyond.
        expect(times.every((t, i) => t % 24 === 0 && (i === 0 || t === (times[i - 1] as number) + 24))).toBe(
          true,
        )
        expect(times[times.length - 1]).toBeLessThanOrEqual(safe)
        expect(safe - (times[times.length - 1] as number)).toBeLessThan(24)
        for (const snapshot of snapshots) {
          // Before the first price too, the state is stored (degraded, with its reasons), never an error.
          expect(snapshot.error).toBeUndefined()
          if (snapshot.state === undefined) throw new Error(`snapshot at ${snapshot.timestamp} has no state`)
          const live = await loadPoolState(ctx, scenario.poolId, { at: { timestamp: snapshot.timestamp } })
          expect(serializePoolState(snapshot.state)).toBe(serializePoolState(live))
        }
      } finally {
        await database.cleanup()
      }
    })
  }
})
