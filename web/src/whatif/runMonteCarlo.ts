import type { MonteCarloStressResult } from '@ballast/sdk/math'

/** What the page asks the Monte Carlo worker. */
export type MonteCarloRequest = {
  id: number
  /** The pool state as JSON (`Pool.state`). */
  state: string
  poolId: string
  paths: number
  seed: number
  horizonDays: number
}

/** The worker's answer: the sdk's statistics and the ratio's quantiles, or why it failed. */
export type MonteCarloResponse =
  | {
      id: number
      ok: true
      result: MonteCarloStressResult
      quantiles: { confidence: number; ratio: number | null }[]
    }
  | { id: number; ok: false; message: string }

let worker: Worker | undefined
let nextId = 0

/**
 * Runs `monteCarloStress` in a web worker (one per page, started on first use).
 *
 * @param request - state, pool, paths, seed and horizon.
 * @returns the worker's answer.
 * @example
 * ```ts
 * const r = await runMonteCarlo({ state, poolId, paths: 10_000, seed: 1, horizonDays: 10 })
 * ```
 */
export function runMonteCarlo(request: Omit<MonteCarloRequest, 'id'>): Promise<MonteCarloResponse> {
  worker ??= new Worker(new URL('./monteCarlo.worker.ts', import.meta.url), { type: 'module' })
  const w = worker
  const id = nextId++
  return new Promise((resolve) => {
    const done = (response: MonteCarloResponse) => {
      w.removeEventListener('message', onMessage)
      w.removeEventListener('error', onError)
      resolve(response)
    }
    const onMessage = (event: MessageEvent<MonteCarloResponse>) => {
      if (event.data.id === id) done(event.data)
    }
    const onError = (event: ErrorEvent) =>
      done({ id, ok: false, message: `The Monte Carlo worker failed: ${event.message}` })
    w.addEventListener('message', onMessage)
    w.addEventListener('error', onError)
    w.postMessage({ ...request, id } satisfies MonteCarloRequest)
  })
}
