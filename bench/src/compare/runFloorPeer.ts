import { join } from 'node:path'
import type { BenchTarget } from '../BenchTarget.js'
import { spawnPeer } from '../peers/spawnPeer.js'
import type { PeerResult } from '../results/CompareResult.js'

const child = join(import.meta.dirname, '..', 'children', 'floorChild.ts')

/** Logs per `eth_getLogs` call the floor aims for: Ballast's adaptive target, so both ask alike. */
export const FLOOR_LOGS_PER_CALL = 10_000

/**
 * The raw floor as a peer: `floorChild.ts` in its own process, with block ranges sized for about
 * {@link FLOOR_LOGS_PER_CALL} logs per call from the history's density; fails if it does not see
 * exactly the history's events.
 *
 * @returns the floor's row (time measured inside the child: the fetch loop alone).
 */
export async function runFloorPeer(options: {
  file: string
  target: BenchTarget
  events: number
}): Promise<PeerResult> {
  const blocks = options.target.chains.reduce((sum, c) => sum + c.endBlock - c.startBlock + 1, 0)
  const blocksPerRequest = Math.max(1, Math.floor(FLOOR_LOGS_PER_CALL / (options.events / blocks)))
  const peer = spawnPeer('floor', ['--import', 'tsx', child, options.file, String(blocksPerRequest)])
  try {
    const out = await peer.waitForJson<{ counts: Record<string, number>; ms: number; peakRss?: number }>(
      (v) => v.counts !== undefined,
    )
    const events = Object.values(out.counts).reduce((a, b) => a + b, 0)
    const name = 'raw floor (getLogs)'
    if (events !== options.events) {
      return { name, status: `failed: fetched ${events} logs, the history has ${options.events}` }
    }
    return {
      name,
      status: 'done',
      events,
      wallMs: out.ms,
      eventsPerSecond: (events / out.ms) * 1000,
      ...(out.peakRss === undefined ? {} : { peakRssBytes: out.peakRss }),
    }
  } finally {
    await peer.stop()
  }
}
