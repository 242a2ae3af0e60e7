import { webSocket } from 'viem'

/** Options of {@link watchHeads}. */
export type WatchHeadsOptions = {
  /** A `ws://` or `wss://` JSON-RPC URL. */
  url: string
  /** Called with each new head's number. */
  onHead: (block: number) => void
  /**
   * No head for this long: the subscription is taken for stalled (`eth_subscribe` can stall
   * silently, REALWORLD.md) and made anew. Polling goes on meanwhile, so no block waits for it.
   */
  headTimeoutMs: number
  /** A failed or stalled subscription (the message may name the URL: redact before logging). */
  onError?: ((error: unknown) => void) | undefined
  /** Delay before resubscribing after a failure, in ms (default 1000). */
  retryMs?: number | undefined
}

/** A running head subscription. */
export type HeadWatcher = {
  /** Heads received and subscriptions made (the first, then one per failure or stall). */
  stats: { heads: number; subscriptions: number; failures: number }
  close: () => Promise<void>
}

/**
 * Subscribes to new heads over WebSocket (`eth_subscribe('newHeads')`, viem's `webSocket`
 * transport) to wake the sync loop at once on each block instead of at its next poll. On a
 * socket error, a closed socket or a head timeout it drops the socket and subscribes again after
 * `retryMs`; the loop's HTTP polling stays the fallback all along, so a dead WebSocket costs
 * latency, never a block (blocks are read by number from the cursor, not from the heads).
 *
 * @param options URL, callbacks and timeouts.
 * @returns The watcher; `close()` ends it.
 * @example
 * ```ts
 * const heads = watchHeads({ url: 'ws://127.0.0.1:8545', headTimeoutMs: 30_000, onHead: () => wake() })
 * ```
 */
export function watchHeads(options: WatchHeadsOptions): HeadWatcher {
  const stats = { heads: 0, subscriptions: 0, failures: 0 }
  let closed = false
  let generation = 0
  let stop: (() => Promise<void>) | undefined
  let timer: NodeJS.Timeout | undefined
  const arm = (g: number) => {
    clearTimeout(timer)
    timer = setTimeout(
      () => restart(g, new Error(`no new head within ${options.headTimeoutMs} ms`)),
      options.headTimeoutMs,
    )
    timer.unref()
  }
  const restart = (g: number, error: unknown) => {
    if (g !== generation || closed) return
    generation++
    stats.failures++
    clearTimeout(timer)
    options.onError?.(error)
    const s = stop
    stop = undefined
    void s?.()
    setTimeout(() => void subscribe(), options.retryMs ?? 1_000).unref()
  }
  const subscribe = async () => {
    if (closed) return
    const g = generation
    stats.subscriptions++
    try {
      const transport = webSocket(options.url, { reconnect: false, retryCount: 0, timeout: 5_000 })({})
      const socket = await transport.value?.getRpcClient()
      const { unsubscribe } = await (transport.value as NonNullable<typeof transport.value>).subscribe({
        params: ['newHeads'],
        onData: (data) => {
          if (g !== generation) return
          const number = Number((data as { result?: { number?: string } | undefined }).result?.number)
          if (!Number.isSafeInteger(number)) return
          stats.heads++
          arm(g)
          options.onHead(number)
        },
        onError: (error: unknown) => restart(g, error),
      })
      stop = async () => {
        await unsubscribe().catch(() => {})
        socket?.close()
      }
      // A socket closed under us (the node or a proxy went away): resubscribe.
      const raw = (
        socket as { socket?: { addEventListener?: (e: string, f: () => void) => void } } | undefined
      )?.socket
      raw?.addEventListener?.('close', () => restart(g, new Error('WebSocket closed')))
      if (closed) await stop()
      else arm(g)
    } catch (error) {
      restart(g, error)
    }
  }
  void subscribe()
  return {
    stats,
    close: async () => {
      closed = true
      clearTimeout(timer)
      await stop?.()
    },
  }
}
