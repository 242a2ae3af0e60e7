import { join } from 'node:path'
import type { BenchTarget } from '../BenchTarget.js'
import { BenchError } from '../errors/BenchError.js'
import { type Peer, spawnPeer } from './spawnPeer.js'
import { balanceKey, supplyKey, type Totals } from './Totals.js'

const ponderRoot = join(import.meta.dirname, '..', '..', 'ponder')
const ponderBin = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  'ponder',
  'dist',
  'esm',
  'bin',
  'ponder.js',
)

/** A Ponder app started by {@link runPonder}, caught up with the target. */
export type PonderRun = {
  peer: Peer
  /** Base URL of its HTTP server (GraphQL at `/graphql`). */
  url: string
  /** Spawn to caught up (every chain's checkpoint at or past the target's end block), ms. */
  wallMs: number
  totals: () => Promise<Totals>
}

/**
 * Starts `ponder start` on the bench app (bench/ponder) in a child process and waits until every
 * chain's indexed checkpoint (`/status`) has reached the end block of the target: the wall time
 * covers Ponder's build, database setup, backfill and the realtime tail Ponder keeps unfinalized.
 *
 * @param options - target file and its content, database (`pglite:<dir>` or a postgres URL), HTTP port, polling.
 * @returns the running app.
 * @example
 * const ponder = await runPonder({ targetFile, target, database: 'pglite:/tmp/p', port: 42100, pollingMs: 100 })
 */
export async function runPonder(options: {
  targetFile: string
  target: BenchTarget
  database: string
  port: number
  pollingMs: number
}): Promise<PonderRun> {
  const started = performance.now()
  const peer = spawnPeer(
    'ponder',
    [
      ponderBin,
      'start',
      '--root',
      ponderRoot,
      '--port',
      String(options.port),
      '--hostname',
      '127.0.0.1',
      '--log-format',
      'json',
      '--log-level',
      'warn',
    ],
    {
      BENCH_TARGET: options.targetFile,
      BENCH_PONDER_DATABASE: options.database,
      BENCH_POLLING_MS: String(options.pollingMs),
      DATABASE_SCHEMA: 'bench',
      PONDER_TELEMETRY_DISABLED: 'true',
    },
    ponderRoot,
  )
  const url = `http://127.0.0.1:${options.port}`
  const ends = new Map(options.target.chains.map((c) => [c.name, c.endBlock]))
  // Poll a real condition: Ponder's own per-chain checkpoints. The server answers once built.
  for (;;) {
    if (peer.process.exitCode !== null) {
      throw new BenchError('Ponder exited before catching up.', { details: peer.stderrTail().slice(-2000) })
    }
    const status = await fetch(`${url}/status`)
      .then((r) => (r.ok ? (r.json() as Promise<Record<string, { block: { number: number } }>>) : undefined))
      .catch(() => undefined)
    if (status && [...ends].every(([name, end]) => (status[name]?.block.number ?? -1) >= end)) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const wallMs = performance.now() - started
  return {
    peer,
    url,
    wallMs,
    totals: async () => {
      const body = (await (await fetch(`${url}/bench/totals`)).json()) as {
        balances: { chainId: number; token: string; holder: string; amount: string }[]
        supplies: { chainId: number; token: string; amount: string }[]
      }
      const totals: Totals = new Map()
      for (const b of body.balances) totals.set(balanceKey(b.chainId, b.token, b.holder), BigInt(b.amount))
      for (const s of body.supplies) totals.set(supplyKey(s.chainId, s.token), BigInt(s.amount))
      return totals
    },
  }
}
