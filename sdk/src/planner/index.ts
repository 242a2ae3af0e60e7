// `@ballast/sdk/planner`: the rebalance planner. Named exports only (tree-shakable, reviewed).
export { chainIdToEndpointId, knownEndpointIds } from './chainIdToEndpointId.js'
export {
  type ConstantProductPool,
  constantProductAmountOut,
  minimumAmountOut,
  priceImpactPpm,
} from './constantProductAmountOut.js'
export {
  encodeSwapExactTokensForTokens,
  type SwapCall,
  type SwapExactTokensForTokensParameters,
  uniswapV2RouterSwapAbi,
} from './encodeSwapExactTokensForTokens.js'
export { type ExecutorOption, encodeType3Options } from './encodeType3Options.js'
export type { FixedChargeArc, FixedChargeNetwork } from './FixedChargeNetwork.js'
export { formatPlan } from './formatPlan.js'
export {
  addArc,
  arcFlow,
  createFlowGraph,
  type FlowGraph,
  type MinCostFlowResult,
  minCostFlow,
} from './minCostFlow.js'
export type {
  NodeRef,
  PlannerAsset,
  PlannerChain,
  PlannerInput,
  PlannerNode,
  PlannerRoute,
  PlanObjective,
  PlanOptions,
} from './PlannerInput.js'
export { PlanExecutionError, PlannerInputError } from './plannerErrors.js'
export {
  type PlannerInputFromPoolStateParameters,
  type PoolRoute,
  plannerInputFromPoolState,
} from './plannerInputFromPoolState.js'
export { planRebalance } from './planRebalance.js'
export { type PreparedStep, type PrepareStepsParameters, prepareSteps } from './prepareSteps.js'
export {
  buildSendParam,
  defaultExecutorOptions,
  type MessagingFee,
  type PreparedTransfer,
  type PrepareTransfersParameters,
  prepareTransfers,
  quoteSend,
  type SendParam,
  type TransactionRequest,
} from './prepareTransfers.js'
export type {
  ChainOutcome,
  CompositionOutcome,
  InfeasibilityReason,
  NodeOutcome,
  PlanDiagnosis,
  PlannedSwap,
  PlannedTransfer,
  PlanOptimality,
  RebalancePlan,
} from './RebalancePlan.js'
export { routeIdOf } from './routeIdOf.js'
export type { CompositionTarget, SwapSettings, SwapVenue } from './SwapSettings.js'
export {
  type DeRiskingSwap,
  type SizeDeRiskingSwapParameters,
  type SwapHolding,
  sizeDeRiskingSwap,
} from './sizeDeRiskingSwap.js'
export {
  type FixedChargeSolution,
  type SolveFixedChargeOptions,
  solveFixedCharge,
} from './solveFixedCharge.js'
