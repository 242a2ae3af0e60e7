import { freePort } from '@ballast/indexer/testing'
import type { BenchTarget } from '../BenchTarget.js'
import { BenchError } from '../errors/BenchError.js'
import { balanceOf, liveLatency } from '../measure/liveLatency.js'
import { loadTest } from '../measure/loadTest.js'
import { pathSize } from '../measure/pathSize.js'
import { postGraphql } from '../measure/postGraphql.js'
import { chainTotals, diffTotals } from '../peers/chainTotals.js'
import { runPonder } from '../peers/runPonder.js'
import type { PeerResult } from '../results/CompareResult.js'
import { createProblems } from './createProblems.js'
import { ponderHoldingsQuery } from './equivalentQueries.js'
import { measuredPeerResult } from './measuredPeerResult.js'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/**
 * Ponder as a peer: backfill to the head, totals against the chain, live latency and API load
 * through its GraphQL API, database size.
 *
 * @returns the peer's row.
 */
export async function runPonderPeer(options: {
  name: string
  file: string
  target: BenchTarget
  events: number
  pollingMs: number
  requests: number
  concurrency: number
  /** `pglite:<dir>` or a postgres URL. */
  database: string
  size: () => Promise<number | undefined>
}): Promise<PeerResult> {
  const run = await runPonder({
    targetFile: options.file,
    target: options.target,
    database: options.database,
    port: await freePort(),
    pollingMs: options.pollingMs,
  })
  try {
    const peakRssBytes = run.peer.peakRss()
    const problems = createProblems()
    const diffs = diffTotals(await chainTotals(options.target), await run.totals())
    const graphql = (query: string) => postGraphql(`${run.url}/graphql`, query)
    const chain = options.target.chains[0]
    let liveLatencyMs: number | undefined
    let api: PeerResult['api']
    if (chain) {
      const token = chain.tokens.find((t) => t.kind === 'reserve')
      const holder = chain.holders[0]
      if (!token || !holder) throw new BenchError('The bench target has no holder to probe.')
      const ms = await problems.attempt('live latency', () =>
        liveLatency(chain, options.target.minter, {
          holder,
          token: token.address,
          chainValue: () => balanceOf(chain, token.address, holder),
          peerValue: async () => {
            const data = await graphql(
              `{ balance(chainId: ${chain.chainId}, token: "${token.address}", holder: "${holder}") { amount } }`,
            )
            const amount = (data.balance as { amount: string } | null)?.amount
            return amount === undefined ? undefined : BigInt(amount)
          },
        }),
      )
      if (ms) liveLatencyMs = median(ms)
      const query = ponderHoldingsQuery(options.target)
      const figures = await problems.attempt('API load', () =>
        loadTest(
          async () => {
            const data = await graphql(query)
            if ((data.balances as { items: unknown[] }).items.length === 0)
              throw new BenchError('expected the tracked balances')
          },
          { requests: options.requests, concurrency: options.concurrency },
        ),
      )
      if (figures) api = { ...figures, query: "members' holdings and liabilities (GraphQL rows)" }
    }
    const databaseBytes = options.database.startsWith('pglite:')
      ? pathSize(options.database.slice('pglite:'.length))
      : await options.size()
    return measuredPeerResult({
      name: options.name,
      status: problems.status(),
      events: options.events,
      wallMs: run.wallMs,
      peakRssBytes,
      databaseBytes,
      liveLatencyMs,
      api,
      diffs,
    })
  } finally {
    await run.peer.stop()
  }
}
