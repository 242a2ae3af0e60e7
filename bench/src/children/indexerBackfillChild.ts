// Child process of the indexer-backfill benchmark: Ballast's backfill alone (`runIndexer` with
// `untilSynced`, no API) into a fresh SQLite file, then `loadPoolState` at the head, timed. Prints
// one JSON line `{ ms, peakRss, loadPoolStateMs }`. Usage: indexerBackfillChild.ts <target.json> <sqlite file>
import { readFileSync } from 'node:fs'
import { createDatabase, loadPoolState, runIndexer } from '@ballast/indexer'
import type { Hex } from 'viem'
import type { BenchTarget } from '../BenchTarget.js'
import { ballastConfigFor } from '../ballast/ballastConfigFor.js'
import { peakRss } from '../measure/peakRss.js'

const [file, database] = process.argv.slice(2)
const target = JSON.parse(readFileSync(file as string, 'utf8')) as BenchTarget
const config = ballastConfigFor(target, {
  database: database as string,
  pollingInterval: 100,
  finalityDepth: 30,
})
const started = performance.now()
const indexer = await runIndexer({ config, untilSynced: true, logger: false, progress: false })
await indexer.done
const ms = performance.now() - started
const backfillPeak = peakRss('self')
const db = await createDatabase(config.database)
const loadPoolStateMs: number[] = []
try {
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    await loadPoolState({ db: db.db, config }, target.poolId as Hex, {})
    loadPoolStateMs.push(performance.now() - t0)
  }
} finally {
  await db.destroy()
}
console.log(JSON.stringify({ ms, peakRss: backfillPeak, loadPoolStateMs }))
