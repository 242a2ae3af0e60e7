import type { PeerResult } from '../results/CompareResult.js'

/** The figures of an indexer peer that ran to the head (Ballast or Ponder, any database). */
export type PeerMeasurements = {
  name: string
  status: string
  events: number
  wallMs: number
  peakRssBytes: number | undefined
  databaseBytes: number | undefined
  /** Median block-mined-to-visible latency through the peer's GraphQL API. */
  liveLatencyMs: number | undefined
  api: PeerResult['api']
  diffs: string[]
}

/** One result row from a peer's measurements; figures that could not be taken are left out. */
export function measuredPeerResult(m: PeerMeasurements): PeerResult {
  return {
    name: m.name,
    status: m.status,
    events: m.events,
    wallMs: m.wallMs,
    eventsPerSecond: (m.events / m.wallMs) * 1000,
    ...(m.peakRssBytes === undefined ? {} : { peakRssBytes: m.peakRssBytes }),
    ...(m.databaseBytes === undefined ? {} : { databaseBytes: m.databaseBytes }),
    ...(m.liveLatencyMs === undefined ? {} : { liveLatencyMs: m.liveLatencyMs, liveVia: 'GraphQL' }),
    ...(m.api === undefined ? {} : { api: m.api }),
    diffs: m.diffs,
  }
}
