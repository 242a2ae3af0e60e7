import type { Address } from 'viem'
import type { PoolEvaluation } from '../math/evaluatePool.js'
import type { PoolState } from '../state/PoolState.js'
import type { PlannerInput, PlannerNode, PlannerRoute } from './PlannerInput.js'
import { PlannerInputError } from './plannerErrors.js'

const WAD = 10n ** 18n

/** A bridge route of the asset between two chains (the adapter fills in the asset and the nodes). */
export type PoolRoute = Omit<PlannerRoute, 'asset' | 'from' | 'to' | 'kind'> & {
  fromChainId: number
  toChainId: number
}

/** Parameters of {@link plannerInputFromPoolState}. */
export type PlannerInputFromPoolStateParameters = {
  state: PoolState
  /** `evaluatePool(state, { poolId })`: prices and haircuts come from it. */
  evaluation: PoolEvaluation
  /** The reserve asset to move (an asset the pool holds, e.g. `USDC`). */
  asset: string
  /** Bridge routes of that asset between chains. */
  routes: readonly PoolRoute[]
  /**
   * `pooled` (default): one node per chain holding all members' balances. `members`: one node per
   * member and chain, plus a pool relay per chain that members move through for free (the pool's
   * same-chain moves); each member's target is its share of the chain's liabilities.
   */
  books?: 'pooled' | 'members' | undefined
  /** Transfer granularity (the OFT's decimal conversion rate). Default 1. */
  unit?: bigint | undefined
  /** Per chain id: the address that holds and receives the pool's (or relay's) funds. */
  holders?: Readonly<Record<number, Address>> | undefined
}

/**
 * Planner input from a pool's state and evaluation: every chain with a liquidity target wants
 * enough of `asset` for its liquid adjusted reserves to reach `targetLiquidityUsd`:
 *
 *   target tokens = ceil(targetLiquidityUsd * 10^decimals / (priceUsd * (1 - haircut)))
 *
 * (price and haircut from the evaluation; the whole chain target is asked of this one asset, a
 * conservative choice when other liquid assets also sit on the chain). Balances are the members'
 * holdings of `asset` on each chain. Chains without a target have target 0: their balance is
 * surplus.
 *
 * @param parameters - state, evaluation, asset, routes, book layout
 * @returns the planner input
 * @throws {PlannerInputError} when the asset is not priced in the evaluation, is not an ERC-20, or
 *   has different decimals on different chains
 * @example
 * ```ts
 * const state = examplePoolState()
 * const evaluation = evaluatePool(state, { poolId: 'pool' })
 * const input = plannerInputFromPoolState({
 *   state,
 *   evaluation,
 *   asset: 'USDC',
 *   routes: [{ fromChainId: 1, toChainId: 2, latencySeconds: 60 }],
 * })
 * ```
 */
export function plannerInputFromPoolState(parameters: PlannerInputFromPoolStateParameters): PlannerInput {
  const { state, evaluation, asset: symbol } = parameters
  const asset = state.assets.find((a) => a.symbol === symbol)
  const figures = evaluation.assets.find((a) => a.asset === symbol)
  const price = evaluation.prices.find((p) => p.asset === symbol)
  const haircut = figures?.haircut ?? evaluation.haircuts.find((h) => h.asset === symbol)?.haircut
  if (asset === undefined || asset.kind !== 'erc20' || price === undefined || haircut === undefined) {
    throw new PlannerInputError(`Cannot plan ${symbol}.`, {
      details: `${symbol} is ${asset === undefined ? 'not an asset of the state' : asset.kind !== 'erc20' ? `a ${asset.kind} asset, not a bridgeable ERC-20` : 'not priced in the evaluation'}.`,
      metaMessages: ['Pick an ERC-20 reserve asset the pool holds (e.g. USDC), and evaluate the same state.'],
    })
  }
  const pool = state.pools.find((p) => p.id === evaluation.poolId)!
  const members = state.members.filter((m) => m.poolId === pool.id)
  const books = parameters.books ?? 'pooled'
  const holder = (chainId: number) => parameters.holders?.[chainId]
  const adjustedPerToken = (price.priceUsd * (WAD - haircut)) / WAD
  const targetOf = (chainId: number): bigint => {
    const t = pool.liquidityTargets.find((l) => l.chainId === chainId)
    if (t === undefined || t.targetLiquidityUsd === 0n) return 0n
    if (adjustedPerToken === 0n) {
      throw new PlannerInputError(`${symbol} counts for nothing.`, {
        details: `${symbol} has price ${price.priceUsd} and haircut ${haircut}: its adjusted value is 0.`,
      })
    }
    const scaled = t.targetLiquidityUsd * 10n ** BigInt(asset.decimals)
    return (scaled + adjustedPerToken - 1n) / adjustedPerToken
  }
  const holdingOf = (memberId: string, chainId: number): bigint => {
    let sum = 0n
    for (const h of members.find((m) => m.id === memberId)!.holdings) {
      if (h.asset !== symbol || h.chainId !== chainId) continue
      if (h.decimals !== asset.decimals) {
        throw new PlannerInputError(`${symbol} has other decimals on chain ${chainId}.`, {
          details: `member ${memberId} holds ${symbol} with ${h.decimals} decimals on chain ${chainId}; the asset has ${asset.decimals}.`,
          metaMessages: ['The planner moves one token with one set of decimals (an OFT).'],
        })
      }
      sum += h.amount
    }
    return sum
  }
  const nodes: PlannerNode[] = []
  const routes: PlannerRoute[] = []
  for (const chain of state.chains) {
    const target = targetOf(chain.chainId)
    const address = holder(chain.chainId)
    const withAddress = address === undefined ? {} : { address }
    if (books === 'pooled') {
      const balance = members.reduce((s, m) => s + holdingOf(m.id, chain.chainId), 0n)
      nodes.push({ chainId: chain.chainId, asset: symbol, balance, target, ...withAddress })
      continue
    }
    // Members' books: the chain target split by each member's share of the chain's liabilities.
    nodes.push({ chainId: chain.chainId, asset: symbol, balance: 0n, target: 0n, ...withAddress })
    const supplies = members.map((m) =>
      m.liabilities.filter((l) => l.chainId === chain.chainId).reduce((s, l) => s + l.supply, 0n),
    )
    const total = supplies.reduce((s, x) => s + x, 0n)
    members.forEach((m, i) => {
      const share = total === 0n ? 0n : (target * supplies[i]! + total - 1n) / total
      nodes.push({
        chainId: chain.chainId,
        asset: symbol,
        member: m.id,
        balance: holdingOf(m.id, chain.chainId),
        target: share,
      })
      routes.push(
        {
          asset: symbol,
          kind: 'internal',
          from: { chainId: chain.chainId, member: m.id },
          to: { chainId: chain.chainId },
          latencySeconds: 0,
        },
        {
          asset: symbol,
          kind: 'internal',
          from: { chainId: chain.chainId },
          to: { chainId: chain.chainId, member: m.id },
          latencySeconds: 0,
        },
      )
    })
  }
  for (const r of parameters.routes) {
    const { fromChainId, toChainId, ...rest } = r
    routes.push({
      ...rest,
      asset: symbol,
      kind: 'bridge',
      from: { chainId: fromChainId },
      to: { chainId: toChainId },
    })
  }
  return {
    chains: state.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets: [
      {
        symbol,
        decimals: asset.decimals,
        priceUsd: price.priceUsd,
        ...(parameters.unit === undefined ? {} : { unit: parameters.unit }),
      },
    ],
    nodes,
    routes,
  }
}
