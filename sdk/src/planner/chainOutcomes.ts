import type { ChainOutcome, NodeOutcome } from './RebalancePlan.js'
import type { CheckedInput } from './validatePlannerInput.js'

/**
 * Per chain and asset: members' books summed, before and after the plan, with coverage.
 *
 * @param nodes - the node outcomes
 * @param checked - the validated input (chain names)
 * @returns one outcome per (asset, chain), in first-appearance order
 * @example
 * ```ts
 * const chains = chainOutcomes(plan.nodes, checked)
 * ```
 */
export function chainOutcomes(
  nodes: readonly NodeOutcome[],
  checked: Pick<CheckedInput, 'chainName'>,
): ChainOutcome[] {
  // asset -> chain id -> outcome (no string keys); `order` keeps first appearance.
  const byAsset = new Map<string, Map<number, ChainOutcome>>()
  const order: ChainOutcome[] = []
  for (const n of nodes) {
    let byChain = byAsset.get(n.asset)
    if (byChain === undefined) {
      byChain = new Map()
      byAsset.set(n.asset, byChain)
    }
    let c = byChain.get(n.chainId)
    if (c === undefined) {
      c = {
        chainId: n.chainId,
        chainName: checked.chainName(n.chainId),
        asset: n.asset,
        target: 0n,
        before: 0n,
        after: 0n,
        coverageBeforeBps: undefined,
        coverageAfterBps: undefined,
      }
      byChain.set(n.chainId, c)
      order.push(c)
    }
    c.target += n.target
    c.before += n.before
    c.after += n.after
  }
  return order.map((c) => ({
    ...c,
    coverageBeforeBps: coverageBps(c.before, c.target),
    coverageAfterBps: coverageBps(c.after, c.target),
  }))
}

/** `balance / target` in basis points, undefined for a zero target. */
export function coverageBps(balance: bigint, target: bigint): bigint | undefined {
  return target === 0n ? undefined : (balance * 10_000n) / target
}
