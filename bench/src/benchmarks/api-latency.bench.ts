// `npm run bench -- api-latency [--seconds=8] [--concurrency=100]`
// Latency (p50/p90/p99/max) and throughput of the pool health query (`PoolHealth` of the sdk client:
// pooled ratio, 100 members, per-chain figures) at 100 concurrent keep-alive clients over HTTP on
// loopback. The pool: 100 members x 3 chains x 5 assets (the sdk bench's synthetic state), served
// from memory (a fresh copy of the state per load, as a database read gives), then the devnet's
// main pool through the real indexer on SQLite. Runs:
// - no result cache: every request loads the state and runs the sdk's full evaluation;
// - result cache (the default): results are reused while the indexed heads are unchanged, so a
//   request pays for GraphQL parsing (cached), validation and JSON serialization only.
// The load generator runs in a worker thread; CPU us/req is the whole process (server + client).

import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ApiDataSource } from '@ballast/api'
import {
  createApi,
  createIndexerDataSource,
  createMemoryDataSource,
  serveApi,
  startBallast,
} from '@ballast/api'
import { startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import type { PoolState } from '@ballast/sdk'
import { PoolHealthDocument } from '@ballast/sdk/client'
import { syntheticPoolState } from './sdk-evaluate.bench.js'

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  const value = arg === undefined ? fallback : Number(arg.slice(name.length + 3))
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`)
  return value
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

// The load generator runs in a worker thread (plain JS, node:http keep-alive agent) so that the
// client and the server each get a core of their own.
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads')
const { Agent, request } = require('node:http')
const { host, port, path, body, concurrency, warmupMs, ms } = workerData
const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
const once = () => new Promise((resolve, reject) => {
  const t0 = performance.now()
  const req = request({ host, port, path, method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    let size = 0
    res.on('data', (c) => { size += c.length })
    res.on('end', () => res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error('HTTP ' + res.statusCode)))
  })
  req.on('error', reject)
  req.end(body)
})
const loop = async (duration) => {
  const latencies = []
  const end = performance.now() + duration
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) latencies.push(await once())
  }))
  return { latencies, wall: performance.now() - t0 }
}
loop(warmupMs).then(() => loop(ms)).then((r) => { agent.destroy(); parentPort.postMessage(r) })
`

async function measure(
  label: string,
  options: { dataSource: ApiDataSource; resultCache: boolean; poolId?: string; members?: number },
  seconds: number,
  concurrency: number,
) {
  const api = createApi({
    dataSource: options.dataSource,
    logging: false,
    ...(options.resultCache ? {} : { resultCache: false as const }),
  })
  const server = await serveApi(api, { port: 0 })
  const url = new URL(server.url)
  const body = JSON.stringify({
    query: PoolHealthDocument.source,
    operationName: PoolHealthDocument.operationName,
    variables: { id: options.poolId ?? 'bench' },
  })
  // Check the answer once.
  const check = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  const json = (await check.json()) as { data: { pool: { members: { nodes: unknown[] } } } }
  const expected = options.members ?? 100
  if (json.data.pool.members.nodes.length !== expected)
    throw new Error(`expected ${expected} members in the answer`)
  const bytes = Buffer.byteLength(JSON.stringify(json))
  const cpu0 = process.cpuUsage()
  const worker = new Worker(clientCode, {
    eval: true,
    workerData: {
      host: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      body,
      concurrency,
      warmupMs: 1_000,
      ms: seconds * 1_000,
    },
  })
  const { latencies, wall } = await new Promise<{ latencies: number[]; wall: number }>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await worker.terminate()
  const cpu = process.cpuUsage(cpu0)
  await server.close()
  latencies.sort((a, b) => a - b)
  const total = latencies.length
  const f = (x: number) => x.toFixed(1).padStart(7)
  console.log(
    `| ${label.padEnd(34)} | ${String(total).padStart(8)} | ${(total / (wall / 1000)).toFixed(0).padStart(7)} | ${f(percentile(latencies, 50))} | ${f(percentile(latencies, 90))} | ${f(percentile(latencies, 99))} | ${f(latencies.at(-1) ?? Number.NaN)} | ${(((cpu.user + cpu.system) / 1000 / total) * 1000).toFixed(0).padStart(10)} | ${String(bytes).padStart(6)} |`,
  )
}

/** Runs the API latency benchmark and prints a table. */
export async function run(): Promise<void> {
  const seconds = flag('seconds', 8)
  const concurrency = flag('concurrency', 100)
  const state: PoolState = syntheticPoolState(100, 3, 5)
  console.log(
    `PoolHealth query, 100 members x 3 chains x 5 assets, ${concurrency} concurrent keep-alive clients on loopback, ${seconds} s per run`,
  )
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.versions.node}\n`,
  )
  console.log(
    '| run                                | requests |   req/s | p50 ms  | p90 ms  | p99 ms  | max ms  | CPU us/req | bytes |',
  )
  console.log(
    '|------------------------------------|----------|---------|---------|---------|---------|---------|------------|-------|',
  )
  const shared = createMemoryDataSource({ states: [state] })
  const fresh: ApiDataSource = {
    ...shared,
    loadPoolStates: async (requests) =>
      (await shared.loadPoolStates(requests)).map((s) => (s === undefined ? s : structuredClone(s))),
  }
  await measure(
    'no result cache: evaluate per request',
    { dataSource: fresh, resultCache: false },
    seconds,
    concurrency,
  )
  await measure('result cache (default)', { dataSource: fresh, resultCache: true }, seconds, concurrency)

  // The same query through the real stack: the devnet's main pool (3 members, 3 chains) indexed
  // into SQLite, read with the indexer's loadPoolState on every request when uncached.
  const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-api-'))
  const devnet = await startDevnet({ chains: 3, scenario: 'steady', seed: 1 })
  try {
    const config = defineConfig(
      configFromDevnetManifest(devnet.manifest, {
        database: { kind: 'sqlite', file: join(dir, 'bench.sqlite') },
      }),
    )
    const ballast = await startBallast({ config, port: 0, logger: false, progress: false })
    try {
      const main = devnet.manifest.pools[0]!
      const dataSource = createIndexerDataSource({ db: ballast.database.db, config })
      const members = main.members.length
      await measure(
        'indexer/SQLite, no result cache',
        { dataSource, resultCache: false, poolId: main.id, members },
        seconds,
        concurrency,
      )
      await measure(
        'indexer/SQLite, result cache',
        { dataSource, resultCache: true, poolId: main.id, members },
        seconds,
        concurrency,
      )
    } finally {
      await ballast.stop()
    }
  } finally {
    await devnet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
