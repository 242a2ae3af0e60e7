import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { getSyncMeta } from '../queries/getSyncMeta.js'
import { createDatabase } from '../storage/createDatabase.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { runIndexerCommand } from './runIndexerCommand.js'

describe('runIndexerCommand', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  const dir = mkdtempSync(join(tmpdir(), 'ballast-index-command-'))
  beforeAll(async () => {
    chains = [await startTestChain(32_071), await startTestChain(32_072)]
    scenario = await writeScenario(chains, { blocks: 4, seed: 13 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
    rmSync(dir, { recursive: true, force: true })
  })

  for (const dialect of DIALECTS) {
    it(`indexes what a config file names until synced (${dialect})`, async () => {
      const target = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const file = join(dir, `${dialect}.json`)
        writeFileSync(file, JSON.stringify({ ...scenario.config, database: target.config }))
        await runIndexerCommand({ config: file, untilSynced: true, logger: false, progress: false })
        const db = await createDatabase(target.config)
        try {
          const meta = await getSyncMeta({ db: db.db, config: defineConfig(scenario.config) })
          expect(meta.map((m) => m.indexedBlock)).toEqual(await Promise.all(chains.map((c) => c.head())))
        } finally {
          await db.destroy()
        }
      } finally {
        await target.cleanup()
      }
    })
  }

  it('serves its metrics on a port of its own while it runs', async () => {
    const target = await createTestDatabase('sqlite')
    try {
      const file = join(dir, 'metrics.json')
      writeFileSync(file, JSON.stringify({ ...scenario.config, database: target.config }))
      const controller = new AbortController()
      let scraped = ''
      let missing = 0
      const run = runIndexerCommand({
        config: file,
        signal: controller.signal,
        logger: false,
        progress: false,
        metrics: { port: 0 },
        onMetricsUrl: (url) => {
          void (async () => {
            // Scrape until both chains have stepped and are caught up, then stop the command.
            for (;;) {
              scraped = await (await fetch(url)).text()
              const caughtUp =
                /ballast_indexer_blocks_behind\{[^}]*\} 0\n[\s\S]*ballast_indexer_blocks_behind\{[^}]*\} 0\n/
              const stepped = (
                scraped.match(/ballast_indexer_step_duration_seconds_count\{[^}]*result="progress"/g) ?? []
              ).length
              if (caughtUp.test(scraped) && stepped >= 2) break
              await new Promise((r) => setTimeout(r, 100))
            }
            missing = (await fetch(url.replace('/metrics', '/other'))).status
            controller.abort()
          })()
        },
      })
      await run
      expect(scraped).toContain('ballast_indexer_rpc_requests_total{')
      expect(scraped).toContain('ballast_indexer_step_duration_seconds_bucket{')
      expect(missing).toBe(404)
    } finally {
      await target.cleanup()
    }
  })

  it('refuses a database that `ballast migrate` has not prepared, writing nothing', async () => {
    const file = join(dir, 'unmigrated.json')
    const database = { kind: 'sqlite' as const, file: join(dir, 'unmigrated.sqlite') }
    writeFileSync(file, JSON.stringify({ ...scenario.config, database }))
    await expect(runIndexerCommand({ config: file, untilSynced: true, logger: false })).rejects.toThrow(
      'The database has no schema yet.',
    )
    await expect(createDatabase(database, { migrate: false })).rejects.toThrow(
      'The database has no schema yet.',
    )
  })

  it('fails with the config error for a bad file', async () => {
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ ...scenario.config, chains: [] }))
    await expect(runIndexerCommand({ config: file, logger: false })).rejects.toThrow(
      'Invalid config: chains must list at least one chain.',
    )
  })
})
