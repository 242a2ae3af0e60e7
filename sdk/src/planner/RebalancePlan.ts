import type { Address } from 'viem'
import type { SwapCall } from './encodeSwapExactTokensForTokens.js'
import type { PlanObjective } from './PlannerInput.js'

/** A planned move of one asset along one route. */
export type PlannedTransfer = {
  /** Route id (the input's `id`, or `chainId[/member] -> chainId[/member]`). */
  routeId: string
  kind: 'bridge' | 'internal'
  asset: string
  from: { chainId: number; member?: string | undefined }
  to: { chainId: number; member?: string | undefined }
  /** The sending node's holder (`PlannerNode.address`), who signs the transfer. */
  fromAddress?: Address | undefined
  /** The receiving node's holder, the recipient on the destination. */
  toAddress?: Address | undefined
  /** Amount sent and delivered, base units (a multiple of the asset's `unit`). */
  amount: bigint
  /** Fixed fee + gas + proportional fee, USD with 18 decimals (rounded up). */
  costUsd: bigint
  fixedFeeUsd: bigint
  gasUsd: bigint
  /** Proportional fee valued in USD (18 decimals, rounded up). */
  proportionalFeeUsd: bigint
  latencySeconds: number
  /** Execution wave: a transfer leaving a node that waits for inflows runs after them. 0 = first. */
  wave: number
  /** Seconds from the start of the plan until this transfer is delivered (critical path). */
  deliveredAfterSeconds: number
}

/** A planned swap on a constant-product venue (see `planWithSwaps`). */
export type PlannedSwap = {
  venueId: string
  chainId: number
  member?: string | undefined
  /** The selling node's holder (`PlannerNode.address`), who signs the approval and the swap. */
  fromAddress?: Address | undefined
  /** The composition target it serves. */
  targetId: string
  assetIn: string
  assetOut: string
  /** Exact amount sold, base units. */
  amountIn: bigint
  /** Output at the reserves the swap meets (Uniswap V2 getAmountOut). */
  expectedAmountOut: bigint
  /** Least output at the slippage bound (`amountOutMin`); the plan's figures count this. */
  minimumAmountOut: bigint
  /** Price impact of the expected swap, fee included, ppm (rounded up). */
  priceImpactPpm: bigint
  /** Value sold minus expected value bought at the input prices, USD 18 decimals (rounded up). */
  costUsd: bigint
  /** `before-bridges`: its output may be bridged; `after-bridges`: it sells what was received. */
  phase: 'before-bridges' | 'after-bridges'
  /** Execution wave, shared with transfers (a swap takes no time). */
  wave: number
  /** Seconds from the start of the plan until the swap can run. */
  executedAfterSeconds: number
  /** Router02 `swapExactTokensForTokens` call, when the node has an address. */
  call?: SwapCall | undefined
  /** ERC-20 `approve(router, amountIn)` on the sold token, sent before `call` (with `call`). */
  approveCall?: SwapCall | undefined
}

/** A composition target before and after the plan (shares at the minimum outputs). */
export type CompositionOutcome = {
  targetId: string
  chainId?: number | undefined
  member?: string | undefined
  maxVolatileShareBps: bigint
  /** Volatile share of value in scope, bps (rounded down before, up after: never understated). */
  volatileShareBeforeBps: bigint
  volatileShareAfterBps: bigint
  /** Exact: `volatile * 10000 <= max * total` over the scope's values after the plan. */
  met: boolean
}

/** A node's book before and after the plan. */
export type NodeOutcome = {
  chainId: number
  chainName: string
  asset: string
  member?: string | undefined
  target: bigint
  before: bigint
  after: bigint
  /** `balance / target` in basis points (undefined for a zero target). */
  coverageBeforeBps: bigint | undefined
  coverageAfterBps: bigint | undefined
  /** Target minus balance after, when positive: what the plan could not deliver. */
  shortfall: bigint
}

/** A chain's book of one asset (members summed) before and after the plan. */
export type ChainOutcome = {
  chainId: number
  chainName: string
  asset: string
  target: bigint
  before: bigint
  after: bigint
  coverageBeforeBps: bigint | undefined
  coverageAfterBps: bigint | undefined
}

/** Why a target cannot be met. */
export type InfeasibilityReason =
  | { kind: 'insufficient-surplus'; asset: string; totalSurplus: bigint; totalDeficit: bigint }
  | { kind: 'no-route'; asset: string; chainId: number; chainName: string; member?: string | undefined }
  | {
      kind: 'binding-capacity'
      asset: string
      routeId: string
      from: { chainId: number; member?: string | undefined }
      to: { chainId: number; member?: string | undefined }
      capacity: bigint
    }
  | { kind: 'min-transfer'; asset: string; minTransfer: bigint; shortfall: bigint }

/** Diagnosis of an infeasible plan: who stays short, and which constraints bind. */
export type PlanDiagnosis = {
  /** Nodes left under target, with the amount missing. */
  short: readonly {
    chainId: number
    chainName: string
    asset: string
    member?: string | undefined
    shortfall: bigint
  }[]
  reasons: readonly InfeasibilityReason[]
}

/** How close the plan is to the optimum, per asset. */
export type PlanOptimality = {
  asset: string
  /** `linear` (one min-cost flow), `branch-and-bound` or `slope-scaling` (see solveFixedCharge). */
  method: 'linear' | 'branch-and-bound' | 'slope-scaling'
  /** Proven optimal (within this asset's shortfall). */
  exact: boolean
  costUsd: bigint
  /** Proven lower bound on the cost at this shortfall, USD (18 decimals, rounded down). */
  costLowerBoundUsd: bigint
  /** `(cost - bound) / cost`, a float for reporting only (0 when exact). */
  gap: number
  relaxations: number
}

/** Result of {@link planRebalance}. */
export type RebalancePlan = {
  objective: PlanObjective
  /** Decimals of each asset, to format amounts. */
  assets: readonly { symbol: string; decimals: number }[]
  /** Every target met. */
  feasible: boolean
  transfers: readonly PlannedTransfer[]
  /** Sum of transfer costs, USD with 18 decimals. */
  totalCostUsd: bigint
  /** Largest latency of any transfer (what `fastest` minimises). */
  slowestLegSeconds: number
  /** Critical path: seconds until the last transfer is delivered, waves run in sequence. */
  totalTimeSeconds: number
  nodes: readonly NodeOutcome[]
  chains: readonly ChainOutcome[]
  /** Per asset: how much of the deficit was netted on its own chain versus bridged. */
  netting: readonly {
    asset: string
    totalSurplus: bigint
    totalDeficit: bigint
    /** Deficit covered by same-chain moves between members (no bridge). */
    nettedOnChain: bigint
    /** Amount moved by bridge transfers. */
    bridged: bigint
    shortfall: bigint
  }[]
  optimality: readonly PlanOptimality[]
  /** Swap steps, present when the input has `swaps`. */
  swaps?: readonly PlannedSwap[] | undefined
  /** Sum of the swaps' costs (not in `totalCostUsd`, which sums transfers), USD 18 decimals. */
  swapCostUsd?: bigint | undefined
  /** Composition targets before and after, present when the input has `swaps`. */
  composition?: readonly CompositionOutcome[] | undefined
  /** Present when some target is not met. */
  diagnosis?: PlanDiagnosis | undefined
}
