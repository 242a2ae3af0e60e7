import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { prng, type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import type { IndexerConfig } from '../config/IndexerConfig.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import { runIndexer } from './runIndexer.js'

const CHILD = fileURLToPath(new URL('../../test/indexerChild.ts', import.meta.url))
const CRASHES = 10

/**
 * Runs the indexer in a child process and SIGKILLs it after `killAfter` committed steps (the
 * kill lands wherever the child is by then: fetching, inside a transaction, or between steps).
 * Resolves with whether the child reported being synced before it was killed.
 */
function runChild(config: IndexerConfig, killAfter: number | undefined): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, BALLAST_CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let steps = 0
    let synced = false
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'synced') synced = true
      else if (++steps === killAfter) child.kill('SIGKILL')
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(synced)
      else reject(new Error(`indexer child exited with ${code}`))
    })
  })
}

describe('crash safety', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  beforeAll(async () => {
    chains = [await startTestChain(32_041), await startTestChain(32_042)]
    scenario = await writeScenario(chains, { blocks: 15, seed: 11, maxBlockRange: 2 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  for (const dialect of DIALECTS) {
    it(`resumes after ${CRASHES} SIGKILLs during a backfill and ends equal to a clean run (${dialect})`, async () => {
      const clean = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const crashed = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const config = defineConfig(scenario.config)
        await (
          await runIndexer({ config, database: clean, untilSynced: true, logger: false, progress: false })
        ).done

        const childConfig: IndexerConfig = { ...scenario.config, database: crashed.config }
        const random = prng(dialect === 'sqlite' ? 5 : 6)
        const progress: number[] = []
        for (let i = 0; i < CRASHES; i++) {
          const synced = await runChild(childConfig, 1 + Math.floor(random() * 3))
          expect(synced).toBe(false)
          const states = await crashed.db.selectFrom('sync_state').select('block_number').execute()
          progress.push(states.reduce((sum, s) => sum + s.block_number, 0))
        }
        // Each run resumed where the last committed step left it: progress never went back.
        expect(progress).toEqual([...progress].sort((x, y) => x - y))
        expect(await runChild(childConfig, undefined)).toBe(true)
        expect(await dumpFacts(crashed.db)).toEqual(await dumpFacts(clean.db))
      } finally {
        await clean.cleanup()
        await crashed.cleanup()
      }
    }, 180_000)
  }
})
