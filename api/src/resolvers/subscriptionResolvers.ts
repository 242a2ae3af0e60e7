import { setTimeout as delay } from 'node:timers/promises'
import { createLoaders } from '../dataSource/createLoaders.js'
import { degradedFields, poolStatusOf } from '../figures/poolStatusOf.js'
import type { ApiContext } from './ApiContext.js'
import { ratio, usd } from './format.js'
import { figuresOf, loadPool } from './poolParent.js'

/**
 * Health figures of a pool for the live subscription: pooled ratio and each member's.
 *
 * @param context - request context (fresh loaders are made per event: the indexer moves on).
 * @param poolId - pool id.
 * @returns the `PoolHealth` object.
 * @example
 * ```ts
 * await poolHealthOf(context, '0x..')
 * ```
 */
export async function poolHealthOf(context: ApiContext, poolId: string) {
  const parent = await loadPool({ ...context, loaders: createLoaders(context.dataSource) }, poolId, {})
  const f = figuresOf(parent)
  return {
    poolId,
    at: parent.state.timestamp,
    reserveRatio: ratio(f.reserveRatio),
    adjustedReservesUsd: usd(f.adjustedReservesUsd),
    liabilitiesUsd: usd(f.liabilitiesUsd),
    healthy: !f.belowMinimum,
    status: poolStatusOf(f),
    degraded: degradedFields(f.degraded),
    members: f.members.map((m) => ({
      memberId: m.memberId,
      name: m.name,
      reserveRatio: ratio(m.reserveRatio),
    })),
  }
}

/** Resolvers of `Subscription` (served over SSE by graphql-yoga). */
export const subscriptionResolvers = {
  poolHealth: {
    // Emits when any chain's indexed block moved: woken by the indexer's push on each stored block
    // (in-process, `changes`), and polling the sync progress too, so it works with any data source,
    // including a database another process writes to.
    async *subscribe(_: unknown, args: { id: string }, context: ApiContext) {
      let last = ''
      for (;;) {
        const meta = await context.dataSource.syncMeta()
        const signature = meta.map((c) => `${c.chainId}:${c.indexedBlock}`).join(',')
        if (signature !== last) {
          last = signature
          yield { poolHealth: await poolHealthOf(context, args.id) }
        }
        await nextChange(context)
      }
    },
  },
}

/** Resolves on the indexer's next push (`changes`) or after `pollIntervalMs`, whichever is first. */
async function nextChange(context: ApiContext): Promise<void> {
  if (context.changes === undefined) return void (await delay(context.pollIntervalMs))
  const controller = new AbortController()
  let unsubscribe: () => void = () => {}
  const pushed = new Promise<void>((resolve) => {
    unsubscribe = context.changes?.(() => resolve()) ?? (() => {})
  })
  try {
    // The timer is cancelled once a push came first; its AbortError is expected.
    const timer = delay(context.pollIntervalMs, undefined, { signal: controller.signal }).catch(() => {})
    await Promise.race([pushed, timer])
  } finally {
    unsubscribe()
    controller.abort()
  }
}
