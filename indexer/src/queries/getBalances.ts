import type { Address } from 'viem'
import { decodeUint256 } from '../storage/uint256.js'
import { latestRows } from './latestRows.js'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt } from './resolveAt.js'

/** A holder's balance of a token on a chain, at the block read. */
export type Balance = {
  chainId: number
  token: Address
  holder: Address
  amount: bigint
  /** Block of the last change at or before the point read. */
  updatedAtBlock: number
}

/**
 * Balances of tracked holders at a point in time (per chain the block `at` resolves to), for
 * every (chain, token, holder), narrowed by the filters. Exact: equal to `balanceOf` at that block.
 *
 * @param ctx Database and config.
 * @param filter `chainId`, `token`, `holders`, and `at` (time travel).
 * @returns One entry per (chain, token, holder) with a recorded balance.
 * @example
 * ```ts
 * const [usdc] = await getBalances(ctx, { chainId: 31337, token, holders: [treasury], at: { timestamp } })
 * ```
 */
export async function getBalances(
  ctx: QueryContext,
  filter: {
    chainId?: number | undefined
    token?: Address | undefined
    holders?: readonly Address[] | undefined
    at?: At | undefined
  } = {},
): Promise<Balance[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  const rows = await latestRows(ctx, 'balances', ['token', 'holder'], at, {
    chain_id: filter.chainId,
    token: filter.token?.toLowerCase(),
    holder: filter.holders?.map((h) => h.toLowerCase()),
  })
  return rows
    .map((r) => ({
      chainId: r.chain_id,
      token: r.token as Address,
      holder: r.holder as Address,
      amount: decodeUint256(r.balance),
      updatedAtBlock: r.block_number,
    }))
    .sort((a, b) => a.chainId - b.chainId || cmp(a.token, b.token) || cmp(a.holder, b.holder))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
