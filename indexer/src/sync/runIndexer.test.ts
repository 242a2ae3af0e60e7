import { validatePoolState } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { expectModel } from '../../test/expectModel.js'
import { HOLDERS, type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { getBalances } from '../queries/getBalances.js'
import { getMemberBalances } from '../queries/getMemberBalances.js'
import { getMembers } from '../queries/getMembers.js'
import { getSupplies } from '../queries/getSupplies.js'
import { getSyncMeta } from '../queries/getSyncMeta.js'
import { loadPoolState } from '../queries/loadPoolState.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { freePort } from '../testing/startPostgres.js'
import { runIndexer } from './runIndexer.js'

describe('runIndexer on a two-chain history', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  beforeAll(async () => {
    chains = [await startTestChain(32_001), await startTestChain(32_002)]
    scenario = await writeScenario(chains, { blocks: 15 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  for (const dialect of DIALECTS) {
    it(`indexes balances, supplies, in-flight transfers and a mid-history join exactly (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const config = defineConfig(scenario.config)
        const indexer = await runIndexer({
          config,
          database,
          untilSynced: true,
          logger: false,
          progress: false,
        })
        await indexer.done
        const ctx = { db: database.db, config }
        await expectModel(ctx, scenario, scenario.model)

        const meta = await getSyncMeta(ctx)
        for (const [i, chain] of chains.entries()) {
          expect(meta[i]?.indexedBlock).toBe(await chain.head())
          expect(meta[i]?.lagBlocks).toBe(0)
        }

        // Member two joined at block X of chain A: not a member before X, a member from X, and its
        // holder's balance and liability supply at X include the history before X.
        const chainA = chains[0].chainId
        const before = await getMembers(ctx, scenario.poolId, {
          at: { blocks: { [chainA]: scenario.joinBlockTwo - 1 } },
        })
        const after = await getMembers(ctx, scenario.poolId, {
          at: { blocks: { [chainA]: scenario.joinBlockTwo } },
        })
        const onA = (members: typeof before) =>
          members.filter((m) => m.chains.some((c) => c.chainId === chainA)).map((m) => m.name)
        expect(onA(before)).toEqual(['one'])
        expect(onA(after).sort()).toEqual(['one', 'two'])
        const atJoin = { blocks: { [chainA]: scenario.joinBlockTwo } }
        const [two] = await getBalances(ctx, { chainId: chainA, holders: [HOLDERS.two], at: atJoin })
        const usdcA = config.assets[0]?.tokens[chainA]
        expect(two?.amount).toBe(scenario.modelAtJoin.balances.get(`${chainA}:${usdcA}:${HOLDERS.two}`))
        const supplies = await getSupplies(ctx, {
          chainId: chainA,
          token: scenario.addresses.liabilityTwo,
          at: atJoin,
        })
        expect(supplies[0]?.supply).toBe(
          scenario.modelAtJoin.supplies.get(`${chainA}:${scenario.addresses.liabilityTwo}`),
        )

        // Balances per (member, holder, chain, asset) at the join block: member two's holder on A.
        const perMember = await getMemberBalances(ctx, scenario.poolId, {
          memberId: scenario.members.two,
          at: atJoin,
        })
        expect(perMember.map((b) => [b.holder, b.chainId, b.asset, b.amount])).toEqual([
          [HOLDERS.two, chainA, 'USDC', two?.amount],
        ])

        // The pool state is a valid sdk PoolState with the indexed figures.
        const state = validatePoolState(await loadPoolState(ctx, scenario.poolId))
        const one = state.members.find((m) => m.name === 'one')
        const usdcHeld = one?.holdings.filter((h) => h.asset === 'USDC').reduce((s, h) => s + h.amount, 0n)
        const expectedHeld = chains
          .map(
            (c) =>
              scenario.model.balances.get(
                `${c.chainId}:${config.assets[0]?.tokens[c.chainId]}:${HOLDERS.one}`,
              ) ?? 0n,
          )
          .reduce((s, v) => s + v, 0n)
        expect(usdcHeld).toBe(expectedHeld)
        const inFlight = [...scenario.model.sent].filter(([guid]) => !scenario.model.received.has(guid))
        expect(one?.inFlight.map((t) => t.guid).sort()).toEqual(inFlight.map(([g]) => g).sort())
        expect(state.members.map((m) => m.name).sort()).toEqual(['one', 'two'])
      } finally {
        await database.cleanup()
      }
    })
  }

  for (const dialect of DIALECTS) {
    it(`rejects synced when stopped before every chain is synced (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const dead = `http://127.0.0.1:${await freePort()}`
        const config = defineConfig({
          ...scenario.config,
          chains: scenario.config.chains.map((c) => ({ ...c, rpcUrls: [dead] })),
        })
        const errors: unknown[] = []
        const indexer = await runIndexer({
          config,
          database,
          checkRpc: false,
          progress: false,
          rpc: { maxAttempts: 1 },
          logger: { info() {}, debug() {}, error() {}, warn: (e: unknown) => errors.push(e) } as never,
        })
        // Poll a real condition: the unreachable URL has failed a step at least once.
        while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
        await indexer.stop()
        await expect(indexer.synced).rejects.toThrow('The indexer stopped before every chain was synced.')
        await expect(indexer.done).resolves.toBeUndefined()
      } finally {
        await database.cleanup()
      }
    })
  }
})
