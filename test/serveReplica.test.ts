import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createApi,
  createIndexerDataSource,
  migrateCommand,
  type ServedBallast,
  serveBallast,
} from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import {
  configFromDevnetManifest,
  createDatabase,
  defineConfig,
  type ResolvedIndexerConfig,
} from '@ballast/indexer'
import { adminQuery, startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { createBallastClient, PoolHealthLiveDocument } from '@ballast/sdk/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, upgradeFigures } from './fixtures/upgrade/upgradeFigures.js'

// `ballast serve` beside a separate writer on one PostgreSQL schema: real anvil chains, a real
// PostgreSQL server, the writer `ballast index` in a process of its own, the replicas answering
// over HTTP as a role that may only read. The writer is slowed by its own rate limit so that its
// backfill takes several seconds and a replica is seen answering in the middle of it.
const root = resolve(import.meta.dirname, '..')
const READER = 'ballast_reader'
let devnet: Devnet | undefined
let postgres: TestPostgres | undefined
let served: ServedBallast | undefined
let pushed: ServedBallast | undefined
let writer: ChildProcess | undefined
let writerLog = ''
/** The owner's config (migrates; the writer's). */
let config: ResolvedIndexerConfig
/** The same database as the read-only role (the replicas'). */
let reader: ResolvedIndexerConfig
const dir = mkdtempSync(join(tmpdir(), 'ballast-serve-'))
const configFile = join(dir, 'ballast.config.json')

beforeAll(async () => {
  ;[devnet, postgres] = await Promise.all([
    startDevnet({ chains: 2, scenario: 'steady', seed: 11 }),
    startPostgres(),
  ])
  const raw = configFromDevnetManifest(devnet.manifest, {
    database: { kind: 'postgres', url: postgres.url, schema: 'ballast' },
  })
  const slowed = {
    ...raw,
    chains: raw.chains.map((chain) => ({ ...chain, rateLimit: 8, maxBlockRange: 64 })),
  }
  writeFileSync(configFile, JSON.stringify(slowed))
  config = defineConfig(slowed)
  // The replicas' role, as a deployment would grant it before the first `ballast migrate`: usage
  // of the schema and SELECT on every table the owner creates in it, nothing else.
  await adminQuery(postgres.url, [
    `create role ${READER} login`,
    'create schema ballast',
    `grant usage on schema ballast to ${READER}`,
    `alter default privileges for role postgres in schema ballast grant select on tables to ${READER}`,
  ])
  const url = new URL(postgres.url)
  url.username = READER
  reader = defineConfig({ ...slowed, database: { kind: 'postgres', url: url.toString(), schema: 'ballast' } })
}, 240_000)

afterAll(async () => {
  await served?.stop()
  await pushed?.stop()
  if (writer?.exitCode === null) {
    const exited = new Promise((r) => writer!.once('exit', r))
    writer.kill('SIGTERM')
    await exited
  }
  await devnet?.stop()
  await postgres?.stop()
  rmSync(dir, { recursive: true, force: true })
})

type Meta = {
  chains: {
    chainId: number
    indexedBlock: string
    indexedBlockHash: string | null
    headBlock: string
    lagBlocks: string
  }[]
}

async function meta(url: string): Promise<{ status: number; meta?: Meta }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ _meta { chains { chainId indexedBlock indexedBlockHash headBlock lagBlocks } } }',
    }),
  })
  const json = (await response.json()) as { data?: { _meta: Meta } }
  return { status: response.status, ...(json.data === undefined ? {} : { meta: json.data._meta }) }
}

describe('ballast serve, as a read-only role, beside a separate `ballast index` process', () => {
  it('refuses an unmigrated database without migrating, then serves the backfill as it happens', async () => {
    const tables = async () =>
      (
        await adminQuery(postgres!.url, [
          "select count(*)::int as n from information_schema.tables where table_schema = 'ballast'",
        ])
      )[0]!.n as number
    for (let i = 0; i < 2; i++) {
      const refused = await serveBallast({ config: reader, port: 0 }).then(
        () => undefined,
        (error: Error) => error,
      )
      // Refused for the schema it lacks, not for a permission a migration would have needed.
      expect(refused?.message).toContain('The database has no schema yet.')
      expect(refused?.message).toContain('ballast migrate')
      expect(refused?.message).not.toMatch(/permission denied/)
    }
    expect(await tables()).toBe(0)
    // The role could not migrate if it tried.
    const denied = await migrateCommand(reader).then(
      () => 'migrated',
      (error: Error) => error.message,
    )
    expect(denied).toContain('The database role lacks a privilege this step needs.')
    expect(denied).toMatch(/permission denied/)

    const { ran } = await migrateCommand(config)
    expect(ran.length).toBeGreaterThan(0)
    expect(await tables()).toBeGreaterThan(0)
    expect((await migrateCommand(config)).ran).toEqual([])

    served = await serveBallast({
      config: reader,
      port: 0,
      api: { logging: false, dashboardDir: join(root, 'web', 'dist') },
    })
    // The dashboard is served beside the API, as by `ballast start`.
    const page = await fetch(`${served.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('<div id="app"')
    const before = await meta(served.url)
    expect(before.status).toBe(200)
    expect(before.meta?.chains.map((c) => c.chainId)).toEqual(config.chains.map((c) => c.chainId))

    // The writer: `ballast index`, a process of its own with the owner's role.
    writer = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'api/src/bin/ballast.ts'), 'index', '--config', configFile],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    writer.stdout!.on('data', (chunk) => (writerLog += chunk))
    writer.stderr!.on('data', (chunk) => (writerLog += chunk))
    const heads = new Map(
      await Promise.all(
        devnet!.chains.map(async (c) => [c.chainId, await c.public.getBlockNumber()] as const),
      ),
    )
    const seen: Meta[] = []
    for (;;) {
      expect(writer.exitCode, writerLog).toBeNull()
      const { status, meta: m } = await meta(served.url)
      expect(status).toBe(200)
      seen.push(m!)
      if (m!.chains.every((c) => BigInt(c.indexedBlock) >= heads.get(c.chainId)!)) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    // Mid-backfill answers: some data indexed, the head known, and the lag said.
    const midway = seen.filter((m) =>
      m.chains.some((c) => BigInt(c.lagBlocks) > 0n && BigInt(c.indexedBlock) > 0n),
    )
    expect(midway.length).toBeGreaterThan(0)
    // Progress only moves forward on every chain.
    for (const chain of config.chains) {
      const blocks = seen.map((m) => BigInt(m.chains.find((c) => c.chainId === chain.chainId)!.indexedBlock))
      expect(blocks).toEqual([...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    }
  }, 120_000)

  it("answers the figures the owner's own reading gives, at pinned blocks", async () => {
    const pools = await post(served!.url, '{ pools { nodes { id reserveRatio liabilitiesUsd } } }')
    expect(pools.pools.nodes.length).toBe(devnet!.manifest.pools.length)
    for (const pool of pools.pools.nodes as { reserveRatio: string | null; liabilitiesUsd: string }[]) {
      expect(Number(pool.reserveRatio)).toBeGreaterThan(0)
      expect(Number(pool.liabilitiesUsd)).toBeGreaterThan(0)
    }
    const blocks = (await meta(served!.url)).meta!.chains.map((c) => ({
      chainId: c.chainId,
      block: c.indexedBlock,
    }))
    const owner = await createDatabase(config.database, { migrate: false })
    try {
      const api = createApi({ dataSource: createIndexerDataSource({ db: owner.db, config }), logging: false })
      const figures = await upgradeFigures(served!.url, blocks)
      expect(JSON.stringify(figures)).toMatch(/"reservesUsd":"[1-9]/)
      expect(figures).toEqual(await upgradeFigures(api, blocks))
    } finally {
      await owner.destroy()
    }
  })

  it("pushes the writer process's new blocks to a replica's subscription and cache, and its rollbacks", async () => {
    // An hour of caching and of subscription polling: only the writer's NOTIFY can show a change.
    pushed = await serveBallast({
      config: reader,
      port: 0,
      api: {
        logging: false,
        pollIntervalMs: 3_600_000,
        resultCache: { maxAgeMs: 3_600_000, maxEntries: 100 },
      },
    })
    const chain = devnet!.chains[0]!
    const indexed = async () =>
      (await meta(pushed!.url)).meta!.chains.find((c) => c.chainId === chain.chainId)!
    const before = await indexed()
    expect(await indexed()).toEqual(before) // served from the cache

    const poolId = (await post(pushed.url, '{ pools { nodes { id } } }')).pools.nodes[0].id as string
    const client = createBallastClient({ url: pushed.url })
    const controller = new AbortController()
    const events: { at: number }[] = []
    const subscription = (async () => {
      for await (const event of client.subscribe(PoolHealthLiveDocument, { id: poolId }, controller.signal))
        events.push(event.poolHealth as { at: number })
    })().catch((error: Error) => {
      if (!controller.signal.aborted) throw error
    })
    try {
      await expect.poll(() => events.length, { timeout: 10_000, interval: 50 }).toBe(1)
      await chain.test.mine({ blocks: 2 })
      // A second event within seconds, though the subscription polls hourly: pushed.
      await expect.poll(() => events.length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(2)
      await expect
        .poll(async () => BigInt((await indexed()).indexedBlock), { timeout: 20_000, interval: 100 })
        .toBeGreaterThanOrEqual(BigInt(before.indexedBlock) + 2n)
    } finally {
      controller.abort()
      await subscription
    }

    // A rollback by the writer: the same height with another block. The cached answer (an hour
    // old at most) gives way to the new block's hash.
    const head = await chain.public.getBlock()
    await expect
      .poll(async () => (await indexed()).indexedBlockHash, { timeout: 20_000, interval: 100 })
      .toBe(head.hash)
    const tx = {
      from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      to: '0x000000000000000000000000000000000000dead',
      value: '0x7',
    }
    await chain.test.request({ method: 'anvil_reorg', params: [1, [[tx, 0]]] } as never)
    const replaced = await chain.public.getBlock()
    expect(replaced.number).toBe(head.number)
    expect(replaced.hash).not.toBe(head.hash)
    await expect
      .poll(async () => (await indexed()).indexedBlockHash, { timeout: 20_000, interval: 100 })
      .toBe(replaced.hash)
    expect(writer!.exitCode, writerLog).toBeNull()
  })
})
