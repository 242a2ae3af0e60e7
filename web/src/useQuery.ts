import { useEffect, useState } from 'preact/hooks'

/** A request's state: the last data, or the error of the last attempt. */
export type QueryState<T> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'ok'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: Error }

/**
 * Runs `load` when `deps` change and keeps the last data while a new request is on its way (live
 * refreshes do not flash "loading"). A stale answer (deps changed meanwhile) is dropped.
 *
 * @param load - the request.
 * @param deps - what the request depends on (route, live version).
 * @returns the state.
 * @example
 * ```ts
 * const pools = useQuery(() => client.request(DashboardPoolsDocument), [live.version])
 * ```
 */
export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading', data: undefined, error: undefined })
  useEffect(() => {
    let current = true
    load().then(
      (data) => current && setState({ status: 'ok', data, error: undefined }),
      (error: unknown) =>
        current &&
        setState((s) => ({
          status: 'error',
          data: s.data,
          error: error instanceof Error ? error : new Error(String(error)),
        })),
    )
    return () => {
      current = false
    }
  }, deps)
  return state
}
