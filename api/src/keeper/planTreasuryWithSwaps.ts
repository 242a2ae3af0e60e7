import type { PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import { type PlannerInput, type PlannerNode, planRebalance, type RebalancePlan } from '@ballast/sdk/planner'
import { type Address, type Client, erc20Abi } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import { ApiError } from '../errors/ApiError.js'
import type { ResolvedPolicy } from './KeeperPolicy.js'
import { type RebalanceAction, treasuryPlannerInput } from './planTreasuryRebalance.js'
import { readSwapVenues } from './readSwapVenues.js'

/**
 * The keeper's plan for a rebalance action with swap venues: the bridge books of the action's
 * asset as {@link treasuryPlannerInput} builds them, plus the treasury's books of every other
 * asset the venues trade on each treasury chain (balance read at the head, target 0: a volatile
 * asset has no liquidity target, so all of it is spare for the composition limit), and `swaps`
 * with the venues' reserves at the head, the action's composition limit and slippage bound.
 * Only the action's asset is bridged (its OFT is the one the config names); the others are sold
 * where they are.
 *
 * Values are at the evaluation's prices, not haircut-adjusted: the limit is on what the treasury
 * holds, as the signers would read it off a portfolio page.
 *
 * The swap calls' deadline is `swapDeadlineSeconds` after the later of `now` and the venue chains'
 * head timestamps (a devnet or a chain whose clock runs ahead must not see an expired call).
 *
 * @param parameters - state, evaluation, policy and action; the treasury's balances of the action's
 *   asset; clients; the token of an asset symbol on a chain; the current time (unix s)
 * @returns the planner input and the plan (swaps and transfers)
 * @throws {ApiError} when a venue's asset is not priced in the pool's evaluation or has no token
 */
export async function planTreasuryWithSwaps(parameters: {
  state: PoolState
  evaluation: PoolEvaluation
  policy: ResolvedPolicy
  action: RebalanceAction
  treasuryBalances: ReadonlyMap<number, bigint>
  clients: Readonly<Record<number, Client>>
  tokenOf: (asset: string, chainId: number) => Address | undefined
  now: number
}): Promise<{ input: PlannerInput; plan: RebalancePlan }> {
  const { state, evaluation, policy, action, clients, tokenOf } = parameters
  const composition = action.composition!
  const bridged = treasuryPlannerInput(parameters)
  const chains = state.chains.map((c) => c.chainId).filter((id) => policy.treasury.has(id))
  const others = [...new Set(action.venues.flatMap((v) => v.assets))].filter((s) => s !== action.asset)
  const assets = [...bridged.assets]
  const nodes: PlannerNode[] = [...bridged.nodes]
  for (const symbol of others) {
    const price = evaluation.prices.find((p) => p.asset === symbol)
    const asset = state.assets.find((a) => a.symbol === symbol)
    if (price === undefined || asset === undefined) {
      throw new ApiError(`Venue asset ${symbol} is not priced in pool ${policy.pool}.`, {
        details: 'The composition limit values every book at the pool’s prices.',
        metaMessages: ['Trade only assets of the pool at the venues, or add the asset to the pool.'],
      })
    }
    assets.push({ symbol, decimals: asset.decimals, priceUsd: price.priceUsd })
    for (const chainId of chains) {
      const token = tokenOf(symbol, chainId)
      if (token === undefined) continue
      const holder = policy.treasury.get(chainId)!
      const balance = await readContract(clients[chainId]!, {
        address: token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [holder],
      })
      nodes.push({ chainId, asset: symbol, balance, target: 0n, address: holder })
    }
  }
  let start = BigInt(parameters.now)
  for (const chainId of new Set(action.venues.map((v) => v.chainId))) {
    const { timestamp } = await getBlock(clients[chainId]!)
    if (timestamp > start) start = timestamp
  }
  const input: PlannerInput = {
    ...bridged,
    assets,
    nodes,
    swaps: {
      venues: await readSwapVenues(action.venues, { clients, tokenOf }),
      targets: [
        {
          id: action.id,
          chainId: composition.chainId,
          volatileAssets: composition.volatile,
          maxVolatileShareBps: composition.maxVolatileShareBps,
        },
      ],
      slippageBps: BigInt(action.slippageBps),
      deadline: start + BigInt(action.swapDeadlineSeconds),
    },
  }
  const plan = planRebalance(input, { objective: action.objective, minTransferUsd: action.minTransferUsd })
  return { input, plan }
}
