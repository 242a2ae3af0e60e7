// Child process of the compare benchmark: Ballast's indexer on the bench target. Prints one JSON
// line `{ synced: ms }` when every chain has caught up, then keeps following the heads until
// SIGTERM (for the live-latency probe), then prints `{ stopped: true, peakRss }`.
// Usage: ballastChild.ts <target.json> <sqlite file | postgres url> <pollingMs> <finalityDepth>
import { readFileSync } from 'node:fs'
import { runIndexer } from '@ballast/indexer'
import type { BenchTarget } from '../BenchTarget.js'
import { ballastConfigFor } from '../ballast/ballastConfigFor.js'
import { peakRss } from '../measure/peakRss.js'

const [file, database, polling, finality] = process.argv.slice(2)
const target = JSON.parse(readFileSync(file as string, 'utf8')) as BenchTarget
const started = performance.now()
const config = ballastConfigFor(target, {
  database: database as string,
  pollingInterval: Number(polling),
  finalityDepth: Number(finality),
})
const indexer = await runIndexer({ config, logger: false, progress: false })
await indexer.synced
console.log(JSON.stringify({ synced: performance.now() - started, peakRss: peakRss('self') }))
process.once('SIGTERM', () => {
  indexer.stop().then(() => {
    console.log(JSON.stringify({ stopped: true, peakRss: peakRss('self') }))
    process.exit(0)
  })
})
await indexer.done
