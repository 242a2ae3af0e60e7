import {
  ChainsDocument,
  type ChainsQuery,
  PoolHealthLiveDocument,
  type PoolHealthLiveSubscription,
} from '@ballast/sdk/client'
import { useEffect, useState } from 'preact/hooks'
import { client } from '../api.js'

/** What the live subscription tells the views. */
export type Live = {
  /** Increments on each subscription event: views refetch their figures on it. */
  version: number
  /** The last event of the pool's health. */
  last: PoolHealthLiveSubscription['poolHealth'] | undefined
  /** Indexing progress per chain, read again after each event. */
  meta: ChainsQuery['_meta'] | undefined
  status: 'connecting' | 'live' | 'reconnecting'
}

/** Milliseconds before a dropped subscription is opened again. */
const reconnectMs = 2_000

/**
 * Follows the indexer through the API's `poolHealth` subscription (SSE) of one pool: each event
 * means the indexed heads moved, so `version` increments and the indexing progress is read again.
 * A dropped stream reconnects.
 *
 * @param poolId - the pool to follow (any pool moves with the indexer), or undefined to wait.
 * @returns the live state.
 * @example
 * ```ts
 * const live = useLive(route.poolId)
 * ```
 */
export function useLive(poolId: string | undefined): Live {
  const [live, setLive] = useState<Live>({
    version: 0,
    last: undefined,
    meta: undefined,
    status: 'connecting',
  })
  useEffect(() => {
    if (poolId === undefined) return
    const controller = new AbortController()
    let retry: ReturnType<typeof setTimeout> | undefined
    const readMeta = () =>
      client.request(ChainsDocument).then(
        ({ _meta }) => !controller.signal.aborted && setLive((l) => ({ ...l, meta: _meta })),
        () => {},
      )
    const follow = async () => {
      try {
        for await (const event of client.subscribe(
          PoolHealthLiveDocument,
          { id: poolId },
          controller.signal,
        )) {
          setLive((l) => ({ ...l, version: l.version + 1, last: event.poolHealth, status: 'live' }))
          void readMeta()
        }
      } catch {
        // Aborted (the page moved on) or dropped (the server restarted): try again unless aborted.
      }
      if (!controller.signal.aborted) {
        setLive((l) => ({ ...l, status: 'reconnecting' }))
        retry = setTimeout(() => void follow(), reconnectMs)
      }
    }
    void readMeta()
    void follow()
    return () => {
      controller.abort()
      if (retry !== undefined) clearTimeout(retry)
    }
  }, [poolId])
  return live
}
