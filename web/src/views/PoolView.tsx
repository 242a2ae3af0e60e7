import { formatDecimal } from '@ballast/sdk'
import { PoolHistoryDocument } from '@ballast/sdk/client'
import { evaluatePool } from '@ballast/sdk/math'
import { useMemo, useState } from 'preact/hooks'
import { client } from '../api.js'
import { RatioChart } from '../charts/RatioChart.js'
import { ReservesChart } from '../charts/ReservesChart.js'
import { Figure } from '../Figure.js'
import { formatTime } from '../format/formatTime.js'
import type { Live } from '../live/useLive.js'
import { poolStatus } from '../poolStatus.js'
import { hrefOf } from '../route.js'
import { StatusBadge } from '../StatusBadge.js'
import { type LoadedPool, usePool } from '../usePool.js'
import { useQuery } from '../useQuery.js'
import { QueryError } from './QueryError.js'
import { RiskPanel } from './RiskPanel.js'
import { TimeTravel } from './TimeTravel.js'

/** History ranges offered, in seconds. */
const ranges = [
  { seconds: 15 * 60, label: 'last 15 minutes' },
  { seconds: 3600, label: 'last hour' },
  { seconds: 6 * 3600, label: 'last 6 hours' },
  { seconds: 24 * 3600, label: 'last 24 hours' },
]

/** Navigates to the same page at another time (undefined: live). */
export function goAt(view: 'pool' | 'what-if' | 'rebalance', poolId: string, at: number | undefined) {
  window.location.hash = hrefOf({ view, poolId, at })
}

/** One pool: health, ratio over time, where reserves sit, members, chains, assets, transfers in flight. */
export function PoolView(props: { poolId: string; at: number | undefined; live: Live }) {
  const q = usePool(props.poolId, props.at, props.live)
  if (q.data === undefined)
    return q.status === 'error' ? <QueryError error={q.error} /> : <p>Loading pool…</p>
  return (
    <>
      {q.status === 'error' && <QueryError error={q.error} stale />}
      <PoolPage loaded={q.data} at={props.at} live={props.live} />
    </>
  )
}

function PoolPage(props: { loaded: LoadedPool; at: number | undefined; live: Live }) {
  const { pool, state } = props.loaded
  const chainName = new Map(pool.chains.map((c) => [c.chainId, c.name]))
  const status = poolStatus(pool, props.live.meta?.chains ?? [])
  const inFlight = pool.members.nodes.flatMap((m) => m.inFlight.map((t) => ({ ...t, member: m.name })))
  return (
    <section data-testid="pool-view" data-pool-id={pool.id}>
      <h1>
        Pool {pool.name} <StatusBadge status={status} testId="pool-status" />
      </h1>
      <TimeTravel at={props.at} shownAt={pool.at} onChange={(at) => goAt('pool', pool.id, at)} />
      {pool.degraded.length > 0 && (
        <div class="degraded" role="status" data-testid="pool-degraded">
          <p>
            <strong>These figures are not exact:</strong>
          </p>
          <ul>
            {pool.degraded.map((d) => (
              <li
                key={`${d.code}:${d.asset ?? ''}:${d.chainId ?? ''}`}
                data-code={d.code}
                data-asset={d.asset ?? undefined}
                data-chain-id={d.chainId ?? undefined}
              >
                <code>{d.code}</code>
                {d.asset !== null && <> {d.asset}</>}
                {d.chainId !== null && <> on {chainName.get(d.chainId) ?? `chain ${d.chainId}`}</>}:{' '}
                {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl class="figures">
        <div>
          <dt>Pooled ratio</dt>
          <dd class="big">
            <Figure value={pool.reserveRatio} kind="ratio" testId="pool-ratio" />
          </dd>
        </div>
        <div>
          <dt>Minimum</dt>
          <dd>
            <Figure value={pool.minRatio} kind="ratio" />
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>
            <Figure value={pool.targetRatio} kind="ratio" />
          </dd>
        </div>
        <div>
          <dt>Adjusted reserves (USD)</dt>
          <dd>
            <Figure value={pool.adjustedReservesUsd} kind="usd" testId="pool-adjusted" />
          </dd>
        </div>
        <div>
          <dt>Reserves at market (USD)</dt>
          <dd>
            <Figure value={pool.reservesUsd} kind="usd" />
          </dd>
        </div>
        <div>
          <dt>Liabilities (USD)</dt>
          <dd>
            <Figure value={pool.liabilitiesUsd} kind="usd" testId="pool-liabilities" />
          </dd>
        </div>
        <div>
          <dt>Blocks</dt>
          <dd data-testid="pool-blocks">
            {pool.blocks.map((b) => `${chainName.get(b.chainId) ?? b.chainId} ${b.block}`).join(', ')}
          </dd>
        </div>
      </dl>

      <History poolId={pool.id} at={pool.at} min={Number(pool.minRatio)} target={Number(pool.targetRatio)} />

      <WhereReservesSit loaded={props.loaded} />

      <h2>Members</h2>
      <table data-testid="members-table">
        <caption>Per member</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Ratio</th>
            <th scope="col">Adjusted reserves (USD)</th>
            <th scope="col">Reserves at market (USD)</th>
            <th scope="col">Liabilities (USD)</th>
          </tr>
        </thead>
        <tbody>
          {pool.members.nodes.map((m) => (
            <tr key={m.id} data-member-id={m.id}>
              <th scope="row">
                <a href={hrefOf({ view: 'member', poolId: pool.id, memberId: m.id, at: props.at })}>
                  {m.name}
                </a>
              </th>
              <td class="num">
                <Figure value={m.reserveRatio} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={m.adjustedReservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={m.reservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={m.liabilitiesUsd} kind="usd" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Chains</h2>
      <table data-testid="chains-table">
        <caption>Per chain</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Ratio</th>
            <th scope="col">Adjusted reserves (USD)</th>
            <th scope="col">Reserves at market (USD)</th>
            <th scope="col">Liabilities (USD)</th>
          </tr>
        </thead>
        <tbody>
          {pool.chains.map((c) => (
            <tr key={c.chainId} data-chain-id={c.chainId}>
              <th scope="row">{c.name}</th>
              <td class="num">
                <Figure value={c.reserveRatio} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={c.adjustedReservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={c.reservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={c.liabilitiesUsd} kind="usd" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Assets and liquidation prices</h2>
      <table data-testid="assets-table">
        <caption>
          Per asset; the liquidation price is where the pooled ratio falls to the minimum, other prices fixed
        </caption>
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col">Price (USD)</th>
            <th scope="col">Haircut</th>
            <th scope="col">Amount</th>
            <th scope="col">Reserves at market (USD)</th>
            <th scope="col">Adjusted reserves (USD)</th>
            <th scope="col">Liquidation price (USD)</th>
          </tr>
        </thead>
        <tbody>
          {pool.assets.map((a) => (
            <tr key={a.symbol} data-asset={a.symbol}>
              <th scope="row">{a.symbol}</th>
              <td class="num">
                <Figure value={a.priceUsd} kind="price" />
              </td>
              <td class="num">
                <Figure value={a.haircut} kind="fraction" />
              </td>
              <td class="num">
                <Figure value={a.amount} kind="amount" />
              </td>
              <td class="num">
                <Figure value={a.reservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={a.adjustedReservesUsd} kind="usd" />
              </td>
              <td class="num">
                {a.liquidationPriceUsd === null ? (
                  'none'
                ) : (
                  <Figure value={a.liquidationPriceUsd} kind="price" />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Bridge transfers in flight</h2>
      {inFlight.length === 0 ? (
        <p data-testid="in-flight-none">None: every transfer sent has been received.</p>
      ) : (
        <table data-testid="in-flight-table">
          <caption>Sent and not yet received (counted once, on the destination)</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Asset</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {inFlight.map((t, i) => (
              <tr key={t.guid ?? i}>
                <td>{t.member}</td>
                <td>{t.asset}</td>
                <td>{chainName.get(t.fromChainId) ?? t.fromChainId}</td>
                <td>{chainName.get(t.toChainId) ?? t.toChainId}</td>
                <td class="num">
                  <Figure value={t.amount} kind="amount" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.at === undefined && <RiskPanel poolId={pool.id} version={props.live.version} />}
      <p class="note">
        State from {state.blocks.length} chains at {formatTime(state.timestamp)}.
      </p>
    </section>
  )
}

function History(props: { poolId: string; at: number; min: number; target: number }) {
  const [range, setRange] = useState(3600)
  const interval = Math.max(1, Math.floor(range / 30))
  const q = useQuery(
    () =>
      client.request(PoolHistoryDocument, {
        id: props.poolId,
        from: props.at - range,
        to: props.at,
        interval,
      }),
    [props.poolId, props.at, range],
  )
  const points = useMemo(
    () =>
      (q.data?.pool.history ?? []).map((p) => ({
        at: p.at,
        ratio: p.reserveRatio === null ? null : Number(p.reserveRatio),
      })),
    [q.data],
  )
  return (
    <>
      <h2>Pooled ratio over time</h2>
      <p>
        <label for="history-range">Range </label>
        <select
          id="history-range"
          value={range}
          onChange={(e) => setRange(Number((e.target as HTMLSelectElement).value))}
        >
          {ranges.map((r) => (
            <option key={r.seconds} value={r.seconds}>
              {r.label}
            </option>
          ))}
        </select>{' '}
        ending {formatTime(props.at)}, a point every {interval} s; the band runs from the minimum to the
        target.
      </p>
      {q.status === 'error' && <QueryError error={q.error} stale={q.data !== undefined} />}
      {points.length === 0 && q.status === 'ok' && <p>No complete data in this range yet.</p>}
      <RatioChart
        points={points}
        min={props.min}
        target={props.target}
        label={`Pooled ratio from ${points.length} points between minimum ${props.min} and target ${props.target}`}
      />
      <p class="note" data-testid="history-count">
        {points.length} points
      </p>
    </>
  )
}

function WhereReservesSit(props: { loaded: LoadedPool }) {
  const { pool, state } = props.loaded
  // The sdk's own evaluation, in this browser, of the state the API computed its figures from.
  const cells = useMemo(() => {
    const e = evaluatePool(state, { poolId: pool.id, sensitivities: false })
    const names = new Map(e.chains.map((c) => [c.chainId, c.name]))
    const sums = new Map<string, { chain: string; asset: string; usd: bigint }>()
    for (const m of e.members) {
      for (const p of m.positions) {
        const chain = names.get(p.chainId) ?? String(p.chainId)
        const key = `${chain}\u0000${p.asset}`
        const cell = sums.get(key) ?? { chain, asset: p.asset, usd: 0n }
        cell.usd += p.adjustedUsd
        sums.set(key, cell)
      }
    }
    return { ratio: e.reserveRatio, cells: [...sums.values()] }
  }, [state, pool.id])
  return (
    <>
      <h2>Where reserves sit</h2>
      <ReservesChart
        cells={cells.cells.map((c) => ({
          chain: c.chain,
          asset: c.asset,
          usd: Number(c.usd / 10n ** 12n) / 1e6,
        }))}
        label="Adjusted reserves by chain, split by asset"
      />
      <details>
        <summary>Figures (adjusted reserves by chain and asset, USD)</summary>
        <table data-testid="reserves-table">
          <caption>Computed in this browser by the sdk's evaluatePool on the API's pool state</caption>
          <thead>
            <tr>
              <th scope="col">Chain</th>
              <th scope="col">Asset</th>
              <th scope="col">Adjusted reserves (USD)</th>
            </tr>
          </thead>
          <tbody>
            {cells.cells.map((c) => (
              <tr key={`${c.chain}-${c.asset}`}>
                <td>{c.chain}</td>
                <td>{c.asset}</td>
                <td class="num">
                  <Figure value={formatDecimal(c.usd, 18)} kind="usd" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p class="note">
        Pooled ratio recomputed in this browser:{' '}
        <Figure
          value={cells.ratio === null ? null : formatDecimal(cells.ratio, 18)}
          kind="ratio"
          testId="browser-ratio"
        />
      </p>
    </>
  )
}
