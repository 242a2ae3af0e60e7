import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrateCommand, type ServedBallast, serveBallast } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import {
  configFromDevnetManifest,
  defineConfig,
  type ResolvedIndexerConfig,
  runIndexerCommand,
} from '@ballast/indexer'
import { startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `ballast serve` beside a separate writer on one PostgreSQL schema: real anvil chains, a real
// PostgreSQL server, the API over HTTP. The writer is slowed by its own rate limit so that its
// backfill takes several seconds and the replica is seen answering in the middle of it.
let devnet: Devnet | undefined
let postgres: TestPostgres | undefined
let served: ServedBallast | undefined
let pushed: ServedBallast | undefined
let config: ResolvedIndexerConfig
const dir = mkdtempSync(join(tmpdir(), 'ballast-serve-'))
const configFile = join(dir, 'ballast.config.json')
const writer = new AbortController()
let writing: Promise<void> | undefined

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
    chains: raw.chains.map((chain) => ({ ...chain, rateLimit: 8, maxBlockRange: 16 })),
  }
  writeFileSync(configFile, JSON.stringify(slowed))
  config = defineConfig(slowed)
}, 240_000)

afterAll(async () => {
  await served?.stop()
  await pushed?.stop()
  writer.abort()
  await writing?.catch(() => {})
  await devnet?.stop()
  await postgres?.stop()
  rmSync(dir, { recursive: true, force: true })
})

type Meta = { chains: { chainId: number; indexedBlock: string; headBlock: string; lagBlocks: string }[] }

async function meta(url: string): Promise<{ status: number; meta?: Meta }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _meta { chains { chainId indexedBlock headBlock lagBlocks } } }' }),
  })
  const json = (await response.json()) as { data?: { _meta: Meta } }
  return { status: response.status, ...(json.data === undefined ? {} : { meta: json.data._meta }) }
}

describe('ballast serve beside a separate indexer', () => {
  it('refuses an unmigrated database, then serves the backfill as it happens, read-only', async () => {
    const refused = await serveBallast({ config, port: 0 }).then(
      () => undefined,
      (error: Error) => error,
    )
    expect(refused?.message).toContain('The database has no schema yet.')
    expect(refused?.message).toContain('ballast migrate')

    const { ran } = await migrateCommand(config)
    expect(ran.length).toBeGreaterThan(0)
    expect((await migrateCommand(config)).ran).toEqual([])

    served = await serveBallast({
      config,
      port: 0,
      api: { logging: false, dashboardDir: join(import.meta.dirname, '..', 'web', 'dist') },
    })
    // The dashboard is served beside the API, as by `ballast start`.
    const page = await fetch(`${served.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('<div id="app"')
    const before = await meta(served.url)
    expect(before.status).toBe(200)
    expect(before.meta?.chains.map((c) => c.chainId)).toEqual(config.chains.map((c) => c.chainId))

    // The writer: `ballast index` (its own process in production; here in-process, with its own
    // connections and change feed).
    writing = runIndexerCommand({ config: configFile, signal: writer.signal, logger: false, progress: false })
    const heads = new Map(
      await Promise.all(
        devnet!.chains.map(async (c) => [c.chainId, await c.public.getBlockNumber()] as const),
      ),
    )
    const seen: Meta[] = []
    for (;;) {
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
    const pools = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ pools { nodes { id reserveRatio } } }' }),
    }).then((r) => r.json() as Promise<{ data: { pools: { nodes: { reserveRatio: string | null }[] } } }>)
    expect(pools.data.pools.nodes.length).toBe(devnet!.manifest.pools.length)
    expect(pools.data.pools.nodes.every((p) => p.reserveRatio !== null)).toBe(true)
  })

  it("pushes the writer's new blocks to a replica at once (its cache would keep answers for an hour)", async () => {
    pushed = await serveBallast({
      config,
      port: 0,
      api: { logging: false, resultCache: { maxAgeMs: 3_600_000, maxEntries: 100 } },
    })
    const chainId = config.chains[0]!.chainId
    const indexed = async () =>
      BigInt((await meta(pushed!.url)).meta!.chains.find((c) => c.chainId === chainId)!.indexedBlock)
    const before = await indexed()
    expect(await indexed()).toBe(before) // served from the cache
    await devnet!.chains[0]!.test.mine({ blocks: 2 })
    await expect.poll(indexed, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(before + 2n)
  })
})
