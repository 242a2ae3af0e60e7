import type { LoadFigures } from '../measure/loadTest.js'

/** One row of the comparison: a peer on a database, measured in the same run as the others. */
export type PeerResult = {
  name: string
  /** `done`, or why there is no figure (`pending: ...`, `failed: ...`). */
  status: string
  events?: number
  wallMs?: number
  eventsPerSecond?: number
  peakRssBytes?: number
  databaseBytes?: number
  /** Median block-mined-to-visible latency and where it was observed. */
  liveLatencyMs?: number
  liveVia?: string
  api?: LoadFigures & { query: string }
  /** Keys whose totals differ from the chain's (empty when they agree). */
  diffs?: string[]
}

/** Everything the compare benchmark writes. */
export type CompareResult = {
  date: string
  machine: {
    cpu: string
    cores: number
    memoryBytes: number
    node: string
    os: string
    postgres: string
    /** 1-minute load averages at the start and the end of the run (other work on the machine). */
    load: string
    /** Git revision measured, and whether the work tree had uncommitted changes. */
    revision: string
  }
  history: {
    /** `bench`: BenchToken spray on fresh anvil chains; `devnet`: startDevnet + the devnet's layHistory. */
    kind: 'bench' | 'devnet' | 'mainnet-shaped'
    chains: number
    events: number
    blocks: number
    transfersPerTx: number
    txsPerBlock: number
    layDownMs: number
    /** Reserve holders Ballast tracks per chain (balances compared across peers). */
    trackedHolders: number
  }
  peers: PeerResult[]
}
