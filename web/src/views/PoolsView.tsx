import { DashboardPoolsDocument } from '@ballast/sdk/client'
import { client } from '../api.js'
import { Figure } from '../Figure.js'
import { formatTime } from '../format/formatTime.js'
import type { Live } from '../live/useLive.js'
import { poolStatus } from '../poolStatus.js'
import { hrefOf } from '../route.js'
import { StatusBadge } from '../StatusBadge.js'
import { useQuery } from '../useQuery.js'
import { QueryError } from './QueryError.js'

/** Every pool with its health, figures and per-chain ratios, and the indexing lag per chain. */
export function PoolsView(props: { live: Live }) {
  const q = useQuery(() => client.request(DashboardPoolsDocument), [props.live.version])
  if (q.data === undefined)
    return q.status === 'error' ? <QueryError error={q.error} /> : <p>Loading pools…</p>
  const { pools, _meta } = q.data
  return (
    <section>
      <h1>Pools</h1>
      {q.status === 'error' && <QueryError error={q.error} stale />}
      <table data-testid="pools-table">
        <caption>Pooled reserve ratio of each pool against its minimum and target</caption>
        <thead>
          <tr>
            <th scope="col">Pool</th>
            <th scope="col">Status</th>
            <th scope="col">Pooled ratio</th>
            <th scope="col">Minimum</th>
            <th scope="col">Target</th>
            <th scope="col">Adjusted reserves (USD)</th>
            <th scope="col">Liabilities (USD)</th>
            <th scope="col">Ratio per chain</th>
            <th scope="col">At</th>
          </tr>
        </thead>
        <tbody>
          {pools.nodes.map((p) => (
            <tr key={p.id} data-pool-id={p.id}>
              <th scope="row">
                <a href={hrefOf({ view: 'pool', poolId: p.id, at: undefined })}>{p.name}</a>
              </th>
              <td>
                <StatusBadge status={poolStatus(p, _meta.chains)} />
              </td>
              <td class="num">
                <Figure value={p.reserveRatio} kind="ratio" testId={`ratio-${p.id}`} />
              </td>
              <td class="num">
                <Figure value={p.minRatio} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={p.targetRatio} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={p.adjustedReservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={p.liabilitiesUsd} kind="usd" />
              </td>
              <td>
                {p.chains.map((c) => (
                  <span key={c.chainId} class="chip">
                    {c.name} <Figure value={c.reserveRatio} kind="ratio" />
                  </span>
                ))}
              </td>
              <td>{formatTime(p.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Indexing</h2>
      <table data-testid="lag-table">
        <caption>Indexed block, chain head and lag per chain</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Indexed block</th>
            <th scope="col">Indexed time</th>
            <th scope="col">Head</th>
            <th scope="col">Lag (blocks)</th>
          </tr>
        </thead>
        <tbody>
          {_meta.chains.map((c) => (
            <tr key={c.chainId}>
              <th scope="row">{c.name}</th>
              <td class="num">{c.indexedBlock}</td>
              <td>{c.indexedTimestamp === null ? '—' : formatTime(c.indexedTimestamp)}</td>
              <td class="num">{c.headBlock}</td>
              <td class="num">{c.lagBlocks}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
