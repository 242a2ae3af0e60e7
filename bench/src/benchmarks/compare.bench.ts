// `npm run bench -- compare [--events=N] [--chains=3] [--per-tx=100] [--txs-per-block=2]
//   [--polling-ms=100] [--requests=500] [--concurrency=8] [--only=floor,ballast,ponder] [--track-sender]
//   [--history=devnet|bench|mainnet-shaped] (devnet: startDevnet + layHistory, the default; bench:
//   BenchToken spray; mainnet-shaped: one token, --events transfers among 50k addresses, 5 tracked
//   holders, and the floor fetches only their logs with topic filters)`
// Lays down one large history, then measures in the same run: the raw getLogs floor, Ballast
// (SQLite, PostgreSQL) and Ponder (PGlite, PostgreSQL), each in its own child process, and checks
// every peer's totals against the chain. Writes bench/results/compare.{md,svg,json}.
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { startPostgres } from '@ballast/indexer/testing'
import pg from 'pg'
import type { BenchTarget } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { startAnvilChains } from '../chains/startAnvilChains.js'
import { runBallastPeer } from '../compare/runBallastPeer.js'
import { runFloorPeer } from '../compare/runFloorPeer.js'
import { runPonderPeer } from '../compare/runPonderPeer.js'
import { BenchError } from '../errors/BenchError.js'
import { devnetHistory } from '../history/devnetHistory.js'
import { layDownHistory } from '../history/layDownHistory.js'
import { mainnetShapedHistory } from '../history/mainnetShapedHistory.js'
import { stopAllPeers } from '../peers/spawnPeer.js'
import type { CompareResult, PeerResult } from '../results/CompareResult.js'
import { renderChart } from '../results/renderChart.js'
import { renderTable } from '../results/renderTable.js'
import { resultFileBase } from '../results/resultFileBase.js'

/** Parses `--name=value` flags (numbers) from the command line. */
function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  if (arg === undefined) return fallback
  const value = Number(arg.slice(name.length + 3))
  if (!Number.isFinite(value) || value <= 0) {
    throw new BenchError('Bad flag.', { details: arg, metaMessages: [`--${name} takes a positive number.`] })
  }
  return value
}

/** `git describe`-like revision of the measured code: short hash, plus a note if the tree is dirty. */
function gitRevision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: import.meta.dirname })
        .toString()
        .trim()
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== ''
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in the work tree' : ''}`
  } catch {
    return 'unknown'
  }
}

export async function run(): Promise<void> {
  const chainsCount = flag('chains', 3)
  const events = flag('events', 1_200_000)
  const transfersPerTx = flag('per-tx', 100)
  const txsPerBlock = flag('txs-per-block', 2)
  const pollingMs = flag('polling-ms', 100)
  const requests = flag('requests', 500)
  const concurrency = flag('concurrency', 8)
  const only = (process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'floor,ballast,ponder').split(
    ',',
  )
  const work = join(import.meta.dirname, '..', '..', '.ballast', 'compare')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })

  const historyKind = process.argv.find((a) => a.startsWith('--history='))?.slice(10) ?? 'devnet'
  if (historyKind !== 'bench' && historyKind !== 'devnet' && historyKind !== 'mainnet-shaped') {
    throw new BenchError('Bad flag.', {
      details: `--history=${historyKind}`,
      metaMessages: [
        '--history is `bench` (BenchToken spray), `devnet` (startDevnet + layHistory) or `mainnet-shaped` (one token, 50k addresses, 5 tracked holders).',
      ],
    })
  }
  const loadAtStart = loadavg()[0] ?? 0
  let stopChains = async () => {}
  const postgres = await startPostgres()
  // Ctrl-C or a kill stops the peers, PostgreSQL and the chains before exiting (nothing left behind).
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping peers, PostgreSQL and the chains...`)
    void Promise.allSettled([stopAllPeers(), postgres.stop(), stopChains()]).then(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  const peers: PeerResult[] = []
  let result: CompareResult | undefined
  try {
    const chainsLaid = historyKind === 'mainnet-shaped' ? 1 : chainsCount
    console.log(
      `laying down ${events.toLocaleString('en-US')} events over ${chainsLaid} chain(s) (${historyKind})...`,
    )
    const t0 = performance.now()
    let history: { target: BenchTarget; events: number }
    if (historyKind === 'devnet') {
      const devnet = await devnetHistory({ chains: chainsCount, events })
      stopChains = devnet.stop
      history = devnet
    } else if (historyKind === 'mainnet-shaped') {
      // `events` transfers are laid; the peers' events are the relevant logs among them.
      const shaped = await mainnetShapedHistory({ transfers: events })
      stopChains = shaped.stop
      history = shaped
      console.log(`  ${shaped.transfers.toLocaleString('en-US')} transfers, ${shaped.events} relevant logs`)
    } else {
      const anvils = await startAnvilChains(chainsCount)
      stopChains = anvils.stop
      history = await layDownHistory(anvils.chains, {
        eventsPerChain: Math.ceil(events / chainsCount),
        transfersPerTx,
        txsPerBlock,
        trackSender: process.argv.includes('--track-sender'),
      })
    }
    const layDownMs = performance.now() - t0
    const target = history.target
    console.log(`  ${history.events.toLocaleString('en-US')} events in ${(layDownMs / 1000).toFixed(1)} s`)

    /** The target up to the current heads (live probes of earlier peers add blocks). */
    const targetNow = async (name: string): Promise<{ file: string; target: BenchTarget }> => {
      const now: BenchTarget = {
        ...target,
        chains: await Promise.all(
          target.chains.map(async (c) => {
            const [head] = await rpcBatch(c.rpcUrl, [{ method: 'eth_blockNumber', params: [] }])
            return { ...c, endBlock: Number(head) }
          }),
        ),
      }
      const file = join(work, `target-${name}.json`)
      writeFileSync(file, JSON.stringify(now, null, 1))
      return { file, target: now }
    }
    const admin = new pg.Client({ connectionString: postgres.url })
    // On an interrupt PostgreSQL stops under this client: that is expected, not a crash.
    admin.on('error', () => {})
    await admin.connect()
    const databaseUrl = async (name: string) => {
      await admin.query(`create database ${name}`)
      return postgres.url.replace(/\/postgres$/, `/${name}`)
    }
    const databaseSize = async (name: string) =>
      Number((await admin.query('select pg_database_size($1) as size', [name])).rows[0].size)
    const common = { events: history.events, requests, concurrency, pollingMs }
    const attempt = async (name: string, fn: () => Promise<PeerResult>) => {
      console.log(`${name}...`)
      try {
        const r = await fn()
        console.log(`  ${JSON.stringify({ ...r, diffs: r.diffs?.slice(0, 5) })}`)
        peers.push(r)
      } catch (error) {
        console.error(error)
        peers.push({ name, status: `failed: ${(error as Error).message.split('\n')[0]}` })
      }
    }
    try {
      // The floor runs first and again last (on the same blocks); the faster run is the floor, so a
      // chain still settling after the lay-down or a burst of other work cannot lower it.
      const floorFile = join(work, 'target-floor.json')
      writeFileSync(floorFile, JSON.stringify(target, null, 1))
      const floorRuns: PeerResult[] = []
      const floor = async () => {
        const r = await runFloorPeer({ ...common, file: floorFile, target })
        floorRuns.push(r)
        console.log(`  floor run: ${JSON.stringify(r)}`)
      }
      if (only.includes('floor')) await floor()
      if (only.includes('ballast')) {
        await attempt('Ballast SQLite', async () =>
          runBallastPeer({
            ...common,
            ...(await targetNow('ballast-sqlite')),
            name: 'Ballast SQLite',
            database: { kind: 'sqlite', file: join(work, 'ballast.sqlite') },
            size: async () => undefined,
          }),
        )
        await attempt('Ballast PostgreSQL', async () =>
          runBallastPeer({
            ...common,
            ...(await targetNow('ballast-postgres')),
            name: 'Ballast PostgreSQL',
            database: { kind: 'postgres', url: await databaseUrl('ballast') },
            size: () => databaseSize('ballast'),
          }),
        )
      }
      if (only.includes('ponder')) {
        await attempt('Ponder PGlite', async () =>
          runPonderPeer({
            ...common,
            ...(await targetNow('ponder-pglite')),
            name: 'Ponder PGlite',
            database: `pglite:${join(work, 'pglite')}`,
            size: async () => undefined,
          }),
        )
        await attempt('Ponder PostgreSQL', async () =>
          runPonderPeer({
            ...common,
            ...(await targetNow('ponder-postgres')),
            name: 'Ponder PostgreSQL',
            database: await databaseUrl('ponder'),
            size: () => databaseSize('ponder'),
          }),
        )
      }
      if (only.includes('floor')) {
        await floor()
        const best = floorRuns.reduce((a, b) => ((b.eventsPerSecond ?? 0) > (a.eventsPerSecond ?? 0) ? b : a))
        const rates = floorRuns.map((r) => Math.round(r.eventsPerSecond ?? 0).toLocaleString('en-US'))
        peers.unshift({
          ...best,
          status: best.status === 'done' ? `done (best of ${rates.join(' / ')} ev/s)` : best.status,
        })
      }
    } finally {
      await admin.end()
    }
    result = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        memoryBytes: totalmem(),
        node: process.versions.node,
        os: `${platform()} ${release()}`,
        postgres: execFileSync('postgres', ['--version']).toString().trim(),
        load: `${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end`,
        revision: gitRevision(),
      },
      history: {
        kind: historyKind,
        chains: target.chains.length,
        events: history.events,
        blocks: target.chains.reduce((s, c) => s + c.endBlock - c.startBlock + 1, 0),
        transfersPerTx,
        txsPerBlock,
        layDownMs,
        trackedHolders: target.chains[0]?.holders.length ?? 0,
      },
      peers,
    }
  } finally {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
    await postgres.stop()
    await stopChains()
  }
  if (result === undefined) throw new BenchError('The compare run produced no result.')
  const out = join(import.meta.dirname, '..', '..', 'results')
  mkdirSync(out, { recursive: true })
  const base = resultFileBase(result.history.kind)
  writeFileSync(join(out, `${base}.md`), renderTable(result))
  writeFileSync(join(out, `${base}.svg`), renderChart(result))
  writeFileSync(join(out, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`)
  console.log(renderTable(result))
  const disagree = peers.filter((p) => p.diffs && p.diffs.length > 0)
  const failed = peers.filter((p) => p.status.startsWith('failed'))
  if (disagree.length > 0 || failed.length > 0) {
    throw new BenchError('The peers do not agree with the chain.', {
      details: [
        ...failed.map((p) => `${p.name}: ${p.status}`),
        ...disagree.map(
          (p) => `${p.name}: ${p.diffs?.length} keys differ, e.g.\n  ${p.diffs?.slice(0, 10).join('\n  ')}`,
        ),
      ].join('\n'),
      metaMessages: [
        'Every peer must compute the same balances and supplies as balanceOf/totalSupply on the chain.',
      ],
    })
  }
}
