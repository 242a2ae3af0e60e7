import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { createApi, createIndexerDataSource, migrateCommand } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import {
  type ChangeFeed,
  configFromDevnetManifest,
  createChangeFeed,
  createDatabase,
  defineConfig,
  type Indexer,
  type IndexerConfig,
  leaseOwner,
  runIndexer,
} from '@ballast/indexer'
import { startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, upgradeFigures } from './fixtures/upgrade/upgradeFigures.js'

// The production topology on one PostgreSQL schema, every part its own process: two indexers with
// the chains split between them, a standby for both, two `serve` replicas. Real anvil chains and
// relayer, a real PostgreSQL server, HTTP on loopback.
const root = resolve(import.meta.dirname, '..')
const INDEXER_CHILD = join(root, 'indexer/test/leaseWriterChild.ts')
const SERVE_CHILD = join(root, 'test/fixtures/serveChild.ts')
const LEASE_MS = 1_500

let devnet: Devnet | undefined
let postgres: TestPostgres | undefined
let standby: Indexer | undefined
let feed: ChangeFeed | undefined
const children: ChildProcess[] = []
const dir = mkdtempSync(join(tmpdir(), 'ballast-topology-'))
const configFile = join(dir, 'ballast.config.json')
let raw: IndexerConfig

function spawnChild(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, BALLAST_CHILD_CONFIG_FILE: configFile, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  return child
}

/** Starts a replica and resolves with its GraphQL URL once it listens. */
function startReplica(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawnChild(SERVE_CHILD, {})
  return new Promise((resolvePromise, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('listening ')) resolvePromise({ url: line.slice('listening '.length), child })
    })
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)))
  })
}

type ChainMeta = { chainId: number; indexedBlock: string; indexedBlockHash: string | null }
const meta = async (url: string): Promise<ChainMeta[]> =>
  (await post(url, '{ _meta { chains { chainId indexedBlock indexedBlockHash } } }'))._meta.chains

beforeAll(async () => {
  ;[devnet, postgres] = await Promise.all([
    startDevnet({ chains: 2, scenario: 'steady', seed: 17 }),
    startPostgres(),
  ])
  raw = configFromDevnetManifest(devnet.manifest, {
    database: { kind: 'postgres', url: postgres.url, schema: 'ballast' },
  })
  writeFileSync(configFile, JSON.stringify(raw))
  await migrateCommand(defineConfig(raw))
}, 240_000)

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await standby?.stop()
  await standby?.database.destroy()
  await feed?.close()
  await devnet?.stop()
  await postgres?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('two indexers, a standby and two replicas on one PostgreSQL schema', { timeout: 240_000 }, () => {
  it('survives a replica and a writer being killed under load, shows reorgs on every replica, and ends equal to one process', async () => {
    const config = defineConfig(raw)
    const [a, b] = config.chains.map((c) => c.chainId) as [number, number]
    const chainOf = (chainId: number) => devnet!.chains.find((c) => c.chainId === chainId)!
    const writerA = spawnChild(INDEXER_CHILD, {
      BALLAST_CHILD_CHAINS: String(a),
      BALLAST_CHILD_LEASE_MS: String(LEASE_MS),
    })
    spawnChild(INDEXER_CHILD, { BALLAST_CHILD_CHAINS: String(b), BALLAST_CHILD_LEASE_MS: String(LEASE_MS) })
    const [r1, r2] = await Promise.all([startReplica(), startReplica()])

    const heads = async () =>
      new Map(
        await Promise.all(
          devnet!.chains.map(async (c) => [c.chainId, await c.public.getBlockNumber()] as const),
        ),
      )
    const caughtUp = async (url: string) => {
      const target = await heads()
      return (await meta(url)).every((c) => BigInt(c.indexedBlock) >= target.get(c.chainId)!)
    }
    await expect.poll(() => caughtUp(r2.url), { timeout: 60_000, interval: 200 }).toBe(true)
    await expect.poll(() => caughtUp(r1.url), { timeout: 10_000, interval: 100 }).toBe(true)

    // The standby for both chains, in this process: it writes nothing while the writers live.
    const owner = leaseOwner()
    feed = await createChangeFeed(config.database)
    standby = await runIndexer({
      feed,
      config,
      database: await createDatabase(config.database, { migrate: false, leaseOwner: owner }),
      lease: { owner, ttlMs: LEASE_MS },
      logger: false,
      progress: false,
    })

    // A reorg of chain b, handled by its writer: both replicas answer the new block on their next
    // requests (their caches would keep answers for an hour without the writer's notification).
    const chainB = chainOf(b)
    const before = await chainB.public.getBlock()
    // The new block holds one plain ETH transfer, so its hash differs from the old one's.
    const tx = {
      from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      to: '0x000000000000000000000000000000000000dead',
      value: '0x7',
    }
    await chainB.test.request({ method: 'anvil_reorg', params: [1, [[tx, 0]]] } as never)
    const after = await chainB.public.getBlock()
    expect(after.number).toBe(before.number)
    expect(after.hash).not.toBe(before.hash)
    for (const replica of [r1, r2])
      await expect
        .poll(async () => (await meta(replica.url)).find((c) => c.chainId === b)?.indexedBlockHash, {
          timeout: 15_000,
          interval: 50,
        })
        .toBe(after.hash)

    // Bounded load on both replicas while a replica and then a writer die.
    let stop = false
    const failures = { r1: 0, r2: 0 }
    let served = 0
    const worker = async (url: string, key: 'r1' | 'r2') => {
      while (!stop) {
        try {
          const data = await post(url, '{ pools { nodes { id reserveRatio } } }')
          if (key === 'r2') {
            expect(data.pools.nodes.length).toBe(devnet!.manifest.pools.length)
            served++
          }
        } catch {
          failures[key]++
          if (key === 'r1') await new Promise((r) => setTimeout(r, 50))
        }
      }
    }
    const load = [worker(r1.url, 'r1'), worker(r2.url, 'r2'), worker(r2.url, 'r2'), worker(r2.url, 'r2')]
    try {
      r1.child.kill('SIGKILL')
      writerA.kill('SIGKILL')
      await Promise.all(devnet!.chains.map((c) => c.test.mine({ blocks: 3 })))
      await expect
        .poll(() => standby!.roles().get(a), { timeout: LEASE_MS + 10_000, interval: 50 })
        .toBe('writer')
      // Chain b's writer lives: the standby still waits for it.
      expect(standby.roles().get(b)).toBe('standby')
      await expect.poll(() => caughtUp(r2.url), { timeout: 30_000, interval: 200 }).toBe(true)
      // Enough requests on the survivor to mean something, after the takeover too.
      const servedBefore = served
      await expect.poll(() => served - servedBefore, { timeout: 30_000 }).toBeGreaterThan(100)
    } finally {
      stop = true
      await Promise.all(load)
    }
    expect(failures.r2).toBe(0)
    expect(failures.r1).toBeGreaterThan(0) // it did die under load

    // The figures at pinned blocks equal a single process's, indexed from scratch into SQLite.
    const blocks = [...(await heads())].map(([chainId, block]) => ({ chainId, block: String(block) }))
    await expect.poll(() => caughtUp(r2.url), { timeout: 30_000, interval: 200 }).toBe(true)
    const single = defineConfig({ ...raw, database: { kind: 'sqlite', file: join(dir, 'single.sqlite') } })
    const database = await createDatabase(single.database)
    try {
      await (
        await runIndexer({ config: single, database, untilSynced: true, logger: false, progress: false })
      ).done
      const api = createApi({
        dataSource: createIndexerDataSource({ db: database.db, config: single }),
        logging: false,
      })
      expect(await upgradeFigures(r2.url, blocks)).toEqual(await upgradeFigures(api, blocks))
    } finally {
      await database.destroy()
    }
  })
})
