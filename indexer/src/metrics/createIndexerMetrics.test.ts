import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { runIndexer } from '../sync/runIndexer.js'
import { createTestDatabase } from '../testing/createTestDatabase.js'
import { createIndexerMetrics } from './createIndexerMetrics.js'

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const inside = line.slice(name.length + 1, line.indexOf('}'))
    if (wanted.every((w) => inside.split(',').includes(w)))
      return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}

describe('createIndexerMetrics', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  beforeAll(async () => {
    chains = [await startTestChain(32_101), await startTestChain(32_102)]
    scenario = await writeScenario(chains, { blocks: 5, seed: 29 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  it('reports lag, RPC calls, steps and roles of a real run, and reorgs as they come', async () => {
    const database = await createTestDatabase('sqlite')
    try {
      const config = defineConfig({ ...scenario.config, database: database.config })
      const metrics = createIndexerMetrics(config)
      const indexer = await runIndexer({
        config,
        database,
        untilSynced: true,
        logger: false,
        progress: false,
        onEvent: metrics.observeEvent,
        onStep: metrics.observeStep,
      })
      metrics.attach(indexer)
      await indexer.done
      const text = await metrics.registry.metrics()
      for (const chain of config.chains) {
        const l = { chain_id: String(chain.chainId), chain: chain.name }
        expect(sample(text, 'ballast_indexer_blocks_behind', l)).toBe(0)
        expect(sample(text, 'ballast_indexer_seconds_behind', l)).toBeGreaterThanOrEqual(0)
        expect(sample(text, 'ballast_indexer_rpc_requests_total', { ...l, method: 'eth_getLogs' })).toBe(
          indexer.rpc.get(chain.chainId)!.stats.methods.eth_getLogs,
        )
        expect(
          sample(text, 'ballast_indexer_step_duration_seconds_count', { ...l, result: 'progress' }),
        ).toBeGreaterThan(0)
        expect(sample(text, 'ballast_indexer_step_blocks_count', { ...l, mode: 'backfill' })).toBeGreaterThan(
          0,
        )
        expect(sample(text, 'ballast_indexer_lease_writer', l)).toBe(1)
      }
      // A second scrape does not count the same calls again.
      const again = await metrics.registry.metrics()
      const first = config.chains[0]!
      expect(
        sample(again, 'ballast_indexer_rpc_requests_total', {
          chain_id: String(first.chainId),
          chain: first.name,
          method: 'eth_getLogs',
        }),
      ).toBe(indexer.rpc.get(first.chainId)!.stats.methods.eth_getLogs)
      metrics.observeEvent({ type: 'reorg', chainId: first.chainId, forkBlock: 3, depth: 2 })
      const after = await metrics.registry.metrics()
      expect(
        sample(after, 'ballast_indexer_reorgs_total', { chain_id: String(first.chainId), chain: first.name }),
      ).toBe(1)
    } finally {
      await database.cleanup()
    }
  })
})
