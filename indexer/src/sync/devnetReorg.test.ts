import { type Devnet, startDevnet } from '@ballast/devnet'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { configFromDevnetManifest } from '../config/configFromDevnetManifest.js'
import { defineConfig } from '../config/defineConfig.js'
import type { IndexerDatabase } from '../storage/createDatabase.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import type { SyncEvent } from './createSyncLoop.js'
import { runIndexer } from './runIndexer.js'

const CONFIRMATIONS = 3

async function waitForHeads(database: IndexerDatabase, devnet: Devnet): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const heads = await Promise.all(devnet.chains.map((c) => c.public.getBlock({ blockTag: 'latest' })))
    const states = await database.db.selectFrom('sync_state').selectAll().execute()
    const caughtUp = devnet.chains.every((c, i) => {
      const s = states.find((row) => row.chain_id === c.chainId)
      return s?.block_hash === (heads[i]?.hash as Hex) && s?.block_number === Number(heads[i]?.number)
    })
    if (caughtUp) return
    if (Date.now() > deadline) throw new Error('indexer did not reach the devnet heads in 60 s')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('reorgs of the real devnet during live sync', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet({
      chains: 2,
      scenario: 'steady',
      seed: 3,
      relay: 'manual',
      confirmations: CONFIRMATIONS,
    })
  }, 180_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  for (const dialect of DIALECTS) {
    it(`replaces the last 1..${CONFIRMATIONS} blocks and ends equal to a fresh index (${dialect})`, async () => {
      const config = defineConfig({ ...configFromDevnetManifest(devnet.manifest), snapshotInterval: 0 })
      const live = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const fresh = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const events: SyncEvent[] = []
      const indexer = await runIndexer({
        config,
        database: live,
        logger: false,
        progress: false,
        onEvent: (e) => events.push(e),
      })
      try {
        await indexer.synced
        const chain = devnet.chains[0]
        if (chain === undefined) throw new Error('no devnet chain')
        const before = (await live.db.selectFrom('balances').select('block_number').execute()).length
        for (let depth = 1; depth <= CONFIRMATIONS; depth++) {
          // The scenario's last blocks are replaced by blocks holding one plain ETH transfer (so
          // their hashes differ even where the old blocks were empty): their token transfers vanish.
          const tx = {
            from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
            to: '0x000000000000000000000000000000000000dead',
            value: `0x${(depth + (dialect === 'sqlite' ? 0 : 100)).toString(16)}`,
          }
          await chain.test.request({ method: 'anvil_reorg', params: [depth, [[tx, 0]]] } as never)
          await waitForHeads(live, devnet)
        }
        expect(events.filter((e) => e.type === 'reorg').length).toBe(CONFIRMATIONS)
        await indexer.stop()
        await (
          await runIndexer({ config, database: fresh, untilSynced: true, logger: false, progress: false })
        ).done
        expect(await dumpFacts(live.db)).toEqual(await dumpFacts(fresh.db))
        expect(before).toBeGreaterThan(0)
      } finally {
        await indexer.stop()
        await live.cleanup()
        await fresh.cleanup()
      }
    }, 120_000)
  }
})
