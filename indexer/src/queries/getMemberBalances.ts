import type { Address, Hex } from 'viem'
import { decodeUint256 } from '../storage/uint256.js'
import { membersAt } from './getMembers.js'
import { latestRows } from './latestRows.js'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt } from './resolveAt.js'

/** A member's holder's balance of one reserve asset on one chain. */
export type MemberBalance = {
  memberId: Hex
  holder: Address
  chainId: number
  /** Asset symbol (config `assets[].symbol`, or a vault's symbol for its shares). */
  asset: string
  token: Address
  amount: bigint
  decimals: number
}

/**
 * Reserve balances per (member, holder, chain, asset) of a pool at a point in time: every holder
 * of every member in the pool at that point, in every configured reserve token and vault share of
 * the holder's chain, zero balances left out.
 *
 * @param ctx Database and config.
 * @param poolId The pool.
 * @param filter `memberId` (one member), `at`.
 * @returns Balances ordered by member, chain, holder, asset.
 * @example
 * ```ts
 * const rows = await getMemberBalances(ctx, poolId, { at: { timestamp } })
 * ```
 */
export async function getMemberBalances(
  ctx: QueryContext,
  poolId: Hex,
  filter: { memberId?: Hex | undefined; at?: At | undefined } = {},
): Promise<MemberBalance[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  const members = (await membersAt(ctx, poolId.toLowerCase() as Hex, at)).filter(
    (m) => filter.memberId === undefined || m.memberId === filter.memberId.toLowerCase(),
  )
  const assetOf = new Map<string, { symbol: string; decimals: number }>()
  for (const asset of ctx.config.assets) {
    for (const [chainId, token] of Object.entries(asset.tokens)) {
      assetOf.set(`${chainId}:${token}`, { symbol: asset.symbol, decimals: asset.decimals })
    }
  }
  const holders = [...new Set(members.flatMap((m) => m.chains.flatMap((c) => c.holders)))]
  const rows = await latestRows(ctx, 'balances', ['token', 'holder'], at, {
    holder: holders,
    token: [...new Set([...assetOf.keys()].map((k) => k.split(':')[1] as string))],
  })
  const out: MemberBalance[] = []
  for (const member of members) {
    for (const c of member.chains) {
      for (const row of rows) {
        if (row.chain_id !== c.chainId || !c.holders.includes(row.holder as Address)) continue
        const asset = assetOf.get(`${row.chain_id}:${row.token}`)
        const amount = decodeUint256(row.balance)
        if (asset === undefined || amount === 0n) continue
        out.push({
          memberId: member.memberId,
          holder: row.holder as Address,
          chainId: row.chain_id,
          asset: asset.symbol,
          token: row.token as Address,
          amount,
          decimals: asset.decimals,
        })
      }
    }
  }
  return out.sort(
    (a, b) =>
      cmp(a.memberId, b.memberId) ||
      a.chainId - b.chainId ||
      cmp(a.holder, b.holder) ||
      cmp(a.asset, b.asset),
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
