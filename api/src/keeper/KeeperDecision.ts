import type { FiredTrigger } from './evaluateTriggers.js'

/** How far the keeper may go: decide only, write batch files for signers, or send with its account. */
export type KeeperMode = 'observe' | 'propose' | 'execute'

/**
 * What became of one action in one decision:
 * - `not-triggered`: none of its triggers fired;
 * - `nothing-to-do`: the planner found no transfer worth making;
 * - `limit-hit`: the plan would pass a hard limit (named in `reason`), nothing proposed;
 * - `simulation-failed`: a batch reverted in the dry run at the head, nothing proposed;
 * - `observed`: a plan within limits, not proposed (observe mode);
 * - `proposed`: batch files written for the signers (then `executed` once its transfers are
 *   indexed, or `superseded` by a later proposal);
 * - `executing`: execute mode, its transactions planned in the journal and being sent (then
 *   `executed` once every one is mined and every OFT send delivered, or `failed`);
 * - `alerted` / `alert-failed`: the alert was delivered, or not (the reason says why).
 *
 * A governance action goes through the same statuses: `nothing-to-do` (every floor in force meets
 * the recommendation, or the update is already scheduled), `observed`, `proposed` (a batch of
 * `schedule` calls for the proposer Safe), `executing` (`schedule` sent by the account).
 */
export type ActionStatus =
  | 'not-triggered'
  | 'nothing-to-do'
  | 'limit-hit'
  | 'simulation-failed'
  | 'observed'
  | 'proposed'
  | 'superseded'
  | 'executing'
  | 'executed'
  | 'failed'
  | 'alerted'
  | 'alert-failed'

/** One batch file written for a chain's Safe. */
export type ProposedBatch = {
  chainId: number
  safe: `0x${string}`
  /** File name in the keeper's output folder. */
  file: string
  checksum: `0x${string}`
  calls: number
  gasEstimate: string
  /** The batch file itself (what the API serves). */
  json: string
}

/** A planned transfer as the decision records it (exact decimal strings). */
export type DecidedTransfer = {
  asset: string
  fromChainId: number
  toChainId: number
  amount: string
  wave: number
}

/**
 * A risk-parameter update a governance action scheduled (or would schedule) on one chain: the
 * registry's `setRiskParameters` through the risk timelock's `schedule`.
 */
export type RiskProposal = {
  chainId: number
  asset: string
  /** The asset's token on this chain (the registry keys risk parameters by it). */
  token: `0x${string}`
  registry: `0x${string}`
  timelock: `0x${string}`
  /** The timelock's operation id (`hashOperation`), to look it up or execute it. */
  operationId: `0x${string}`
  salt: `0x${string}`
  /** Seconds between the schedule and the earliest execution (the timelock's minimum delay). */
  delay: number
  currentFloorBps: number
  haircutFloorBps: number
  /** Kept as in force (the update changes the floor only). */
  liquidationThresholdBps: number
  liquidationHorizon: number
  /** Calldata of `setRiskParameters` (what the timelock runs) and of `schedule` (what the proposer sends). */
  call: `0x${string}`
  schedule: `0x${string}`
  /** The risk model's reasoning for the new floor, to quote in the proposal. */
  reasoning: string
}

/** A swap of a rebalance plan, amounts as decimal strings of the tokens. */
export type DecidedSwap = {
  venueId: string
  chainId: number
  assetIn: string
  assetOut: string
  amountIn: string
  /** The router call's `amountOutMin` (the slippage bound the plan counts). */
  minimumAmountOut: string
  expectedAmountOut: string
  wave: number
}

export type ActionOutcome = {
  actionId: string
  kind: 'rebalance' | 'alert' | 'governance'
  status: ActionStatus
  /** Why this status (the limit hit, the revert, the plan's verdict); empty when obvious. */
  reason: string
  /** For `limit-hit`: the limit's field (`perDayUsd`, `perRouteUsd.1->10`, `cooldownSeconds`, ...). */
  limit?: string | undefined
  /** USD moved by the action's first wave (18 decimals as a decimal string), rebalances only. */
  movedUsd?: string | undefined
  transfers?: readonly DecidedTransfer[] | undefined
  /** Rebalances with venues: the plan's swaps (every wave; only the first is proposed or sent). */
  swaps?: readonly DecidedSwap[] | undefined
  batches?: readonly ProposedBatch[] | undefined
  /** Governance actions: the risk-parameter updates. */
  proposals?: readonly RiskProposal[] | undefined
}

/** One evaluation of a policy at an indexed head. */
export type KeeperDecision = {
  /** `<policy>-<n>`, increasing. */
  id: string
  policy: string
  poolId: string
  mode: KeeperMode
  /** Unix seconds when decided. */
  at: number
  /** The indexed blocks the decision read. */
  blocks: readonly { chainId: number; block: string }[]
  triggered: readonly FiredTrigger[]
  actions: readonly ActionOutcome[]
}
