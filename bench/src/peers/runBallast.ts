import { join } from 'node:path'
import { createDatabase, type DatabaseTarget, decodeUint256 } from '@ballast/indexer'
import { type Peer, spawnPeer } from './spawnPeer.js'
import { balanceKey, supplyKey, type Totals } from './Totals.js'

const child = join(import.meta.dirname, '..', 'children', 'ballastChild.ts')

/** Ballast's indexer started by {@link runBallast}, caught up with the target. */
export type BallastRun = {
  peer: Peer
  /** Spawn to synced (every chain at its head) with the API serving, ms. */
  wallMs: number
  /** Its GraphQL endpoint. */
  url: string
  /** Latest balance and supply rows of the tracked holders and supply tokens. */
  totals: () => Promise<Totals>
}

/**
 * Starts Ballast (indexer and GraphQL API in one process, as `ballast start`) on the bench target
 * in a child process and waits until it reports every chain synced and the API serving.
 *
 * @param options - target file, database, polling and finality.
 * @returns the running indexer.
 * @example
 * const ballast = await runBallast({ targetFile, database: { kind: 'sqlite', file }, pollingMs: 100, finalityDepth: 30 })
 */
export async function runBallast(options: {
  targetFile: string
  database: DatabaseTarget
  pollingMs: number
  finalityDepth: number
}): Promise<BallastRun> {
  const started = performance.now()
  const database = options.database.kind === 'sqlite' ? options.database.file : options.database.url
  const peer = spawnPeer('ballast', [
    '--import',
    'tsx',
    child,
    options.targetFile,
    database,
    String(options.pollingMs),
    String(options.finalityDepth),
  ])
  const { url } = await peer.waitForJson<{ url: string }>((v) => typeof v.synced === 'number')
  const wallMs = performance.now() - started
  return {
    peer,
    wallMs,
    url,
    totals: async () => {
      const db = await createDatabase(options.database)
      try {
        const totals: Totals = new Map()
        const balances = await db.db
          .selectFrom('balances')
          .select(['chain_id', 'token', 'holder', 'balance'])
          .orderBy('chain_id')
          .orderBy('block_number')
          .orderBy('log_index')
          .execute()
        for (const b of balances)
          totals.set(balanceKey(b.chain_id, b.token, b.holder), decodeUint256(b.balance))
        const supplies = await db.db
          .selectFrom('supplies')
          .select(['chain_id', 'token', 'supply'])
          .orderBy('chain_id')
          .orderBy('block_number')
          .orderBy('log_index')
          .execute()
        for (const s of supplies) totals.set(supplyKey(s.chain_id, s.token), decodeUint256(s.supply))
        return totals
      } finally {
        await db.destroy()
      }
    },
  }
}
