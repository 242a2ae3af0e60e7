import { RebalancePlanDocument, type RebalancePlanQuery } from '@ballast/sdk/client'
import { useState } from 'preact/hooks'
import { client } from '../api.js'
import { Figure } from '../Figure.js'
import type { Live } from '../live/useLive.js'
import { useQuery } from '../useQuery.js'
import { KeeperPanel } from './KeeperPanel.js'
import { QueryError } from './QueryError.js'

type Plan = RebalancePlanQuery['pool']['rebalancePlan']

/** The planner's plan for the pool: transfers by wave, costs, and each chain's coverage before and after. */
export function RebalanceView(props: { poolId: string; at: number | undefined; live: Live }) {
  const [objective, setObjective] = useState<'CHEAPEST' | 'FASTEST'>('CHEAPEST')
  const q = useQuery(
    () => client.request(RebalancePlanDocument, { id: props.poolId, objective }),
    [props.poolId, objective, props.live.version],
  )
  const names = new Map((props.live.meta?.chains ?? []).map((c) => [c.chainId, c.name]))
  const chain = (id: number) => names.get(id) ?? String(id)
  return (
    <section data-testid="rebalance-view">
      <h1>Rebalance</h1>
      <p>
        The sdk planner's transfers (a min-cost flow over bridge routes) that bring each chain's reserves in
        line with the liabilities circulating there, for the latest indexed state. Fees and latency are the
        API's assumptions.
      </p>
      <p>
        <label for="objective">Objective </label>
        <select
          id="objective"
          value={objective}
          onChange={(e) => setObjective((e.target as HTMLSelectElement).value as 'CHEAPEST' | 'FASTEST')}
        >
          <option value="CHEAPEST">cheapest</option>
          <option value="FASTEST">fastest</option>
        </select>
      </p>
      {q.status === 'error' && <QueryError error={q.error} stale={q.data !== undefined} />}
      {q.data === undefined ? (
        q.status === 'loading' && <p>Planning…</p>
      ) : (
        <PlanTables plan={q.data.pool.rebalancePlan} chain={chain} />
      )}
      <KeeperPanel poolId={props.poolId} live={props.live} chain={chain} />
    </section>
  )
}

function PlanTables(props: { plan: Plan; chain: (id: number) => string }) {
  const { plan, chain } = props
  const waves = [...new Set(plan.transfers.map((t) => t.wave))].sort((a, b) => a - b)
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Every target met</dt>
          <dd data-testid="plan-feasible">{plan.feasible ? 'yes' : 'no'}</dd>
        </div>
        <div>
          <dt>Transfers</dt>
          <dd data-testid="plan-count">{plan.transfers.length}</dd>
        </div>
        <div>
          <dt>Total cost (USD)</dt>
          <dd>
            <Figure value={plan.totalCostUsd} kind="usd" testId="plan-cost" />
          </dd>
        </div>
        <div>
          <dt>Until the last lands</dt>
          <dd>{plan.totalTimeSeconds} s</dd>
        </div>
      </dl>
      {plan.diagnosis.length > 0 && (
        <ul data-testid="plan-diagnosis">
          {plan.diagnosis.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {plan.transfers.length === 0 && <p>No transfer needed: every chain holds its share.</p>}
      {waves.map((w) => (
        <table key={w} data-testid={`wave-${w}`}>
          <caption>
            Wave {w + 1}
            {w === 0 ? ' (runs first)' : ' (after the transfers it waits for have landed)'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Amount</th>
              <th scope="col">Cost (USD)</th>
              <th scope="col">Delivered after</th>
            </tr>
          </thead>
          <tbody>
            {plan.transfers
              .filter((t) => t.wave === w)
              .map((t, i) => (
                <tr key={`${t.asset}-${t.fromChainId}-${t.toChainId}-${i}`}>
                  <td>{t.asset}</td>
                  <td>{chain(t.fromChainId)}</td>
                  <td>{chain(t.toChainId)}</td>
                  <td class="num">
                    <Figure value={t.amount} kind="amount" />
                  </td>
                  <td class="num">
                    <Figure value={t.costUsd} kind="usd" />
                  </td>
                  <td class="num">{t.deliveredAfterSeconds} s</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
      <h2>Coverage per chain</h2>
      <table data-testid="coverage-table">
        <caption>Each chain's holding of each asset against its target, before and after the plan</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Asset</th>
            <th scope="col">Target</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Coverage before</th>
            <th scope="col">Coverage after</th>
          </tr>
        </thead>
        <tbody>
          {plan.chains.map((c) => (
            <tr key={`${c.chainId}-${c.asset}`}>
              <td>{c.name}</td>
              <td>{c.asset}</td>
              <td class="num">
                <Figure value={c.target} kind="amount" />
              </td>
              <td class="num">
                <Figure value={c.before} kind="amount" />
              </td>
              <td class="num">
                <Figure value={c.after} kind="amount" />
              </td>
              <td class="num">
                <Figure value={c.coverageBefore} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={c.coverageAfter} kind="ratio" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
