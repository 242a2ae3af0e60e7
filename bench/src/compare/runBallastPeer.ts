import type { DatabaseTarget } from '@ballast/indexer'
import type { BenchTarget } from '../BenchTarget.js'
import { BenchError } from '../errors/BenchError.js'
import { balanceOf, liveLatency } from '../measure/liveLatency.js'
import { loadTest } from '../measure/loadTest.js'
import { pathSize } from '../measure/pathSize.js'
import { postGraphql } from '../measure/postGraphql.js'
import { chainTotals, diffTotals } from '../peers/chainTotals.js'
import { runBallast } from '../peers/runBallast.js'
import type { PeerResult } from '../results/CompareResult.js'
import { createProblems } from './createProblems.js'
import { membersQuery } from './equivalentQueries.js'
import { measuredPeerResult } from './measuredPeerResult.js'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

type MembersData = {
  members: { nodes: { name: string; holdings: { chainId: number; asset: string; raw: string }[] }[] }
}

/**
 * Ballast as a peer: backfill to the head with the API up, totals against the chain, live latency
 * and API load through its GraphQL API, database size.
 *
 * @returns the peer's row.
 */
export async function runBallastPeer(options: {
  name: string
  file: string
  target: BenchTarget
  events: number
  pollingMs: number
  requests: number
  concurrency: number
  database: DatabaseTarget
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
    let api: PeerResult['api']
    if (chain) {
      // The probe mints 1 unit of the first reserve token to member 0's first holder on the first
      // chain: the member's holding of that asset there rises by 1.
      const member = options.target.members[0]
      const token = chain.tokens.find((t) => t.kind === 'reserve')
      const holders = member?.holders[chain.chainId] ?? []
      const holder = holders[0]
      if (!member || !token || !holder) throw new BenchError('The bench target has no member to probe.')
      const query = membersQuery(options.target.poolId)
      const ms = await problems.attempt('live latency', () =>
        liveLatency(chain, options.target.minter, {
          holder,
          token: token.address,
          chainValue: async () => {
            let sum = 0n
            for (const h of holders) sum += await balanceOf(chain, token.address, h)
            return sum
          },
          peerValue: async () => {
            const data = (await postGraphql(run.url, query)) as MembersData
            const raw = data.members.nodes
              .find((m) => m.name === member.name)
              ?.holdings.find((h) => h.chainId === chain.chainId && h.asset === token.symbol)?.raw
            return raw === undefined ? undefined : BigInt(raw)
          },
        }),
      )
      if (ms) liveLatencyMs = median(ms)
      const figures = await problems.attempt('API load', () =>
        loadTest(
          async () => {
            const data = (await postGraphql(run.url, query)) as MembersData
            if (data.members.nodes.length !== options.target.members.length)
              throw new BenchError('expected every member')
          },
          { requests: options.requests, concurrency: options.concurrency },
        ),
      )
      if (figures) api = { ...figures, query: "members' holdings and liabilities (GraphQL)" }
    }
    const databaseBytes =
      options.database.kind === 'sqlite'
        ? pathSize(options.database.file) +
          pathSize(`${options.database.file}-wal`) +
          pathSize(`${options.database.file}-shm`)
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
