// Subpath entry `@ballast/sdk/math`: exact money helpers, the PoolState input type and the reserve
// math. Every export is named so bundlers can drop what an app does not use.
export { assertDecimals, MAX_DECIMALS } from '../money/assertDecimals.js'
export { divRound } from '../money/divRound.js'
export { fixedToNumber, numberToFixed } from '../money/fixedNumber.js'
export { type FormatDecimalOptions, formatDecimal } from '../money/formatDecimal.js'
export { MoneyError, PrecisionLossError } from '../money/MoneyError.js'
export { mulDiv } from '../money/mulDiv.js'
export { parseDecimal } from '../money/parseDecimal.js'
export { pow10 } from '../money/pow10.js'
export { type RoundingMode, roundingModes } from '../money/RoundingMode.js'
export { scaleDecimals } from '../money/scaleDecimals.js'
export { sqrt } from '../money/sqrt.js'
export { toUsd } from '../money/toUsd.js'
export { bpsToWad, RATIO_DECIMALS, USD_DECIMALS, WAD, wadDiv, wadMul } from '../money/wad.js'
export { aTokenBalance, normalizedIncome, RAY, rayMul } from '../state/aaveIncome.js'
export { buildPoolState } from '../state/buildPoolState.js'
export { composeFeedPrices } from '../state/composeFeedPrices.js'
export { examplePoolState } from '../state/examplePoolState.js'
export { InvalidPoolStateError } from '../state/InvalidPoolStateError.js'
export {
  type AssetFact,
  type BalanceFact,
  type ConfiguredRisk,
  type LiabilityFact,
  type LiquidityTargetFacts,
  type MemberFact,
  type Missing,
  POSITION_KINDS,
  type PoolFacts,
  type PositionKind,
  type PriceFact,
  type RiskUpdateFact,
} from '../state/PoolFacts.js'
export type {
  Asset,
  AssetBase,
  AssetKind,
  AssetRiskParameters,
  Chain,
  ChainBlock,
  ConstantProductLpAsset,
  DegradedCode,
  DegradedReason,
  Erc20Asset,
  Erc4626Asset,
  Holding,
  InFlightTransfer,
  LiabilitySupply,
  LiquidityTarget,
  Member,
  Pool,
  PoolState,
  Price,
  PricePoint,
} from '../state/PoolState.js'
export { parsePoolState, serializePoolState } from '../state/serializePoolState.js'
export { validatePoolState } from '../state/validatePoolState.js'
export { cholesky } from './cholesky.js'
export {
  type AssetHaircut,
  computeHaircuts,
  defaultHaircutOptions,
  type HaircutOptions,
  type StalePricePolicy,
  volatilityHaircut,
} from './computeHaircuts.js'
export { createRandom, type Random } from './createRandom.js'
export {
  type EstimateRiskModelOptions,
  estimateRiskModel,
  type RiskModel,
  riskModelFromVolatilities,
} from './estimateRiskModel.js'
export {
  type AssetFigures,
  type ChainEvaluation,
  type EvaluatePoolOptions,
  evaluatePool,
  type MemberChainFigures,
  type MemberEvaluation,
  type PoolEvaluation,
  type PositionEvaluation,
  type ReserveFigures,
  selectPool,
} from './evaluatePool.js'
export { ewmaCovariance, ewmaVariance, ewmaVolatility, RISKMETRICS_LAMBDA } from './ewmaVolatility.js'
export {
  buildExposureModel,
  type ExposureModel,
  type MemberExposure,
  netSensitivity,
} from './exposureModel.js'
export {
  type ChainLiquidityCoverage,
  type LiquidityCoverageOptions,
  liquidityCoverage,
} from './liquidityCoverage.js'
export {
  createShockSimulator,
  type MonteCarloOptions,
  type MonteCarloStressResult,
  monteCarloPaths,
  monteCarloPoolingBenefit,
  monteCarloStress,
  type PooledSimulation,
  simulatePooledValues,
} from './monteCarlo.js'
export { normalCdf, normalQuantile } from './normalQuantile.js'
export { type PoolingBenefit, poolingBenefit } from './poolingBenefit.js'
export {
  type PriceSensitivity,
  priceSensitivities,
  type ReserveExposure,
  reserveExposure,
} from './priceSensitivities.js'
export { ReserveMathError } from './ReserveMathError.js'
export { type AssetPrice, lpPoolValueUsd, resolveAssetPrices } from './resolveAssetPrices.js'
export type { RiskOptions } from './riskOptions.js'
export {
  findScenario,
  runStressTest,
  type StressDelta,
  type StressTestResult,
  shockedPrices,
} from './runStressTest.js'
export {
  type StressScenario,
  stressScenarioNames,
  stressScenarios,
} from './stressScenarios.js'
