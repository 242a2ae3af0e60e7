import { join } from 'node:path'
import type { BenchTarget } from '../BenchTarget.js'
import { spawnPeer } from '../peers/spawnPeer.js'
import type { PeerResult } from '../results/CompareResult.js'

const child = join(import.meta.dirname, '..', 'children', 'floorChild.ts')

/**
 * The raw floor as a peer: `floorChild.ts` in its own process; fails if it does not see exactly
 * the history's events.
 *
 * @returns the floor's row (time measured inside the child: the fetch loop alone).
 */
export async function runFloorPeer(options: {
  file: string
  target: BenchTarget
  events: number
}): Promise<PeerResult> {
  const peer = spawnPeer('floor', ['--import', 'tsx', child, options.file])
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
