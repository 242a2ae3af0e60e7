// Child process of the compare benchmark: runs the raw floor once and prints one JSON line
// `{ counts, ms, peakRss }`. Usage: floorChild.ts <target.json> [blocksPerRequest] [concurrency]
import { readFileSync } from 'node:fs'
import type { BenchTarget } from '../BenchTarget.js'
import { fetchLogsFloor } from '../floor/fetchLogsFloor.js'
import { peakRss } from '../measure/peakRss.js'

const [file, blocks, concurrency] = process.argv.slice(2)
const target = JSON.parse(readFileSync(file as string, 'utf8')) as BenchTarget
const started = performance.now()
const counts = await fetchLogsFloor(target, {
  ...(blocks ? { blocksPerRequest: Number(blocks) } : {}),
  ...(concurrency ? { concurrency: Number(concurrency) } : {}),
})
const ms = performance.now() - started
console.log(JSON.stringify({ counts, ms, peakRss: peakRss('self') }))
