import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type FaultProxy, startFaultProxy } from '../../test/faultProxy.js'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import { runIndexer } from './runIndexer.js'

describe('RPC faults', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  const proxies: FaultProxy[] = []
  beforeAll(async () => {
    chains = [await startTestChain(32_031), await startTestChain(32_032)]
    scenario = await writeScenario(chains, { blocks: 12, seed: 3 })
  })
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  for (const dialect of DIALECTS) {
    it(`completes, start-up check included, with identical results through 20% faults: 429 + Retry-After, 500, 10 s stalls, resets, truncated bodies, provider errors (${dialect})`, async () => {
      const clean = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const faulty = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const config = defineConfig(scenario.config)
        await (
          await runIndexer({ config, database: clean, untilSynced: true, logger: false, progress: false })
        ).done

        // Two faulty URLs per chain (fallback between them), each with its own fault sequence.
        const faultyChains = await Promise.all(
          scenario.config.chains.map(async (chain, i) => {
            const urls = []
            for (let k = 0; k < 2; k++) {
              const proxy = await startFaultProxy(chain.rpcUrls?.[0] as string, {
                seed: 100 * i + k + (dialect === 'sqlite' ? 0 : 7),
                rate: 0.2,
                hangMs: 10_000,
                chainId: true,
              })
              proxies.push(proxy)
              urls.push(proxy.url)
            }
            return { ...chain, rpcUrls: urls, rpcTimeout: 1_000, maxBlockRange: 64 }
          }),
        )
        const faultyConfig = defineConfig({ ...scenario.config, chains: faultyChains })
        const indexer = await runIndexer({
          config: faultyConfig,
          database: faulty,
          untilSynced: true,
          logger: false,
          progress: false,
          rpc: { backoff: 10 },
        })
        await indexer.done
        expect(await dumpFacts(faulty.db)).toEqual(await dumpFacts(clean.db))
        const kinds = [
          'status429',
          'status500',
          'timeouts',
          'resets',
          'truncated',
          'providerErrors',
          'tooMany',
        ] as const
        for (const kind of kinds) {
          expect(
            proxies.reduce((sum, p) => sum + p.counts[kind], 0),
            kind,
          ).toBeGreaterThan(0)
        }
      } finally {
        await clean.cleanup()
        await faulty.cleanup()
      }
    })
  }
})
