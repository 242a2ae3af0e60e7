import { advanceTime, type Devnet, startDevnet } from '@ballast/devnet'
import type { PoolState } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromDevnetManifest } from '../config/configFromDevnetManifest.js'
import { defineConfig } from '../config/defineConfig.js'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { runIndexer } from '../sync/runIndexer.js'
import { createTestDatabase, type TestDatabase } from '../testing/createTestDatabase.js'
import { loadPoolState } from './loadPoolState.js'

// The devnet's own config gives no feed a heartbeat: the documented default (one day) must still
// make an old answer `stale-price`. Real anvil chains, a real SQLite index; the clock is moved
// with anvil so that the state's time lands on the heartbeat exactly, then one second past it.
describe('a devnet price older than the default heartbeat (config without maxAge)', () => {
  let devnet: Devnet
  let database: TestDatabase
  let config: ResolvedIndexerConfig
  beforeAll(async () => {
    // Manual relay: after the history nothing moves but the clock this test moves.
    devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 5, relay: 'manual' })
    database = await createTestDatabase('sqlite')
  }, 180_000)
  afterAll(async () => {
    await database?.cleanup()
    await devnet?.stop()
  })

  /** Indexes every chain to its head, then the state of the first pool at the indexed blocks. */
  const stateNow = async (): Promise<PoolState> => {
    await (await runIndexer({ config, database, untilSynced: true, logger: false, progress: false })).done
    return loadPoolState({ db: database.db, config }, devnet.manifest.pools[0]!.id)
  }
  /** Moves every chain's clock to `timestamp` (one block mined there). */
  const setClock = async (timestamp: number) => {
    for (const chain of devnet.chains) {
      const latest = await chain.public.getBlock({ blockTag: 'latest' })
      await advanceTime(chain, BigInt(timestamp) - latest.timestamp)
    }
  }
  /** Assets the state flags `stale-price`, sorted. */
  const stale = (state: PoolState) =>
    (state.degraded ?? [])
      .filter((d) => d.code === 'stale-price')
      .map((d) => d.asset)
      .sort()

  it('resolves every feed to 86,400 s and flags a held asset from one second past it, not before', async () => {
    const written = configFromDevnetManifest(devnet.manifest)
    expect(written.assets.every((a) => a.feed !== undefined && a.feed.maxAge === undefined)).toBe(true)
    config = defineConfig(written)
    expect(config.assets.filter((a) => a.feed !== undefined).map((a) => a.feed?.maxAge)).toEqual(
      devnet.manifest.assets.map(() => 86_400),
    )

    const first = await stateNow()
    // The held assets, the feeds each rests on (a vault share: its underlying's) and the times of
    // those feeds' answers; the state carries the heartbeat.
    const held = new Set(first.members.flatMap((m) => [...m.holdings, ...m.inFlight].map((h) => h.asset)))
    const restsOn = (symbol: string): string[] => {
      const asset = first.assets.find((a) => a.symbol === symbol)!
      if (asset.kind === 'erc20') return [symbol]
      return asset.kind === 'erc4626' ? [asset.underlying] : [asset.token0, asset.token1]
    }
    const answers = new Map<string, number>()
    for (const asset of first.assets) {
      if (asset.kind !== 'erc20' || ![...held].some((h) => restsOn(h).includes(asset.symbol))) continue
      expect(asset.price.maxAge, asset.symbol).toBe(86_400)
      answers.set(asset.symbol, asset.price.updatedAt)
    }
    /** The held assets a stale `feeds` makes stale: those resting on one of them. */
    const flaggedFor = (feeds: string[]) =>
      [...held].filter((h) => restsOn(h).some((f) => feeds.includes(f))).sort()
    // The devnet holds a vault share (its underlying's feed ages it, gap closed by the sdk).
    expect([...held].some((h) => restsOn(h)[0] !== h)).toBe(true)
    expect(answers.size).toBeGreaterThan(1)
    const oldest = Math.min(...answers.values())
    const newest = Math.max(...answers.values())
    // The devnet's history is hours long: nothing is stale yet.
    expect(first.timestamp - oldest).toBeLessThanOrEqual(86_400)
    expect(stale(first)).toEqual([])

    // Exactly the heartbeat old: still fresh (the sdk's rule is age > maxAge).
    await setClock(oldest + 86_400)
    const atHeartbeat = await stateNow()
    expect(atHeartbeat.timestamp).toBe(oldest + 86_400)
    expect(stale(atHeartbeat)).toEqual([])

    // One second more: the oldest answers are stale, the newer ones not yet.
    await setClock(oldest + 86_401)
    const past = await stateNow()
    expect(past.timestamp).toBe(oldest + 86_401)
    const oldestFeeds = [...answers].filter(([, t]) => t === oldest).map(([symbol]) => symbol)
    expect(stale(past)).toEqual(flaggedFor(oldestFeeds))
    expect(past.degraded?.find((d) => d.code === 'stale-price')?.message).toContain(
      "86401 s old, past its feed's heartbeat of 86400 s",
    )

    // Past every answer's heartbeat: every held asset is flagged, vault shares included.
    if (newest > oldest) await setClock(newest + 86_401)
    const all = await stateNow()
    expect(stale(all)).toEqual(flaggedFor([...answers.keys()]))
    for (const vault of [...held].filter((h) => restsOn(h)[0] !== h)) {
      expect(all.degraded?.find((d) => d.code === 'stale-price' && d.asset === vault)?.message).toContain(
        `The price of ${vault}'s underlying ${restsOn(vault)[0]} is`,
      )
    }
  })
})
