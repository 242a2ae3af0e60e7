import { formatDecimal, type PoolState } from '@ballast/sdk'
import { RecommendationsDocument, type RecommendationsQuery } from '@ballast/sdk/client'
import { createRandom, evaluatePool } from '@ballast/sdk/math'
import { backtestVaR, forecastPoolRedemptions, priceTranches, recommendParameters } from '@ballast/sdk/risk'
import { describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { observedRedemptions } from '../figures/observedRedemptions.js'
import { examplePoolState } from '../testing/examplePoolState.js'

// 400 daily snapshots: WETH on a random walk (3% a day), alpha's liabilities on chain 31337 moving
// by redemptions and issuance. Every figure is checked against the sdk on the same inputs.
const day = 86_400
const t0 = 1_764_000_000
const poolId = `0x${'11'.repeat(32)}`
const rng = createRandom(4)
const states: PoolState[] = []
let weth = 3_000
let supply = 700_000
for (let i = 0; i < 400; i++) {
  weth *= Math.exp(0.03 * rng.normal())
  supply = Math.max(100_000, supply - 2_000 + 5_000 * rng.normal())
  const s = examplePoolState(t0 + i * day, BigInt(Math.round(weth * 1e8)))
  const [alpha, beta] = s.members
  states.push({
    ...s,
    members: [
      {
        ...alpha!,
        liabilities: alpha!.liabilities.map((l) =>
          l.chainId === 31337 ? { ...l, supply: BigInt(Math.round(supply)) * 10n ** 18n } : l,
        ),
      },
      beta!,
    ],
  })
}
const now = states.at(-1)!
const api = createApi({ dataSource: createMemoryDataSource({ states }), logging: false })

async function post(q: string) {
  const res = await api.fetch('http://ballast/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q }),
  })
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its own query asked for
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }
}
async function query(q: string) {
  const json = await post(q)
  if (json.errors) throw new Error(json.errors.map((e) => e.message).join('; '))
  return json.data
}
const usd = (x: bigint) => formatDecimal(x, 18)

describe('Pool risk fields', () => {
  it('backtest: per asset and pooled ratio, equal to backtestVaR on the same series', async () => {
    const data = await query(`{ pool(id: "${poolId}") { backtest(window: 250, estimationWindow: 100) {
      points assets { subject observations exceptions expectedExceptions zone greenMax yellowMax
        kupiec { statistic pValue rejected } independence { pValue } conditionalCoverage { pValue } }
      pooledRatio { subject observations exceptions zone } } } }`)
    const b = data.pool.backtest
    expect(b.points).toBe(351)
    const window = states.slice(-351)
    const wethSeries = window.map((s) => {
      const a = s.assets.find((x) => x.symbol === 'WETH')!
      return a.kind === 'erc20' ? Number(a.price.answer) / 1e8 : 0
    })
    const expected = backtestVaR(wethSeries, { window: 250, estimationWindow: 100 })
    const w = b.assets.find((a: { subject: string }) => a.subject === 'WETH')
    expect(w).toMatchObject({
      observations: 250,
      exceptions: expected.exceptions,
      zone: expected.trafficLight.zone.toUpperCase(),
      greenMax: 4,
      yellowMax: 9,
      kupiec: { statistic: expected.kupiec.statistic, pValue: expected.kupiec.pValue },
    })
    const ratios = window.map((s) => Number(evaluatePool(s, { poolId }).reserveRatio) / 1e18)
    expect(b.pooledRatio.exceptions).toBe(
      backtestVaR(ratios, { window: 250, estimationWindow: 100 }).exceptions,
    )
    expect(b.assets.map((a: { subject: string }) => a.subject)).toEqual(['USDC', 'WETH', 'aUSD', 'bUSD'])
  })

  it('backtest is bounded in the periods it loads', async () => {
    const json = await post(
      `{ pool(id: "${poolId}") { backtest(window: 450, estimationWindow: 100) { points } } }`,
    )
    expect(json.errors?.[0]?.message).toContain('A backtest may load at most 500 periods.')
    const zero = await post(`{ pool(id: "${poolId}") { backtest(horizonPeriods: 0) { points } } }`)
    expect(zero.errors?.[0]?.message).toContain('`horizonPeriods` must be an integer from 1 to 500.')
    const sure = await post(`{ pool(id: "${poolId}") { backtest(confidence: 1) { points } } }`)
    expect(sure.errors?.[0]?.message).toContain('`confidence` must be strictly between 0.5 and 1.')
  })

  it('redemptionForecast: per chain and pool, exact decimals, with the LCR on the forecast', async () => {
    const data =
      await query(`{ pool(id: "${poolId}") { redemptionForecast(horizonPeriods: 10, lookbackPeriods: 120, stress: 1.5) {
      horizonPeriods stress pool { observations ewmaForecastUsd historicalForecastUsd stressedOutflowUsd }
      chains { chainId forecast { stressedOutflowUsd } liquidityCoverage { forecastOutflowUsd outflowUsd covered } } } } }`)
    const evaluations = states.slice(-121).map((s) => evaluatePool(s, { poolId }))
    const f = forecastPoolRedemptions(observedRedemptions(evaluations), { horizonPeriods: 10, stress: 1.5 })
    const r = data.pool.redemptionForecast
    expect(r.pool).toEqual({
      observations: 120,
      ewmaForecastUsd: usd(f.pool.ewma.forecastUsd),
      historicalForecastUsd: usd(f.pool.historical.forecastUsd!),
      stressedOutflowUsd: usd(f.pool.stressedOutflowUsd),
    })
    const c = r.chains.find((x: { chainId: number }) => x.chainId === 31337)
    const chain = f.chains.find((x) => x.chainId === 31337)!
    expect(c.forecast.stressedOutflowUsd).toBe(usd(chain.forecast.stressedOutflowUsd))
    expect(c.liquidityCoverage.forecastOutflowUsd).toBe(usd(chain.forecast.stressedOutflowUsd))
    expect(chain.forecast.stressedOutflowUsd > 0n).toBe(true)
  })

  it('recommendations: the sdk figures, bounded in paths', async () => {
    const data = await query(`{ pool(id: "${poolId}") { recommendations(target: 0.01, paths: 5000, seed: 3) {
      paths haircutFloors { subject current recommended intervalLower intervalUpper probabilityAfter { estimate upper } reasoning }
      minimumRatio { kind current recommended probabilityNow { estimate count } reasoning } } } }`)
    const r = recommendParameters(now, { poolId, target: 0.01, horizonDays: 10, paths: 5000, seed: 3 })
    const rec = data.pool.recommendations
    expect(rec.paths).toBe(5000)
    const weth = r.haircutFloors.find((h) => h.subject === 'WETH')!
    expect(rec.haircutFloors.find((h: { subject: string }) => h.subject === 'WETH')).toMatchObject({
      current: '0.15',
      recommended: formatDecimal(weth.recommended, 18),
      intervalLower: formatDecimal(weth.interval.lower, 18),
      probabilityAfter: { estimate: weth.probabilityAfter.estimate, upper: weth.probabilityAfter.upper },
      reasoning: weth.reasoning,
    })
    expect(rec.minimumRatio).toMatchObject({
      kind: 'minimum-ratio',
      current: '1.1',
      recommended: formatDecimal(r.minimumRatio!.recommended, 18),
      probabilityNow: { count: r.minimumRatio!.probabilityNow.count },
    })
    // The typed client's document (with its fragment) asks the same.
    const res = await api.fetch('http://ballast/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: RecommendationsDocument.source,
        variables: { id: poolId, target: 0.01, paths: 5000, seed: 3 },
      }),
    })
    const typed = ((await res.json()) as { data: RecommendationsQuery }).data
    expect(typed.pool.recommendations.minimumRatio?.recommended).toBe(rec.minimumRatio.recommended)
    expect(typed.pool.recommendations.haircutFloors).toHaveLength(r.haircutFloors.length)
    const big = await post(
      `{ pool(id: "${poolId}") { recommendations(target: 0.01, paths: 50000) { paths } } }`,
    )
    expect(big.errors?.[0]?.message).toContain('`paths` must be an integer from 100 to 20000.')
  })

  it('tranches: the sdk figures as exact decimals; bad tranches are client errors', async () => {
    const data = await query(`{ pool(id: "${poolId}") { tranches(
      tranches: [{ attachmentUsd: "0", detachmentUsd: "50000" }, { attachmentUsd: "50000", detachmentUsd: "250000.5" }],
      horizonDays: 30, target: 0.001, paths: 4000, seed: 9) {
      expectedShortfallUsd probabilityOfInsolvency { estimate }
      tranches { attachmentUsd detachmentUsd expectedLossUsd premiumUsd probabilityOfInsolvencyAfter { count } }
      cheapest { feasible tranches premiumUsd } } } }`)
    const r = priceTranches(now, {
      poolId,
      horizonDays: 30,
      target: 0.001,
      paths: 4000,
      seed: 9,
      tranches: [
        { attachmentUsd: 0n, detachmentUsd: 50_000n * 10n ** 18n },
        { attachmentUsd: 50_000n * 10n ** 18n, detachmentUsd: 250_000_500_000_000_000_000_000n },
      ],
    })
    const t = data.pool.tranches
    expect(t.expectedShortfallUsd).toBe(usd(r.expectedShortfallUsd))
    expect(t.tranches[1]).toEqual({
      attachmentUsd: '50000',
      detachmentUsd: '250000.5',
      expectedLossUsd: usd(r.tranches[1]!.expectedLossUsd),
      premiumUsd: usd(r.tranches[1]!.premiumUsd),
      probabilityOfInsolvencyAfter: { count: r.tranches[1]!.probabilityOfInsolvencyAfter.count },
    })
    expect(t.cheapest.premiumUsd).toBe(usd(r.cheapest!.premiumUsd))
    const bad = await post(
      `{ pool(id: "${poolId}") { tranches(tranches: [{ attachmentUsd: "5", detachmentUsd: "1" }]) { paths } } }`,
    )
    expect(bad.errors?.[0]?.message).toContain('Invalid tranche.')
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
    const precise = await post(
      `{ pool(id: "${poolId}") { tranches(tranches: [{ attachmentUsd: "0", detachmentUsd: "1.0000000000000000001" }]) { paths } } }`,
    )
    expect(precise.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
  })
})
