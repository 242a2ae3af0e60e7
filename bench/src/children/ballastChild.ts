// Child process of the compare benchmark: Ballast on the bench target, indexer and GraphQL API in
// one process (`startBallast`, what `ballast start` runs). Prints one JSON line `{ synced, url }`
// once every chain has caught up and the API serves, then keeps following the heads until SIGTERM.
// Usage: ballastChild.ts <target.json> <sqlite file | postgres url> <pollingMs> <finalityDepth>
import { readFileSync } from 'node:fs'
import { startBallast } from '@ballast/api'
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
const ballast = await startBallast({ config, port: 0, logger: false, progress: false })
console.log(
  JSON.stringify({ synced: performance.now() - started, url: ballast.url, peakRss: peakRss('self') }),
)
process.once('SIGTERM', () => {
  ballast.stop().then(() => process.exit(0))
})
await ballast.indexer.done
