// The bench target as the Ponder app sees it: read once from BENCH_TARGET by the config and the
// indexing functions, so both agree on which contract kinds exist in this history.
import { readFileSync } from 'node:fs'
import type { BenchTarget } from '../src/BenchTarget.js'

const file = process.env.BENCH_TARGET
if (!file)
  throw new Error('BENCH_TARGET must name the bench target JSON (written by `npm run bench -- compare`).')

export const target = JSON.parse(readFileSync(file, 'utf8')) as BenchTarget

/** Contract kinds with at least one address on some chain (Ponder rejects a contract without chains). */
export const present = {
  Token: target.chains.some((c) => c.tokens.length > 0),
  Registry: target.chains.some((c) => c.registries.length > 0),
  Feed: target.chains.some((c) => c.feeds.length > 0),
  Oft: target.chains.some((c) => c.ofts.length > 0),
  Vault: target.chains.some((c) => c.vaults.length > 0),
}
