// A web worker that runs the sdk's Monte Carlo stress off the page's main thread (10 000 paths
// take long enough to freeze the sliders otherwise). Same code and seed as the sdk in Node, so the
// same figures.
import { monteCarloStress, parsePoolState } from '@ballast/sdk/math'
import type { MonteCarloRequest, MonteCarloResponse } from './runMonteCarlo.js'

/** Confidence levels whose ratio quantiles draw the distribution's left tail. */
export const quantileLevels = [0.5, 0.75, 0.9, 0.95, 0.99, 0.999] as const

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<MonteCarloRequest>) => void) | null
  postMessage: (message: MonteCarloResponse) => void
}

scope.onmessage = (event) => {
  const { id, state, poolId, paths, seed, horizonDays } = event.data
  try {
    const parsed = parsePoolState(state)
    const options = { poolId, paths, seed, horizonDays }
    const result = monteCarloStress(parsed, { ...options, confidence: 0.99 })
    // The same paths (same seed) read at other confidence levels: quantiles of the ratio.
    const quantiles = quantileLevels.map((confidence) => ({
      confidence,
      ratio: monteCarloStress(parsed, { ...options, confidence }).ratioQuantile,
    }))
    scope.postMessage({ id, ok: true, result, quantiles })
  } catch (error) {
    scope.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) })
  }
}
