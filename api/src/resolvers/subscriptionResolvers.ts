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
    // Emits when any chain's indexed block moved: woken by the writers' push on each stored block
    // (`changes`: the in-process indexer in `ballast start`, the writers' NOTIFY in `ballast
    // serve` on PostgreSQL), and polling the sync progress every `pollIntervalMs` too, so it works
    // with any data source (SQLite written by another process) and across a dropped listener.
    // It ends when the API closes or the client goes away (`context.signal`); each event's reads
    // are held, so the API's close waits for them before the database is destroyed.
    async *subscribe(_: unknown, args: { id: string }, context: ApiContext) {
      // A function, not a narrowed field: the signal aborts while the loop awaits.
      const aborted = () => context.signal?.aborted === true
      const hold = context.hold ?? (<T>(work: Promise<T>) => work)
      const wake = changeSignal(context)
      try {
        let last = ''
        while (!aborted()) {
          const event = await hold(
            (async () => {
              const meta = await context.dataSource.syncMeta()
              const signature = meta.map((c) => `${c.chainId}:${c.indexedBlock}`).join(',')
              if (signature === last || aborted()) return undefined
              last = signature
              return { poolHealth: await poolHealthOf(context, args.id) }
            })(),
          )
          if (event !== undefined && !aborted()) yield event
          await wake.next()
        }
      } finally {
        wake.close()
      }
    },
  },
}

/**
 * Wakes on the indexer's pushes (`changes`) or after `pollIntervalMs`, whichever is first. It stays
 * subscribed for the whole subscription, so a push that lands while an event is being computed or
 * sent is kept for the next wait instead of being lost until the next poll.
 */
function changeSignal(context: ApiContext): { next: () => Promise<void>; close: () => void } {
  let pending = false
  let wakeUp: (() => void) | undefined
  const push = () => {
    pending = true
    wakeUp?.()
  }
  const unsubscribe = context.changes?.(push) ?? (() => {})
  // Closing the API wakes the loop at once, so it ends instead of waiting out the poll.
  context.signal?.addEventListener('abort', push, { once: true })
  return {
    async next() {
      if (pending) {
        pending = false
        return
      }
      const controller = new AbortController()
      const pushed = new Promise<void>((resolve) => {
        wakeUp = resolve
      })
      try {
        // The timer is cancelled once a push came first; its AbortError is expected.
        const timer = delay(context.pollIntervalMs, undefined, { signal: controller.signal }).catch(() => {})
        await Promise.race([pushed, timer])
      } finally {
        wakeUp = undefined
        pending = false
        controller.abort()
      }
    },
    close: () => {
      unsubscribe()
      context.signal?.removeEventListener('abort', push)
    },
  }
}
