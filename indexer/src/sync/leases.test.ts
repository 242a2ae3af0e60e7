import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createIndexerMetrics } from '../metrics/createIndexerMetrics.js'
import { leaseOwner } from '../storage/chainLease.js'
import { createDatabase } from '../storage/createDatabase.js'
import { createTestDatabase, type TestDatabase } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import { runIndexer } from './runIndexer.js'

const CHILD = fileURLToPath(new URL('../../test/leaseWriterChild.ts', import.meta.url))
const LEASE_MS = 1_500

// One writer per chain on PostgreSQL, with real processes: a writer in a child process, a standby
// in this one, a SIGKILL of the writer, and the standby finishing the job with nothing lost or
// doubled (facts equal to a single-process run's).
describe('one writer per chain (PostgreSQL leases)', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  let shared: TestDatabase | undefined
  let clean: TestDatabase | undefined
  let child: ChildProcess | undefined
  const dir = mkdtempSync(join(tmpdir(), 'ballast-leases-'))
  beforeAll(async () => {
    chains = [await startTestChain(32_091), await startTestChain(32_092)]
    scenario = await writeScenario(chains, { blocks: 6, seed: 23 })
  })
  afterAll(async () => {
    child?.kill('SIGKILL')
    await shared?.cleanup()
    await clean?.cleanup()
    await Promise.all((chains ?? []).map((c) => c?.stop()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps a standby out while the writer lives, and lets it take over within seconds of a SIGKILL', async () => {
    shared = await createTestDatabase('postgres', inject('ballastPostgresUrl'), { schema: 'ballast' })
    const file = join(dir, 'ballast.config.json')
    writeFileSync(file, JSON.stringify({ ...scenario.config, database: shared.config }))
    const config = defineConfig({ ...scenario.config, database: shared.config })

    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, BALLAST_CHILD_CONFIG_FILE: file, BALLAST_CHILD_LEASE_MS: String(LEASE_MS) },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const leases = () =>
      shared!.db.selectFrom('chain_leases').select(['chain_id', 'owner']).orderBy('chain_id').execute()
    await expect.poll(async () => (await leases()).length, { timeout: 30_000 }).toBe(2)
    const writerOwner = (await leases())[0]!.owner
    expect((await leases()).every((l) => l.owner === writerOwner)).toBe(true)

    const owner = leaseOwner()
    const metrics = createIndexerMetrics(config)
    /** The standby's `ballast_indexer_lease_writer` samples, by chain id. */
    const leaseGauge = async () =>
      (await metrics.registry.metrics())
        .split('\n')
        .filter((line) => line.startsWith('ballast_indexer_lease_writer{'))
        .map((line) => [
          Number(/chain_id="(\d+)"/.exec(line)?.[1]),
          Number(line.slice(line.lastIndexOf(' ') + 1)),
        ])
    const standby = await runIndexer({
      config,
      database: await createDatabase(shared.config, { migrate: false, leaseOwner: owner }),
      lease: { owner, ttlMs: LEASE_MS },
      logger: false,
      progress: false,
    })
    metrics.attach(standby)
    try {
      const heads = async () => Promise.all(chains.map((c) => c.head()))
      const indexed = async () =>
        (
          await shared!.db
            .selectFrom('sync_state')
            .select(['chain_id', 'block_number'])
            .orderBy('chain_id')
            .execute()
        ).map((r) => r.block_number)
      await expect.poll(indexed, { timeout: 30_000 }).toEqual(await heads())
      // New blocks: the writer follows them; the standby, several lease periods later, still waits.
      await Promise.all(chains.map((c) => c.mine(3)))
      await expect.poll(indexed, { timeout: 30_000 }).toEqual(await heads())
      expect([...standby.roles().values()]).toEqual(['standby', 'standby'])
      expect(await leaseGauge()).toEqual(chains.map((c) => [c.chainId, 0]))
      expect((await leases()).map((l) => l.owner)).toEqual([writerOwner, writerOwner])

      child.kill('SIGKILL')
      const killedAt = performance.now()
      await Promise.all(chains.map((c) => c.mine(4)))
      await expect
        .poll(() => [...standby.roles().values()], { timeout: 15_000, interval: 50 })
        .toEqual(['writer', 'writer'])
      const takeoverMs = performance.now() - killedAt
      expect(takeoverMs).toBeLessThan(LEASE_MS + 3_000)
      expect((await leases()).map((l) => l.owner)).toEqual([owner, owner])
      expect(await leaseGauge()).toEqual(chains.map((c) => [c.chainId, 1]))
      await expect.poll(indexed, { timeout: 30_000 }).toEqual(await heads())
    } finally {
      await standby.stop()
      await standby.database.destroy()
    }
    // A clean stop gives the leases back.
    expect(await leases()).toEqual([])

    clean = await createTestDatabase('postgres', inject('ballastPostgresUrl'))
    await (
      await runIndexer({
        config: defineConfig({ ...scenario.config, database: clean.config }),
        database: clean,
        untilSynced: true,
        logger: false,
        progress: false,
      })
    ).done
    expect(await dumpFacts(shared.db)).toEqual(await dumpFacts(clean.db))
  })
})
