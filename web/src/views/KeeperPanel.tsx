import { KeeperDecisionsDocument, type KeeperDecisionsQuery } from '@ballast/sdk/client'
import { client } from '../api.js'
import { Figure } from '../Figure.js'
import type { Live } from '../live/useLive.js'
import { useQuery } from '../useQuery.js'
import { QueryError } from './QueryError.js'

type KeeperData = KeeperDecisionsQuery['pool']

/** The keeper's latest decisions on the pool and what it proposed that is still pending (`ballast keeper`). */
export function KeeperPanel(props: { poolId: string; live: Live; chain: (id: number) => string }) {
  const q = useQuery(
    () => client.request(KeeperDecisionsDocument, { id: props.poolId, first: 10 }),
    [props.poolId, props.live.version],
  )
  return (
    <section data-testid="keeper-panel">
      <h2>Keeper</h2>
      {q.status === 'error' && <QueryError error={q.error} stale={q.data !== undefined} />}
      {q.data === undefined ? (
        q.status === 'loading' && <p>Loading the keeper's decisions…</p>
      ) : (
        <KeeperTables data={q.data.pool} chain={props.chain} />
      )}
    </section>
  )
}

function KeeperTables(props: { data: KeeperData; chain: (id: number) => string }) {
  const { data, chain } = props
  if (data.decisions.nodes.length === 0 && data.pendingActions.length === 0) {
    return (
      <p data-testid="keeper-empty">
        No keeper decision yet: run `ballast keeper --policy PATH` to watch this pool.
      </p>
    )
  }
  return (
    <>
      <table data-testid="keeper-decisions">
        <caption>Latest decisions, newest first: what triggered and what each action did</caption>
        <thead>
          <tr>
            <th scope="col">Decision</th>
            <th scope="col">Mode</th>
            <th scope="col">At</th>
            <th scope="col">Triggered</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {data.decisions.nodes.map((d) => (
            <tr key={d.id}>
              <td>{d.id}</td>
              <td>{d.mode.toLowerCase()}</td>
              <td>{new Date(d.at * 1000).toISOString()}</td>
              <td>{d.triggered.length === 0 ? 'nothing' : d.triggered.map((t) => t.reason).join('; ')}</td>
              <td>
                {d.actions
                  .map((a) => `${a.actionId}: ${a.status}${a.reason === '' ? '' : ` (${a.reason})`}`)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table data-testid="keeper-pending">
        <caption>Pending actions: proposals not yet seen executed</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Transfers</th>
            <th scope="col">USD</th>
            <th scope="col">Safe batches</th>
          </tr>
        </thead>
        <tbody>
          {data.pendingActions.length === 0 && (
            <tr>
              <td colSpan={4}>None.</td>
            </tr>
          )}
          {data.pendingActions.map((a) => (
            <tr key={a.id}>
              <td>{a.id}</td>
              <td>
                {a.transfers
                  .map((t) => `${t.amount} ${t.asset} ${chain(t.fromChainId)} → ${chain(t.toChainId)}`)
                  .join('; ')}
              </td>
              <td class="num">{a.movedUsd === null ? '' : <Figure value={a.movedUsd} kind="usd" />}</td>
              <td>{a.batches.map((b) => `${b.file} (${b.checksum.slice(0, 10)}…)`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
