import type { ChainSyncStatus } from './createSyncLoop.js'

/** Renders sync progress: a one-line bar with rate and ETA per chain, redrawn in place. */
export type Progress = { update: (statuses: readonly ChainSyncStatus[]) => void; done: () => void }

/**
 * A progress bar for terminals: per chain the indexed block against the head, blocks per second
 * since the first update, and the ETA. Redraws at most every `minIntervalMs` (default 200 ms).
 *
 * @param stream A TTY stream (`process.stderr`).
 * @param options `minIntervalMs` between redraws.
 * @returns The renderer.
 * @example
 * ```ts
 * const progress = createProgress(process.stderr); progress.update(indexer.status())
 * ```
 */
export function createProgress(
  stream: NodeJS.WriteStream,
  options: { minIntervalMs?: number } = {},
): Progress {
  const minInterval = options.minIntervalMs ?? 200
  let lastDraw = Number.NEGATIVE_INFINITY
  const first = new Map<number, { block: number; time: number }>()
  return {
    update(statuses) {
      const now = performance.now()
      if (now - lastDraw < minInterval) return
      lastDraw = now
      const parts = statuses.map((s) => {
        const origin = first.get(s.chainId) ?? { block: s.indexed, time: now }
        first.set(s.chainId, origin)
        const total = Math.max(1, s.head - s.startBlock + 1)
        const done = Math.max(0, s.indexed - s.startBlock + 1)
        const fraction = Math.min(1, done / total)
        const rate = (s.indexed - origin.block) / Math.max(0.001, (now - origin.time) / 1000)
        const eta = rate > 0 ? Math.ceil((s.head - s.indexed) / rate) : undefined
        const bar = '#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')
        return `${s.chainId} [${bar}] ${s.indexed}/${s.head} ${rate.toFixed(0)} blk/s ETA ${eta === undefined ? '?' : `${eta}s`}`
      })
      stream.write(`\r${parts.join(' | ')}\u001b[K`)
    },
    done() {
      stream.write('\n')
    },
  }
}
