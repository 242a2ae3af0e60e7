// Risk models: backtests of 20 assets x 1,000 days (target < 200 ms CPU) and parameter
// recommendations for a 20-asset pool (target < 2 s).
import { createRandom } from '@ballast/sdk/math'
import { backtestVaR, priceTranches, recommendParameters } from '@ballast/sdk/risk'
import { syntheticPoolState, time } from './sdk-evaluate.bench.js'
import { syntheticRiskModel } from './sdk-montecarlo.bench.js'

export async function run(): Promise<void> {
  const assets = 20
  const days = 1_000
  const estimationWindow = 250
  // Geometric random walks, daily volatilities 1%..5.75%: 1,000 tested days after 250 days of estimation.
  const rng = createRandom(20)
  const series = Array.from({ length: assets }, (_, a) => {
    const out = [100]
    for (let i = 0; i < days + estimationWindow; i++)
      out.push(out[i]! * Math.exp((0.01 + a * 0.0025) * rng.normal()))
    return out
  })
  let exceptions = 0
  const backtest = time(`backtestVaR ${assets} assets x ${days} days (EWMA, 250-day window)`, 15, () => {
    exceptions = 0
    for (const s of series) exceptions += backtestVaR(s, { estimationWindow }).exceptions
  })
  console.log(`  ${exceptions} exceptions of ${assets * days} (expected ${assets * days * 0.01} at 99%)`)
  console.log(`target < 200 ms CPU for the backtest: ${backtest < 200 ? 'met' : 'NOT met'}`)

  const state = syntheticPoolState(100, 10, assets)
  const riskModel = syntheticRiskModel(assets)
  const options = { riskModel, target: 0.01, paths: 10_000, seed: 7, validate: false }
  let floors = 0
  const recommend = time(`recommendParameters ${assets}-asset pool, 10,000 paths`, 5, () => {
    floors = recommendParameters(state, options).haircutFloors.length
  })
  const rec = recommendParameters(state, options)
  console.log(
    `  ${floors} haircut floors; minimum ratio ${(Number(rec.minimumRatio?.recommended) / 1e18).toFixed(4)} (now ${(Number(rec.minimumRatio?.current) / 1e18).toFixed(4)})`,
  )
  console.log(`target < 2 s for the recommendations: ${recommend < 2_000 ? 'met' : 'NOT met'}`)
  // Layers of 1M USD from 0 to 5M (one gap): the cheapest set is searched over all 16 subsets.
  const limit = 10n ** 24n
  time('priceTranches 20-asset pool, 10,000 paths, 4 tranches + cheapest set', 5, () =>
    priceTranches(state, {
      riskModel,
      paths: 10_000,
      seed: 7,
      validate: false,
      target: 0.001,
      tranches: [0n, 1n, 2n, 4n].map((k) => ({ attachmentUsd: k * limit, detachmentUsd: (k + 1n) * limit })),
    }),
  )
}
