import type { Address, Hex } from 'viem'
import { parseHolders } from '../sync/loadTracked.js'
import { latestRows } from './latestRows.js'
import type { At, QueryContext } from './QueryContext.js'
import { type ResolvedAt, resolveAt } from './resolveAt.js'

/** A member of a pool at a point in time, with its holders and liability token per chain. */
export type PoolMember = {
  poolId: Hex
  memberId: Hex
  name: string
  /** True for members listed in the config (not from a registry). */
  static: boolean
  chains: {
    chainId: number
    liabilityToken: Address | undefined
    holders: Address[]
    /** Block of the `MemberJoined` in force (undefined for static members). */
    joinedAtBlock: number | undefined
  }[]
}

/** A pool and its targets at a point in time. */
export type PoolInfo = { id: Hex; name: string; minRatioBps: number; targetRatioBps: number }

/**
 * The pools of the config with their targets at a point: the newest `PoolCreated` /
 * `PoolTargetsUpdated` at or before it (on any chain's registry), else the config's values.
 *
 * @param ctx Database and config.
 * @param filter `at`.
 * @returns Pools in config order.
 * @example
 * ```ts
 * const pools = await listPools(ctx)
 * ```
 */
export async function listPools(
  ctx: QueryContext,
  filter: { at?: At | undefined } = {},
): Promise<PoolInfo[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  return poolsAt(ctx, at)
}

export async function poolsAt(ctx: QueryContext, at: ResolvedAt): Promise<PoolInfo[]> {
  const rows = await latestRows(ctx, 'pool_events', ['pool_id'], at)
  const names = await ctx.db
    .selectFrom('pool_events')
    .select(['pool_id', 'name'])
    .where('kind', '=', 'created')
    .execute()
  return ctx.config.pools.map((pool) => {
    const latest = rows
      .filter((r) => r.pool_id === pool.id)
      .sort(
        (a, b) => (at.chains.get(b.chain_id)?.timestamp ?? 0) - (at.chains.get(a.chain_id)?.timestamp ?? 0),
      )[0]
    const name = pool.name ?? names.find((n) => n.pool_id === pool.id && n.name !== null)?.name ?? pool.id
    return {
      id: pool.id,
      name: name ?? pool.id,
      minRatioBps: latest?.min_ratio_bps ?? pool.minRatioBps ?? 10_000,
      targetRatioBps: latest?.target_ratio_bps ?? pool.targetRatioBps ?? pool.minRatioBps ?? 10_000,
    }
  })
}

/**
 * Members of a pool at a point in time: static members of the config, plus every member whose
 * newest registry event at or before the chain's block is `MemberJoined` (a member that left is
 * not listed on that chain from its `MemberLeft` on).
 *
 * @param ctx Database and config.
 * @param poolId The pool.
 * @param filter `at`.
 * @returns Members ordered by id.
 * @example
 * ```ts
 * const members = await getMembers(ctx, poolId, { at: { timestamp } })
 * ```
 */
export async function getMembers(
  ctx: QueryContext,
  poolId: Hex,
  filter: { at?: At | undefined } = {},
): Promise<PoolMember[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  return membersAt(ctx, poolId.toLowerCase() as Hex, at)
}

export async function membersAt(ctx: QueryContext, poolId: Hex, at: ResolvedAt): Promise<PoolMember[]> {
  const members = new Map<string, PoolMember>()
  const pool = ctx.config.pools.find((p) => p.id === poolId)
  for (const member of pool?.members ?? []) {
    members.set(member.id, {
      poolId,
      memberId: member.id,
      name: member.name,
      static: true,
      chains: ctx.config.chains.map((c) => ({
        chainId: c.chainId,
        liabilityToken: member.liabilityTokens[c.chainId],
        holders: [...(member.holders[c.chainId] ?? [])],
        joinedAtBlock: undefined,
      })),
    })
  }
  const rows = await latestRows(ctx, 'member_events', ['pool_id', 'member_id'], at, { pool_id: poolId })
  const ordered = [...rows].sort((a, b) => a.chain_id - b.chain_id)
  for (const row of ordered) {
    if (row.kind !== 'joined') continue
    let member = members.get(row.member_id)
    if (member === undefined) {
      member = {
        poolId,
        memberId: row.member_id as Hex,
        name: row.name ?? row.member_id,
        static: false,
        chains: [],
      }
      members.set(row.member_id, member)
    }
    member.chains.push({
      chainId: row.chain_id,
      liabilityToken: (row.liability_token ?? undefined) as Address | undefined,
      holders: parseHolders(row.holders),
      joinedAtBlock: row.block_number,
    })
  }
  return [...members.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
}
