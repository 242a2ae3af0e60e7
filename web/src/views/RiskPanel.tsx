import { RecommendationsDocument, RiskBacktestDocument } from '@ballast/sdk/client'
import { client } from '../api.js'
import { Figure } from '../Figure.js'
import { useQuery } from '../useQuery.js'
import { QueryError } from './QueryError.js'
import { riskPanelParameters } from './riskPanelParameters.js'

/**
 * The model checks a risk team reads beside the figures, as the API computes them: the haircut
 * (VaR) model's backtest per reserve asset and on the pooled ratio (exceptions, Basel zone), and
 * the haircut floors and minimum ratio that keep P(insolvency) under a target.
 */
export function RiskPanel(props: { poolId: string; version: number }) {
  const backtest = useQuery(
    () => client.request(RiskBacktestDocument, { id: props.poolId, ...riskPanelParameters.backtest }),
    [props.poolId, props.version],
  )
  const recommendations = useQuery(
    () =>
      client.request(RecommendationsDocument, { id: props.poolId, ...riskPanelParameters.recommendations }),
    [props.poolId, props.version],
  )
  const b = backtest.data?.pool.backtest
  const r = recommendations.data?.pool.recommendations
  const p = riskPanelParameters
  return (
    <>
      <h2>Risk model</h2>
      {backtest.status === 'error' && <QueryError error={backtest.error} stale={b !== undefined} />}
      {b !== undefined && (
        <table data-testid="backtest-table">
          <caption>
            Backtest of the {Math.round(b.confidence * 100)}% VaR over the last {p.backtest.window} periods of{' '}
            {p.backtest.periodSeconds} s ({b.points} points): exceptions and the Basel traffic light
          </caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Observations</th>
              <th scope="col">Exceptions</th>
              <th scope="col">Zone</th>
            </tr>
          </thead>
          <tbody>
            {[...b.assets, ...(b.pooledRatio === null ? [] : [b.pooledRatio])].map((s) => (
              <tr key={s.subject}>
                <th scope="row">{s.subject === 'pooledRatio' ? 'pooled ratio' : s.subject}</th>
                <td class="num">{s.observations}</td>
                <td class="num">{s.exceptions}</td>
                <td data-testid={`backtest-zone-${s.subject}`} data-zone={s.zone}>
                  {s.zone.toLowerCase()}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recommendations.status === 'error' && (
        <QueryError error={recommendations.error} stale={r !== undefined} />
      )}
      {r !== undefined && (
        <table data-testid="recommendations-table">
          <caption>
            Parameters that keep P(pooled ratio &lt; 1 within {p.recommendations.horizonDays} days) at or
            under {p.recommendations.target * 100}% (Monte Carlo, {r.paths} paths, seed {r.seed})
          </caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Now</th>
              <th scope="col">Recommended</th>
            </tr>
          </thead>
          <tbody>
            {[...r.haircutFloors, ...(r.minimumRatio === null ? [] : [r.minimumRatio])].map((x) => (
              <tr key={`${x.kind}:${x.subject}`}>
                <th scope="row">
                  {x.kind === 'minimum-ratio' ? 'minimum ratio' : `haircut floor ${x.subject}`}
                </th>
                <td class="num">
                  <Figure value={x.current} kind="ratio" />
                </td>
                <td class="num">
                  <Figure value={x.recommended} kind="ratio" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
