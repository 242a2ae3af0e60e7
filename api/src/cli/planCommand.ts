import { createDatabase, type ResolvedIndexerConfig } from '@ballast/indexer'
import { evaluatePool } from '@ballast/sdk/math'
import { formatPlan, type PlanObjective, planRebalance, type RebalancePlan } from '@ballast/sdk/planner'
import { createIndexerDataSource } from '../dataSource/createIndexerDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { plannerInputOf } from '../figures/plannerInputOf.js'

/** Options of {@link planCommand}. */
export type PlanCommandOptions = {
  config: ResolvedIndexerConfig
  poolId: string
  objective: PlanObjective
}

/**
 * `ballast plan`: reads a pool's latest indexed state and plans the transfers that bring each
 * chain's reserves in line with the liabilities circulating there (the same plan as
 * `Pool.rebalancePlan` with its default assumptions: 0.5 USD per transfer, 60 s, no transfer
 * below 100 USD).
 *
 * @param options - config, pool, objective.
 * @returns the plan and its human-readable summary.
 * @example
 * ```ts
 * const { text } = await planCommand({ config, poolId, objective: 'cheapest' })
 * ```
 */
export async function planCommand(
  options: PlanCommandOptions,
): Promise<{ plan: RebalancePlan; text: string }> {
  const database = await createDatabase(options.config.database)
  try {
    const dataSource = createIndexerDataSource({ db: database.db, config: options.config })
    const [state] = await dataSource.loadPoolStates([{ poolId: options.poolId, time: {} }])
    if (state === undefined) {
      throw new ApiError('Unknown pool.', {
        code: 'NOT_FOUND',
        details: `No pool has id ${options.poolId}; the config lists: ${options.config.pools.map((p) => p.id).join(', ')}.`,
      })
    }
    const input = plannerInputOf(state, evaluatePool(state, { poolId: options.poolId }), {
      fixedFeeUsd: 5n * 10n ** 17n,
      feePpm: 0n,
      latencySeconds: 60,
    })
    const plan = planRebalance(input, { objective: options.objective, minTransferUsd: 100n * 10n ** 18n })
    return { plan, text: formatPlan(plan) }
  } finally {
    await database.destroy()
  }
}
