import type { PoolEvaluation } from '@ballast/sdk/math'

/**
 * Net redemptions per chain and period from a pool's evaluations at successive times: the fall
 * of each chain's liabilities (USD) from one evaluation to the next (negative: net issuance).
 * The input of the sdk's `liquidityCoverage` forecast.
 *
 * @param evaluations - the pool evaluated at successive times, oldest first.
 * @returns per chain, the amounts per period, oldest first.
 * @example
 * ```ts
 * observedRedemptions([dayAgo, now]) // [{ chainId: 1, amountsUsd: [5_000n * 10n ** 18n] }]
 * ```
 */
export function observedRedemptions(
  evaluations: readonly PoolEvaluation[],
): { chainId: number; amountsUsd: bigint[] }[] {
  const chains = new Map<number, bigint[]>()
  for (let i = 1; i < evaluations.length; i++) {
    const before = new Map(evaluations[i - 1]!.chains.map((c) => [c.chainId, c.liabilitiesUsd]))
    for (const c of evaluations[i]!.chains) {
      const amounts = chains.get(c.chainId) ?? []
      amounts.push((before.get(c.chainId) ?? 0n) - c.liabilitiesUsd)
      chains.set(c.chainId, amounts)
    }
  }
  return [...chains.entries()].map(([chainId, amountsUsd]) => ({ chainId, amountsUsd }))
}
