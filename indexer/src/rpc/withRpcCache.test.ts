import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { runIndexer } from '../sync/runIndexer.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'

describe('RPC cache of finalized responses', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  const dir = mkdtempSync(join(tmpdir(), 'ballast-rpc-cache-'))
  beforeAll(async () => {
    chains = [await startTestChain(32_061), await startTestChain(32_062)]
    // Finality depth 0: every block is final, so a re-index can be served entirely from the cache.
    scenario = await writeScenario(chains, { blocks: 8, seed: 9, finalityDepth: 0 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
    rmSync(dir, { recursive: true, force: true })
  })

  for (const dialect of DIALECTS) {
    it(`re-indexes into a new database without eth_getLogs, and eth_call only above the finalized block (${dialect})`, async () => {
      const config = defineConfig({ ...scenario.config, rpcCache: join(dir, `${dialect}.sqlite`) })
      const first = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const second = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const run1 = await runIndexer({
          config,
          database: first,
          untilSynced: true,
          logger: false,
          progress: false,
        })
        await run1.done
        const run2 = await runIndexer({
          config,
          database: second,
          untilSynced: true,
          logger: false,
          progress: false,
        })
        await run2.done
        const methods = (run: typeof run1) => [...run.rpc.values()].map((rpc) => rpc.stats.methods)
        expect(methods(run1).every((m) => (m.eth_getLogs ?? 0) > 0)).toBe(true)
        // No history again: no logs; eth_call only where the answer is not known to be final when
        // asked (start-up's metadata checks at the head, checkpoints above the finalized block),
        // so fewer than the first run, which also read every checkpoint of the history.
        expect(methods(run2).map((m) => m.eth_getLogs ?? 0)).toEqual([0, 0])
        for (const [i, m] of methods(run2).entries())
          expect(m.eth_call ?? 0).toBeLessThan(methods(run1)[i]?.eth_call ?? 0)
        expect([...run2.rpc.values()].every((rpc) => rpc.stats.cacheHits > 0)).toBe(true)
        expect(await dumpFacts(second.db)).toEqual(await dumpFacts(first.db))
      } finally {
        await first.cleanup()
        await second.cleanup()
      }
    })
  }
})
