// `@ballast/sdk/risk`: model validation and risk decisions (backtests, redemption forecasts,
// parameter recommendations, insurance tranches). Named exports only (no `export *`).
export { type BacktestVaROptions, backtestVaR, type VaRBacktest } from './backtestVaR.js'
export { baselTrafficLight, type TrafficLight, type TrafficLightZone } from './baselTrafficLight.js'
export { binomialCdf } from './binomialCdf.js'
export { chiSquareCdf, chiSquarePValue } from './chiSquare.js'
export { type ExceptionTests, exceptionTests } from './exceptionTests.js'
export {
  backtestRedemptionForecast,
  forecastPoolRedemptions,
  forecastRedemptions,
  type PoolRedemptionForecast,
  type RedemptionBacktest,
  type RedemptionBacktestOptions,
  type RedemptionForecast,
  type RedemptionForecastOptions,
} from './forecastRedemptions.js'
export {
  bernoulliLogLikelihood,
  christoffersenConditionalCoverageTest,
  christoffersenIndependenceTest,
  type ExceptionTransitions,
  exceptionTransitions,
  kupiecTest,
  type LikelihoodRatioTest,
} from './likelihoodRatioTests.js'
export { logGamma } from './logGamma.js'
export {
  type PriceTranchesOptions,
  priceTranches,
  type RatioQuantiles,
  type Tranche,
  type TrancheAnalysis,
  type TrancheFigures,
} from './priceTranches.js'
export {
  type ParameterRecommendation,
  type ParameterRecommendations,
  type RecommendParametersOptions,
  recommendParameters,
} from './recommendParameters.js'
export { regularizedGammaP, regularizedGammaQ } from './regularizedGamma.js'
export { type ProbabilityEstimate, wilsonInterval } from './wilsonInterval.js'
