import type { BenchTarget } from '../BenchTarget.js'

// The same question asked of both APIs under load: the pool members' reserve holdings per chain
// and asset, and their liability supplies. Ballast answers it with its pool model; Ponder's
// generated GraphQL returns the underlying rows (tracked holders' balances in the reserve tokens,
// supplies of the liability tokens), which a client sums per member.

/**
 * Ballast's query: every member's holdings and liabilities.
 *
 * @param poolId - the pool.
 * @returns GraphQL text.
 * @example
 * const query = membersQuery(benchPoolId)
 */
export function membersQuery(poolId: string): string {
  return `{ members(poolId: "${poolId}", first: 20) { nodes { name holdings { chainId asset raw } liabilities { chainId symbol supply } } } }`
}

/**
 * Ponder's equivalent: the tracked holders' balances in the reserve tokens and the liability
 * tokens' supplies, on every chain.
 *
 * @param target - the bench target (holders and tokens).
 * @returns GraphQL text.
 * @example
 * const query = ponderHoldingsQuery(target)
 */
export function ponderHoldingsQuery(target: BenchTarget): string {
  const list = (xs: Iterable<string>) => `[${[...new Set(xs)].map((x) => `"${x}"`).join(', ')}]`
  const holders = list(target.chains.flatMap((c) => c.holders))
  const reserve = list(
    target.chains.flatMap((c) => c.tokens.filter((t) => t.kind === 'reserve').map((t) => t.address)),
  )
  const liability = list(
    target.chains.flatMap((c) => c.tokens.filter((t) => t.kind === 'liability').map((t) => t.address)),
  )
  return `{ balances(where: { holder_in: ${holders}, token_in: ${reserve} }, limit: 1000) { items { chainId token holder amount } } supplys(where: { token_in: ${liability} }) { items { chainId token amount } } }`
}
