import { describe, expect, it } from 'vitest'
import { evaluatePool } from '../math/evaluatePool.js'
import { examplePoolState } from '../state/examplePoolState.js'
import { PlannerInputError } from './plannerErrors.js'
import { plannerInputFromPoolState } from './plannerInputFromPoolState.js'
import { planRebalance } from './planRebalance.js'

const USD = 10n ** 18n

describe('plannerInputFromPoolState', () => {
  const state = examplePoolState()
  const evaluation = evaluatePool(state, { poolId: 'main' })
  const routes = [
    { fromChainId: 1, toChainId: 2, fixedFeeUsd: USD / 2n, feePpm: 100n, latencySeconds: 60 },
    { fromChainId: 2, toChainId: 1, fixedFeeUsd: USD / 2n, feePpm: 100n, latencySeconds: 60 },
  ]
  // 200,000 USD of liquid adjusted reserves per chain, USDC at 1 USD with a 2% haircut:
  // ceil(200,000e6 / 0.98) = 204,081.632654 USDC.
  const target = 204_081_632_654n

  it('pooled books: chain targets from liquidity targets, balances from holdings', () => {
    const input = plannerInputFromPoolState({ state, evaluation, asset: 'USDC', routes })
    expect(input.nodes).toEqual([
      { chainId: 1, asset: 'USDC', balance: 600_000_000_000n, target },
      { chainId: 2, asset: 'USDC', balance: 0n, target },
    ])
    const plan = planRebalance(input)
    expect(plan.feasible).toBe(true)
    expect(plan.transfers.map((t) => [t.from.chainId, t.to.chainId, t.amount])).toEqual([[1, 2, target]])
  })

  it("members' books: targets split by liabilities, moves through the chain's pool relay", () => {
    const input = plannerInputFromPoolState({ state, evaluation, asset: 'USDC', routes, books: 'members' })
    const chain2 = input.nodes.filter((n) => n.chainId === 2 && n.member !== undefined)
    // Alpha and beta each have 300,000 bUSD of liabilities on chain 2: half the target each.
    expect(chain2.map((n) => [n.member, n.target])).toEqual([
      ['alpha', 102_040_816_327n],
      ['beta', 102_040_816_327n],
    ])
    const plan = planRebalance(input)
    expect(plan.feasible).toBe(true)
    const bridged = plan.transfers.filter((t) => t.kind === 'bridge')
    expect(bridged.map((t) => [t.from.chainId, t.to.chainId, t.amount])).toEqual([
      [1, 2, 2n * 102_040_816_327n],
    ])
    expect(plan.nodes.find((n) => n.chainId === 2 && n.member === 'beta')!.after).toBe(102_040_816_327n)
  })

  it('refuses assets it cannot move', () => {
    expect(() => plannerInputFromPoolState({ state, evaluation, asset: 'svUSDC', routes })).toThrow(
      PlannerInputError,
    )
    expect(() => plannerInputFromPoolState({ state, evaluation, asset: 'DAI', routes })).toThrow(
      'Cannot plan DAI.\n\nDetails: DAI is not an asset of the state.',
    )
  })
})
