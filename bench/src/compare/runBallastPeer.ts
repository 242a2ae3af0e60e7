import { createDatabase, decodeUint256, type ResolvedDatabaseConfig } from '@ballast/indexer'
import type { BenchTarget } from '../BenchTarget.js'
import { liveLatency } from '../measure/liveLatency.js'
import { pathSize } from '../measure/pathSize.js'
import { chainTotals, diffTotals } from '../peers/chainTotals.js'
import { runBallast } from '../peers/runBallast.js'
import type { PeerResult } from '../results/CompareResult.js'
import { createProblems } from './createProblems.js'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/**
 * Ballast's indexer as a peer: backfill to the head, totals against the chain, live latency
 * (observed in its database: the GraphQL API has no indexer-backed data source yet), database size.
 *
 * @returns the peer's row.
 */
export async function runBallastPeer(options: {
  name: string
  file: string
  target: BenchTarget
  events: number
  pollingMs: number
  database: ResolvedDatabaseConfig
  size: () => Promise<number | undefined>
}): Promise<PeerResult> {
  const run = await runBallast({
    targetFile: options.file,
    database: options.database,
    pollingMs: options.pollingMs,
    finalityDepth: 30,
  })
  try {
    const peakRssBytes = run.peer.peakRss()
    const problems = createProblems()
    const diffs = diffTotals(await chainTotals(options.target), await run.totals())
    const chain = options.target.chains[0]
    let liveLatencyMs: number | undefined
    if (chain) {
      const db = await createDatabase(options.database)
      try {
        const ms = await problems.attempt('live latency', () =>
          liveLatency(chain, async (holder, token, expected) => {
            const row = await db.db
              .selectFrom('balances')
              .select('balance')
              .where('chain_id', '=', chain.chainId)
              .where('token', '=', token.toLowerCase())
              .where('holder', '=', holder.toLowerCase())
              .orderBy('block_number', 'desc')
              .orderBy('log_index', 'desc')
              .limit(1)
              .executeTakeFirst()
            return row !== undefined && decodeUint256(row.balance) === expected
          }),
        )
        if (ms) liveLatencyMs = median(ms)
      } finally {
        await db.destroy()
      }
    }
    const databaseBytes =
      options.database.kind === 'sqlite'
        ? pathSize(options.database.file) +
          pathSize(`${options.database.file}-wal`) +
          pathSize(`${options.database.file}-shm`)
        : await options.size()
    return {
      name: options.name,
      status: problems.status(),
      events: options.events,
      wallMs: run.wallMs,
      eventsPerSecond: (options.events / run.wallMs) * 1000,
      ...(peakRssBytes === undefined ? {} : { peakRssBytes }),
      ...(databaseBytes === undefined ? {} : { databaseBytes }),
      ...(liveLatencyMs === undefined ? {} : { liveLatencyMs, liveVia: 'database' }),
      diffs,
    }
  } finally {
    await run.peer.stop()
  }
}
