import { reservePoolRegistryAbi } from '@ballast/sdk'
import { type Address, erc20Abi, type Hex, keccak256, toHex } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addressesOf, HOLDERS, type Scenario, writeScenario } from '../../test/scenario.js'
import { encodeLog, startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import type { IndexerDatabase } from '../storage/createDatabase.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import type { SyncEvent } from './createSyncLoop.js'
import { runIndexer } from './runIndexer.js'

const FINALITY = 5

/** Polls until the indexer's cursor of every chain is the chain's current head (hash and number). */
async function waitForHeads(database: IndexerDatabase, chains: readonly TestChain[]): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const heads = await Promise.all(
      chains.map((c) => c.request<{ hash: Hex; number: Hex }>('eth_getBlockByNumber', ['latest', false])),
    )
    const states = await database.db.selectFrom('sync_state').selectAll().execute()
    const caughtUp = chains.every((c, i) => {
      const s = states.find((row) => row.chain_id === c.chainId)
      return s?.block_hash === heads[i]?.hash && s?.block_number === Number(heads[i]?.number)
    })
    if (caughtUp) return
    if (Date.now() > deadline) throw new Error('indexer did not reach the chain heads in 60 s')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('reorgs during live sync', () => {
  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let chains: [TestChain, TestChain]
      let scenario: Scenario
      beforeAll(async () => {
        const base = dialect === 'sqlite' ? 32_011 : 32_021
        chains = [await startTestChain(base), await startTestChain(base + 1)]
        scenario = await writeScenario(chains, { blocks: 6, finalityDepth: FINALITY, seed: 7 })
      })
      afterAll(async () => {
        await Promise.all((chains ?? []).map((c) => c?.stop()))
      })

      it(`rolls back reorgs of depth 1 to ${FINALITY} and to a shorter chain, ending equal to a fresh index`, async () => {
        const config = defineConfig(scenario.config)
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
          const [a] = chains
          const x = addressesOf(0)
          const three = keccak256(toHex('three'))
          const newcomer: Address = '0x000000000000000000000000000000000000b003'
          for (let depth = 1; depth <= FINALITY; depth++) {
            await a.emitBlock([
              encodeLog(x.usdc, erc20Abi, 'Transfer', {
                from: HOLDERS.two,
                to: HOLDERS.one,
                value: BigInt(depth),
              }),
            ])
            await waitForHeads(live, chains)
            // The replacement history: different transfers, and (at depth 2) a member that only
            // exists on the abandoned fork after the next, deeper reorg.
            const replacement = [
              encodeLog(x.usdc, erc20Abi, 'Transfer', {
                from: HOLDERS.one,
                to: newcomer,
                value: 1000n + BigInt(depth),
              }),
              ...(depth === 2
                ? [
                    encodeLog(x.registry, reservePoolRegistryAbi, 'MemberJoined', {
                      poolId: scenario.poolId,
                      memberId: three,
                      name: 'three',
                      liabilityToken: x.liabilityTwo,
                      holders: [newcomer],
                    }),
                  ]
                : []),
            ]
            await a.reorg(depth, replacement)
            await waitForHeads(live, chains)
          }
          // A reorg to a shorter chain: the head goes back 2 blocks.
          await a.request('anvil_rollback', [2])
          await waitForHeads(live, chains)
          const reorgs = events.filter((e) => e.type === 'reorg')
          expect(reorgs.map((e) => (e.type === 'reorg' ? e.depth : 0))).toEqual([1, 2, 3, 4, 5, 2])

          await indexer.stop()
          const freshRun = await runIndexer({
            config,
            database: fresh,
            untilSynced: true,
            logger: false,
            progress: false,
          })
          await freshRun.done
          expect(await dumpFacts(live.db)).toEqual(await dumpFacts(fresh.db))
          // Member three joined on a fork (its holder was discovered and back-filled) that a deeper
          // reorg abandoned: it is gone.
          expect(events.some((e) => e.type === 'discovered' && e.holders.includes(newcomer))).toBe(true)
          const members = await live.db.selectFrom('member_events').select('member_id').execute()
          expect(members.map((m) => m.member_id)).not.toContain(three)
        } finally {
          await indexer.stop()
          await live.cleanup()
          await fresh.cleanup()
        }
      })
    })
  }
})
