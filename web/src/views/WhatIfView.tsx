import { formatDecimal } from '@ballast/sdk'
import {
  type MonteCarloStressResult,
  type PoolState,
  runStressTest,
  type StressScenario,
  stressScenarios,
} from '@ballast/sdk/math'
import { Fragment } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import { Figure } from '../Figure.js'
import type { Live } from '../live/useLive.js'
import { type LoadedPool, usePool } from '../usePool.js'
import { runMonteCarlo } from '../whatif/runMonteCarlo.js'
import { QueryError } from './QueryError.js'

const WAD = 10n ** 18n
const pct = (percent: number) => (BigInt(percent) * WAD) / 100n
const ratioText = (x: bigint | null) => (x === null ? null : formatDecimal(x, 18))

/**
 * The what-if scenario of the sliders: relative price moves by asset and a redemption run-off,
 * as an sdk `StressScenario` (whole percents, exact in WAD).
 *
 * @param shocks - percent move per asset symbol (0: unchanged).
 * @param runOffPercent - percent of liabilities redeemed.
 * @returns the scenario.
 * @example
 * ```ts
 * whatIfScenario({ WETH: -30 }, 10).priceShocks // { WETH: -300000000000000000n }
 * ```
 */
export function whatIfScenario(
  shocks: Readonly<Record<string, number>>,
  runOffPercent: number,
): StressScenario {
  const priceShocks: Record<string, bigint> = {}
  for (const [asset, percent] of Object.entries(shocks)) if (percent !== 0) priceShocks[asset] = pct(percent)
  return {
    name: 'what-if',
    description: 'Price moves and redemption run-off set on the dashboard',
    priceShocks,
    ...(runOffPercent === 0 ? {} : { runOffRate: pct(runOffPercent) }),
  }
}

/** Reserve assets whose prices the sliders move: priced erc20s that are no member's liability token. */
function shockableAssets(state: PoolState, poolId: string): string[] {
  const liabilities = new Set(state.members.filter((m) => m.poolId === poolId).map((m) => m.liabilityAsset))
  return state.assets.filter((a) => a.kind === 'erc20' && !liabilities.has(a.symbol)).map((a) => a.symbol)
}

/** What-if: price sliders and a redemption shock, named scenarios and Monte Carlo, all in this browser. */
export function WhatIfView(props: { poolId: string; at: number | undefined; live: Live }) {
  const q = usePool(props.poolId, props.at, props.live)
  if (q.data === undefined)
    return q.status === 'error' ? <QueryError error={q.error} /> : <p>Loading pool…</p>
  return <WhatIf loaded={q.data} />
}

function WhatIf(props: { loaded: LoadedPool }) {
  const { pool, state } = props.loaded
  const assets = useMemo(() => shockableAssets(state, pool.id), [state, pool.id])
  const [shocks, setShocks] = useState<Record<string, number>>({})
  const [runOff, setRunOff] = useState(0)
  const result = useMemo(
    () => runStressTest(state, whatIfScenario(shocks, runOff), { poolId: pool.id }),
    [state, pool.id, shocks, runOff],
  )
  const names = new Map(result.base.members.map((m) => [m.memberId, m.name]))
  return (
    <section data-testid="what-if-view" data-at={pool.at}>
      <h1>What-if: {pool.name}</h1>
      <p>
        Move prices and redeem liabilities; the sdk's <code>evaluatePool</code> (through{' '}
        <code>runStressTest</code>, haircuts kept) recomputes the ratios here in your browser, on the state
        the API served at the time shown in the header.
      </p>
      <fieldset>
        <legend>Shocks</legend>
        <div class="controls">
          {assets.map((a) => {
            const id = `shock-${a}`
            const value = shocks[a] ?? 0
            return (
              <Fragment key={a}>
                <label for={id}>{a} price</label>
                <input
                  id={id}
                  type="range"
                  min={-90}
                  max={100}
                  step={1}
                  value={value}
                  aria-valuetext={`${value} percent`}
                  onInput={(e) => setShocks({ ...shocks, [a]: Number((e.target as HTMLInputElement).value) })}
                />
                <output for={id}>
                  {value > 0 ? '+' : ''}
                  {value} %
                </output>
              </Fragment>
            )
          })}
          <label for="run-off">Redemptions (share of liabilities)</label>
          <input
            id="run-off"
            type="range"
            min={0}
            max={50}
            step={1}
            value={runOff}
            aria-valuetext={`${runOff} percent`}
            onInput={(e) => setRunOff(Number((e.target as HTMLInputElement).value))}
          />
          <output for="run-off">{runOff} %</output>
        </div>
        <button
          type="button"
          onClick={() => {
            setShocks({})
            setRunOff(0)
          }}
        >
          Reset
        </button>
      </fieldset>
      <dl class="figures" aria-live="polite">
        <div>
          <dt>Pooled ratio now</dt>
          <dd>
            <Figure value={ratioText(result.base.reserveRatio)} kind="ratio" testId="what-if-base" />
          </dd>
        </div>
        <div>
          <dt>Pooled ratio what-if</dt>
          <dd class="big">
            <Figure value={ratioText(result.stressed.reserveRatio)} kind="ratio" testId="what-if-ratio" />
          </dd>
        </div>
        <div>
          <dt>Against the minimum {pool.minRatio}</dt>
          <dd data-testid="what-if-verdict">
            {result.insolvent ? 'INSOLVENT (below 1)' : result.breachesMinimum ? 'BELOW MINIMUM' : 'passes'}
          </dd>
        </div>
      </dl>
      <table data-testid="what-if-members">
        <caption>Member ratios, now and what-if</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Now</th>
            <th scope="col">What-if</th>
          </tr>
        </thead>
        <tbody>
          {result.members.map((m) => (
            <tr key={m.id}>
              <th scope="row">{names.get(m.id) ?? m.id}</th>
              <td class="num">
                <Figure value={ratioText(m.baseRatio)} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={ratioText(m.stressedRatio)} kind="ratio" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <NamedScenarios state={state} poolId={pool.id} />
      <MonteCarlo state={pool.state} poolId={pool.id} />
    </section>
  )
}

function NamedScenarios(props: { state: PoolState; poolId: string }) {
  const rows = useMemo(
    () => stressScenarios.map((s) => ({ s, r: runStressTest(props.state, s, { poolId: props.poolId }) })),
    [props.state, props.poolId],
  )
  return (
    <>
      <h2>Named stress scenarios</h2>
      <table data-testid="scenarios-table">
        <caption>The sdk's scenarios, run in this browser</caption>
        <thead>
          <tr>
            <th scope="col">Scenario</th>
            <th scope="col">What happens</th>
            <th scope="col">Pooled ratio after</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ s, r }) => (
            <tr key={s.name} data-scenario={s.name}>
              <th scope="row">{s.name}</th>
              <td>{s.description}</td>
              <td class="num">
                <Figure value={ratioText(r.stressed.reserveRatio)} kind="ratio" />
              </td>
              <td>{r.insolvent ? 'INSOLVENT' : r.breachesMinimum ? 'BELOW MINIMUM' : 'passes'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

type McState =
  | { status: 'idle' }
  | { status: 'running' }
  | {
      status: 'done'
      result: MonteCarloStressResult
      quantiles: { confidence: number; ratio: number | null }[]
    }
  | { status: 'failed'; message: string }

/** A float statistic: shown to 6 significant digits, the full float kept in `<data value>`. */
function Stat(props: { value: number | null; testId: string; percent?: boolean }) {
  const v = props.value
  const text = v === null ? '—' : props.percent ? `${(v * 100).toPrecision(4)} %` : v.toPrecision(6)
  return (
    <data value={v === null ? '' : String(v)} data-testid={props.testId}>
      {text}
    </data>
  )
}

function MonteCarlo(props: { state: string; poolId: string }) {
  const [paths, setPaths] = useState(10_000)
  const [seed, setSeed] = useState(1)
  const [horizonDays, setHorizon] = useState(1)
  const [mc, setMc] = useState<McState>({ status: 'idle' })
  return (
    <>
      <h2>Monte Carlo</h2>
      <p>
        Correlated price shocks over the horizon, run by the sdk's <code>monteCarloStress</code> in a web
        worker. Seeded: the same seed gives the same figures as the sdk in Node.
      </p>
      <form
        class="time-travel"
        onSubmit={(e) => {
          e.preventDefault()
          setMc({ status: 'running' })
          void runMonteCarlo({ state: props.state, poolId: props.poolId, paths, seed, horizonDays }).then(
            (r) =>
              setMc(
                r.ok
                  ? { status: 'done', result: r.result, quantiles: r.quantiles }
                  : { status: 'failed', message: r.message },
              ),
          )
        }}
      >
        <label for="mc-paths">Paths</label>
        <input
          id="mc-paths"
          type="number"
          min={100}
          max={100_000}
          step={100}
          value={paths}
          onInput={(e) => setPaths(Number((e.target as HTMLInputElement).value))}
        />
        <label for="mc-seed">Seed</label>
        <input
          id="mc-seed"
          type="number"
          min={0}
          step={1}
          value={seed}
          onInput={(e) => setSeed(Number((e.target as HTMLInputElement).value))}
        />
        <label for="mc-horizon">Horizon (days)</label>
        <input
          id="mc-horizon"
          type="number"
          min={1}
          max={365}
          step={1}
          value={horizonDays}
          onInput={(e) => setHorizon(Number((e.target as HTMLInputElement).value))}
        />
        <button type="submit" disabled={mc.status === 'running'}>
          {mc.status === 'running' ? 'Running…' : 'Run'}
        </button>
      </form>
      <div aria-live="polite" data-testid="mc-result" data-status={mc.status}>
        {mc.status === 'failed' && (
          <p class="error" role="alert">
            {mc.message}
          </p>
        )}
        {mc.status === 'done' && (
          <>
            <dl class="figures">
              <div>
                <dt>Ratio now</dt>
                <dd>
                  <Stat value={mc.result.baseRatio} testId="mc-base" />
                </dd>
              </div>
              <div>
                <dt>Ratio VaR (99 %)</dt>
                <dd>
                  <Stat value={mc.result.ratioVaR} testId="mc-var" />
                </dd>
              </div>
              <div>
                <dt>Expected shortfall (99 %)</dt>
                <dd>
                  <Stat value={mc.result.ratioExpectedShortfall} testId="mc-es" />
                </dd>
              </div>
              <div>
                <dt>P(ratio &lt; 1)</dt>
                <dd>
                  <Stat value={mc.result.probabilityBelowOne} testId="mc-p1" percent />
                </dd>
              </div>
              <div>
                <dt>P(ratio &lt; minimum)</dt>
                <dd>
                  <Stat value={mc.result.probabilityBelowMinimum} testId="mc-pmin" percent />
                </dd>
              </div>
              <div>
                <dt>Net value VaR (USD)</dt>
                <dd>
                  <Figure value={formatDecimal(mc.result.lossVaRUsd, 18)} kind="usd" testId="mc-loss-var" />
                </dd>
              </div>
            </dl>
            <table data-testid="mc-quantiles">
              <caption>
                Distribution of the pooled ratio after {mc.result.horizonDays} days ({mc.result.paths} paths,
                seed {mc.result.seed}): the ratio that this share of paths stays above
              </caption>
              <thead>
                <tr>
                  <th scope="col">Paths above</th>
                  <th scope="col">Ratio</th>
                  <td aria-hidden="true" />
                </tr>
              </thead>
              <tbody>
                {mc.quantiles.map((x) => (
                  <tr key={x.confidence}>
                    <th scope="row">{(x.confidence * 100).toFixed(1)} %</th>
                    <td class="num">
                      <Stat value={x.ratio} testId={`mc-q-${x.confidence}`} />
                    </td>
                    <td aria-hidden="true">
                      <span
                        class="bar"
                        style={{
                          width: `${x.ratio === null || mc.result.baseRatio === null ? 0 : Math.max(0, Math.min(100, (x.ratio / mc.result.baseRatio) * 100))}%`,
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </>
  )
}
