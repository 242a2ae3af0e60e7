import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import {
  type PlannerInput,
  plannerInputFromPoolState,
  planRebalance,
  type RebalancePlan,
} from '@ballast/sdk/planner'
import type { ResolvedAction, ResolvedPolicy } from './KeeperPolicy.js'

export type RebalanceAction = Extract<ResolvedAction, { kind: 'rebalance' }>

/**
 * The keeper's plan for one rebalance action: the pool's per-chain books of the asset toward its
 * liquidity targets (`plannerInputFromPoolState`), limited to what the treasury itself holds and
 * can sign for. On each chain with a treasury, with pool balance `B`, pool target `T` and
 * treasury balance `t <= B` (read from the chain at the head):
 *
 *   balance' = t,  target' = max(0, T - (B - t))
 *
 * so the chain's surplus or deficit is the pool's, but only the treasury's tokens move. Chains
 * without a treasury address take no part (nothing can be sent from or to them). Routes: both
 * directions between every pair of treasury chains, minus those the policy does not allow.
 *
 * @param parameters - state and evaluation of the pool, the policy and action, treasury balances
 *   (base units of the asset, by chain id)
 * @returns the planner input and the plan
 */
export function planTreasuryRebalance(parameters: {
  state: PoolState
  evaluation: PoolEvaluation
  policy: ResolvedPolicy
  action: RebalanceAction
  treasuryBalances: ReadonlyMap<number, bigint>
}): { input: PlannerInput; plan: RebalancePlan } {
  const input = treasuryPlannerInput(parameters)
  const plan = planRebalance(input, {
    objective: parameters.action.objective,
    minTransferUsd: parameters.action.minTransferUsd,
  })
  return { input, plan }
}

/** The planner input of {@link planTreasuryRebalance}: the action's asset, bridges only. */
export function treasuryPlannerInput(parameters: {
  state: PoolState
  evaluation: PoolEvaluation
  policy: ResolvedPolicy
  action: RebalanceAction
  treasuryBalances: ReadonlyMap<number, bigint>
}): PlannerInput {
  const { state, evaluation, policy, action } = parameters
  const chains = state.chains.map((c) => c.chainId).filter((id) => policy.treasury.has(id))
  const allowed = policy.limits.allowedRoutes
  const routes = chains.flatMap((from) =>
    chains
      .filter((to) => to !== from && (allowed === undefined || allowed.has(`${from}->${to}`)))
      .map((to) => ({
        fromChainId: from,
        toChainId: to,
        fixedFeeUsd: action.fixedFeeUsd,
        latencySeconds: action.latencySeconds,
      })),
  )
  const pooled = plannerInputFromPoolState({
    state,
    evaluation,
    asset: action.asset,
    routes,
    holders: Object.fromEntries(policy.treasury),
  })
  const input: PlannerInput = {
    ...pooled,
    nodes: pooled.nodes
      .filter((n) => policy.treasury.has(n.chainId))
      .map((n) => {
        const t = parameters.treasuryBalances.get(n.chainId) ?? 0n
        const own = t < n.balance ? t : n.balance
        const others = n.balance - own
        return { ...n, balance: own, target: n.target > others ? n.target - others : 0n }
      }),
  }
  return input
}
