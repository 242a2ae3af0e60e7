import type { BridgeTransferStatus, TimeTravel } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { connectionFromArray, encodeCursor, pageArgs } from '../pagination/connection.js'
import type { ApiContext } from './ApiContext.js'
import { loadPool, type MemberParent, type PoolParent } from './poolParent.js'

type PageArguments = { first?: number | null; after?: string | null }

/**
 * Builds the time-travel argument from `at` and `blocks`, rejecting both at once.
 *
 * @param at - unix seconds or null.
 * @param blocks - per-chain blocks or null.
 * @returns the TimeTravel.
 * @example
 * ```ts
 * timeTravel(1764064800, null) // { at: 1764064800 }
 * ```
 */
export function timeTravel(
  at: number | null | undefined,
  blocks: readonly { chainId: number; block: bigint }[] | null | undefined,
): TimeTravel {
  if (at !== null && at !== undefined && blocks !== null && blocks !== undefined) {
    throw new ApiError('Give either `at` or `blocks`, not both.', {
      details: `at: ${at}, blocks: ${blocks.length} given.`,
      metaMessages: ['`at` picks, per chain, the last block at or before that time; `blocks` names them.'],
    })
  }
  const time: TimeTravel = {}
  if (at !== null && at !== undefined) time.at = at
  if (blocks !== null && blocks !== undefined) {
    const seen = new Set<number>()
    for (const b of blocks) {
      if (seen.has(b.chainId)) {
        throw new ApiError('A chain is named twice in `blocks`.', { details: `chainId ${b.chainId}` })
      }
      if (b.block < 0n)
        throw new ApiError('A block number is negative.', { details: `chainId ${b.chainId}: ${b.block}` })
      seen.add(b.chainId)
    }
    time.blocks = blocks
  }
  return time
}

/**
 * Members of a pool as a connection, ordered by id.
 *
 * @param pool - the pool parent.
 * @param args - paging arguments.
 * @returns the connection with totalCount.
 * @example
 * ```ts
 * membersConnection(pool, { first: 10 })
 * ```
 */
export function membersConnection(pool: PoolParent, args: PageArguments) {
  const page = pageArgs(args.first, args.after)
  const members = pool.state.members
    .filter((m) => m.poolId === pool.poolId)
    .map((member): MemberParent => ({ pool, member }))
  return { ...connectionFromArray(members, page, (m) => m.member.id), totalCount: members.length }
}

/** Resolvers of `Query`. */
export const queryResolvers = {
  async pools(_: unknown, args: PageArguments, context: ApiContext) {
    const page = pageArgs(args.first, args.after)
    const all = await context.loaders.pools()
    const connection = connectionFromArray(all, page, (p) => p.id)
    // One batched load for the whole page (DataLoader), not one per pool.
    const parents = await Promise.all(connection.nodes.map((p) => loadPool(context, p.id, {})))
    return {
      edges: connection.edges.map((e, i) => ({ cursor: e.cursor, node: parents[i] })),
      nodes: parents,
      pageInfo: connection.pageInfo,
      totalCount: all.length,
    }
  },

  async pool(
    _: unknown,
    args: { id: string; at?: number | null; blocks?: { chainId: number; block: bigint }[] | null },
    context: ApiContext,
  ) {
    return loadPool(context, args.id, timeTravel(args.at, args.blocks))
  },

  async chains(_: unknown, __: unknown, context: ApiContext) {
    return [...(await context.loaders.chains())].sort((a, b) => a.chainId - b.chainId)
  },

  async members(
    _: unknown,
    args: PageArguments & {
      poolId: string
      at?: number | null
      blocks?: { chainId: number; block: bigint }[] | null
    },
    context: ApiContext,
  ) {
    pageArgs(args.first, args.after)
    const pool = await loadPool(context, args.poolId, timeTravel(args.at, args.blocks))
    return membersConnection(pool, args)
  },

  async bridgeTransfers(
    _: unknown,
    args: PageArguments & { status?: BridgeTransferStatus | null },
    context: ApiContext,
  ) {
    const { limit, afterKey } = pageArgs(args.first, args.after)
    const page = await context.dataSource.bridgeTransfers({
      status: args.status ?? undefined,
      after: afterKey,
      first: limit,
    })
    return {
      nodes: page.items,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: page.endCursor === undefined ? null : encodeCursor(page.endCursor),
      },
    }
  },

  async _meta(_: unknown, __: unknown, context: ApiContext) {
    const chains = (await context.dataSource.syncMeta()).map((c) => ({
      ...c,
      lagBlocks: c.headBlock > c.indexedBlock ? c.headBlock - c.indexedBlock : 0n,
    }))
    let maxLagBlocks = 0n
    for (const c of chains) if (c.lagBlocks > maxLagBlocks) maxLagBlocks = c.lagBlocks
    return { chains, maxLagBlocks }
  },
}
