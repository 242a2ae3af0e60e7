import { ApiError } from '../errors/ApiError.js'
import type { ApiDataSource } from './ApiDataSource.js'

/** A data source that can be drained before its database closes. */
export type DrainableDataSource = {
  /** The source to serve from: every call is held until it settles. */
  dataSource: ApiDataSource
  /** Aborted when `close()` starts: live subscriptions end on it. */
  signal: AbortSignal
  /** Holds `work` (a whole query execution, one subscription event) until it settles. */
  hold: <T>(work: Promise<T>) => Promise<T>
  /**
   * Aborts `signal`, waits for every held work and call to settle, then refuses new calls (with
   * `NOT_AVAILABLE`). Safe to call twice.
   */
  close: () => Promise<void>
}

/**
 * Wraps the API's data source so a shutdown is orderly: `close()` ends the live subscriptions
 * and resolves once no request, subscription or call still reads, so the database can be
 * destroyed after it without a late read failing with "driver has already been destroyed".
 *
 * @param source - The data source the API serves.
 * @returns The wrapped source, its shutdown signal, `hold` and `close`.
 * @example
 * ```ts
 * const drain = drainableDataSource(createIndexerDataSource({ db, config }))
 * await drain.close() // then database.destroy()
 * ```
 */
export function drainableDataSource(source: ApiDataSource): DrainableDataSource {
  const controller = new AbortController()
  const held = new Set<Promise<void>>()
  let closed = false
  const hold = <T>(work: Promise<T>): Promise<T> => {
    const settled = work.then(
      () => {},
      () => {},
    )
    held.add(settled)
    void settled.then(() => held.delete(settled))
    return work
  }
  const wrapped = new Map<PropertyKey, unknown>()
  const dataSource = new Proxy(source, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown
      if (typeof value !== 'function') return value
      if (!wrapped.has(key)) {
        wrapped.set(key, (...args: unknown[]) => {
          if (closed) {
            return Promise.reject(
              new ApiError('The API is shutting down.', {
                code: 'NOT_AVAILABLE',
                metaMessages: ['Retry once it is back, or against another replica.'],
              }),
            )
          }
          return hold(Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)))
        })
      }
      return wrapped.get(key)
    },
  })
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      controller.abort()
      // A settling call may start the next one of the same request: wait until none is left.
      while (held.size > 0) await Promise.all([...held])
      closed = true
    })()
    return closing
  }
  return { dataSource, signal: controller.signal, hold, close }
}
