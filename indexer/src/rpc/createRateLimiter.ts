/** Waits so that at most `perSecond` permits are handed out per second (a token bucket). */
export type RateLimiter = { acquire: () => Promise<void> }

/**
 * A token bucket: capacity `perSecond` (a burst of one second's worth), refilled continuously.
 * `undefined` means unlimited. Permits are granted in call order.
 *
 * @param perSecond Calls per second, or undefined for no limit.
 * @returns The limiter.
 * @example
 * ```ts
 * const limiter = createRateLimiter(25)
 * await limiter.acquire() // then send the request
 * ```
 */
export function createRateLimiter(perSecond: number | undefined): RateLimiter {
  if (perSecond === undefined) return { acquire: async () => {} }
  const capacity = Math.max(1, perSecond)
  let tokens = capacity
  let last = performance.now()
  let queue: Promise<void> = Promise.resolve()
  const take = async () => {
    for (;;) {
      const now = performance.now()
      tokens = Math.min(capacity, tokens + ((now - last) / 1000) * perSecond)
      last = now
      if (tokens >= 1) {
        tokens -= 1
        return
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - tokens) / perSecond) * 1000)))
    }
  }
  return {
    acquire: () => {
      const next = queue.then(take)
      queue = next
      return next
    },
  }
}
