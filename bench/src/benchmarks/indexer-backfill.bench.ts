// `npm run bench -- indexer-backfill [--events=N] [--chains=3] [--heap=MB]`
// The indexer's own backfill on the devnet's history (startDevnet + layHistory), in one run: the
// raw getLogs floor (a bare viem loop over the same logs), then Ballast's backfill (`runIndexer`
// until synced) into a fresh SQLite file, each in its own child process so that its peak RSS is
// its own, then the time of `loadPoolState` at the head on the result.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { FLOOR_LOGS_PER_CALL } from '../compare/runFloorPeer.js'
import { BenchError } from '../errors/BenchError.js'
import { devnetHistory } from '../history/devnetHistory.js'
import { pathSize } from '../measure/pathSize.js'
import { spawnPeer } from '../peers/spawnPeer.js'

const child = join(import.meta.dirname, '..', 'children', 'indexerBackfillChild.ts')
const floorChild = join(import.meta.dirname, '..', 'children', 'floorChild.ts')
/** `layHistory` puts 1,500 transfers in each block (its default): the dense blocks set the floor's range. */
const TRANSFERS_PER_BLOCK = 1_500

/** Parses `--name=value` (a positive number) from the command line. */
function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  if (arg === undefined) return fallback
  const value = Number(arg.slice(name.length + 3))
  if (!Number.isFinite(value) || value <= 0) {
    throw new BenchError('Bad flag.', { details: arg, metaMessages: [`--${name} takes a positive number.`] })
  }
  return value
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`

export async function run(): Promise<void> {
  const events = flag('events', 1_000_000)
  const chains = flag('chains', 3)
  const work = join(import.meta.dirname, '..', '..', '.ballast', 'indexer-backfill')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  console.log(
    `laying down ${events.toLocaleString('en-US')} transfers over ${chains} chains (devnet history)...`,
  )
  const t0 = performance.now()
  const history = await devnetHistory({ chains, events })
  try {
    console.log(
      `  ${history.events.toLocaleString('en-US')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${loadavg()[0]?.toFixed(2)}`,
    )
    const file = join(work, 'target.json')
    writeFileSync(file, JSON.stringify(history.target))

    // The floor in its own process, sized like the compare bench's (about FLOOR_LOGS_PER_CALL logs
    // per call), but from the dense blocks' density: the scenario's sparse blocks would make the
    // average misleading on a small history.
    const blocksPerRequest = Math.max(1, Math.floor(FLOOR_LOGS_PER_CALL / TRANSFERS_PER_BLOCK))
    const floorPeer = spawnPeer('floor', ['--import', 'tsx', floorChild, file, String(blocksPerRequest)])
    let floorRate: number
    try {
      const out = await floorPeer.waitForJson<{
        counts: Record<string, number>
        ms: number
        peakRss?: number
      }>((v) => v.counts !== undefined)
      const fetched = Object.values(out.counts).reduce((a, b) => a + b, 0)
      if (fetched !== history.events) {
        throw new BenchError('The floor fetched another number of logs.', {
          details: `${fetched} logs, the history has ${history.events}`,
        })
      }
      floorRate = (fetched / out.ms) * 1000
      console.log(
        `raw floor: ${Math.round(floorRate).toLocaleString('en-US')} events/s (${blocksPerRequest} blocks per call), peak RSS ${mib(out.peakRss)}`,
      )
    } finally {
      await floorPeer.stop()
    }

    const database = join(work, 'ballast.sqlite')
    // `--heap=MB` caps V8's old space in the child: shows how much of the peak RSS is live data
    // and how much is the heap V8 lets grow before it collects.
    const heap = process.argv.some((a) => a.startsWith('--heap='))
      ? [`--max-old-space-size=${flag('heap', 256)}`]
      : []
    const peer = spawnPeer('ballast backfill', [...heap, '--import', 'tsx', child, file, database])
    try {
      const out = await peer.waitForJson<{ ms: number; peakRss?: number; loadPoolStateMs: number[] }>(
        (v) => typeof v.ms === 'number',
      )
      const rate = (history.events / out.ms) * 1000
      console.log(
        `ballast backfill (SQLite${heap.length > 0 ? `, ${heap[0]}` : ''}): ${(out.ms / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString('en-US')} events/s` +
          ` (${((rate / floorRate) * 100).toFixed(0)}% of the floor), peak RSS ${mib(out.peakRss)},` +
          ` database ${mib(pathSize(database))}`,
      )
      console.log(
        `loadPoolState at the head: ${out.loadPoolStateMs.map((ms) => ms.toFixed(1)).join(' / ')} ms (first / warm runs)`,
      )
    } finally {
      await peer.stop()
    }
    console.log(`load average at the end: ${loadavg()[0]?.toFixed(2)} (2 cores, shared)`)
  } finally {
    await history.stop()
  }
}
