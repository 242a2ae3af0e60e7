// Monte Carlo stress: 100,000 paths x 20 correlated assets. Target: under 1 s on this machine.
import {
  monteCarloPoolingBenefit,
  monteCarloStress,
  type RiskModel,
  riskModelFromVolatilities,
} from '@ballast/sdk/math'
import { syntheticPoolState } from './sdk-evaluate.bench.js'

/**
 * The risk model of `syntheticPoolState`'s assets `A0..A(n-1)`: daily volatilities 1%..5.75%, all
 * pairs correlated 0.5 (positive definite).
 *
 * @param assets - number of assets.
 * @returns the model.
 */
export function syntheticRiskModel(assets: number): RiskModel {
  const symbols = Array.from({ length: assets }, (_, i) => `A${i}`)
  return riskModelFromVolatilities(
    symbols,
    symbols.map((_, i) => 0.01 + i * 0.0025),
    symbols.map((_, i) => symbols.map((_, j) => (i === j ? 1 : 0.5))),
  )
}

export async function run(): Promise<void> {
  const assets = 20
  const state = syntheticPoolState(100, 10, assets)
  const model = syntheticRiskModel(assets)
  const options = { riskModel: model, horizonDays: 10, seed: 7, validate: false }
  monteCarloStress(state, { ...options, paths: 1_000 })
  const t0 = performance.now()
  const result = monteCarloStress(state, { ...options, paths: 100_000 })
  const elapsed = performance.now() - t0
  console.log(
    `monteCarloStress 100,000 paths x ${assets} assets (100 members, 10 chains): ${elapsed.toFixed(0)} ms`,
  )
  console.log(
    `  base ratio ${result.baseRatio?.toFixed(4)}, 99% ratio VaR ${result.ratioVaR?.toFixed(4)}, ES ${result.ratioExpectedShortfall?.toFixed(4)}, P(RR<1) ${result.probabilityBelowOne}`,
  )
  console.log(`target < 1 s: ${elapsed < 1_000 ? 'met' : 'NOT met'}`)
  const t1 = performance.now()
  const benefit = monteCarloPoolingBenefit(state, { ...options, paths: 10_000 })
  console.log(
    `monteCarloPoolingBenefit 10,000 paths x 100 members: ${(performance.now() - t1).toFixed(0)} ms (benefit ${Number(benefit.benefitShare) / 1e16}% of standalone buffers)`,
  )
}
