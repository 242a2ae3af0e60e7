import type { CompareResult } from './CompareResult.js'

/**
 * The base name of a compare run's files under `bench/results/` (`.md`, `.svg`, `.json`): one set
 * per kind of history, so a run of one kind never overwrites the other's figures.
 *
 * @param kind - the history the run laid down.
 * @returns `compare` (devnet history) or `compare-bench-history` (BenchToken spray).
 * @example
 * resultFileBase('bench') // 'compare-bench-history'
 */
export function resultFileBase(kind: CompareResult['history']['kind']): string {
  return kind === 'devnet' ? 'compare' : kind === 'bench' ? 'compare-bench-history' : `compare-${kind}`
}
