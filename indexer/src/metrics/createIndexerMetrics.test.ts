import { erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FaultProxy, startFaultProxy } from '../../test/faultProxy.js'
import { addressesOf, HOLDERS, type Scenario, writeScenario } from '../../test/scenario.js'
import { encodeLog, startTestChain, type TestChain } from '../../test/testChain.js'
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

/** Every sample of `name` whose labels include `labels`, by the value of label `by`. */
function samplesBy(
  text: string,
  name: string,
  labels: Record<string, string>,
  by: string,
): Record<string, number> {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const inside = line.slice(name.length + 1, line.indexOf('}')).split(',')
    if (!wanted.every((w) => inside.includes(w))) continue
    const key = inside.find((l) => l.startsWith(`${by}=`))?.slice(by.length + 2, -1)
    if (key !== undefined) out[key] = (out[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return out
}

describe('createIndexerMetrics', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  const proxies: FaultProxy[] = []
  beforeAll(async () => {
    chains = [await startTestChain(32_101), await startTestChain(32_102)]
    scenario = await writeScenario(chains, { blocks: 5, seed: 29 })
  })
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
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
  it('counts RPC errors by method and family as the RPC edge answered them', async () => {
    const database = await createTestDatabase('sqlite')
    try {
      // HTTP 500 on a share of requests (every call of a batch fails), and "more than 10000
      // results" on every eth_getLogs over more than 2 blocks.
      const faulty = await Promise.all(
        scenario.config.chains.map(async (chain, i) => {
          const proxy = await startFaultProxy(chain.rpcUrls?.[0] as string, {
            seed: 31 + i,
            rate: 0.3,
            kinds: ['status500'],
            maxLogsRange: 2,
          })
          proxies.push(proxy)
          return { chain: { ...chain, rpcUrls: [proxy.url], maxBlockRange: 64 }, proxy }
        }),
      )
      const config = defineConfig({
        ...scenario.config,
        chains: faulty.map((f) => f.chain),
        database: database.config,
      })
      const metrics = createIndexerMetrics(config)
      const indexer = await runIndexer({
        config,
        database,
        untilSynced: true,
        logger: false,
        progress: false,
        rpc: { backoff: 10 },
      })
      metrics.attach(indexer)
      await indexer.done
      const text = await metrics.registry.metrics()
      for (const [i, chain] of config.chains.entries()) {
        const { proxy } = faulty[i]!
        const l = { chain_id: String(chain.chainId), chain: chain.name }
        // Per method, the failures the proxy dealt, whatever their family.
        expect(samplesBy(text, 'ballast_indexer_rpc_errors_total', l, 'method')).toEqual(proxy.failedCalls)
        expect(proxy.counts.tooMany).toBeGreaterThan(0)
        expect(Object.keys(proxy.failedCalls).length).toBeGreaterThan(1)
        // Per family: the refused ranges are "too dense", the 500s transient.
        const logs = samplesBy(
          text,
          'ballast_indexer_rpc_errors_total',
          { ...l, method: 'eth_getLogs' },
          'family',
        )
        expect(logs['too-dense']).toBe(proxy.counts.tooMany)
        const families = samplesBy(text, 'ballast_indexer_rpc_errors_total', l, 'family')
        expect(families.transient).toBe(
          Object.values(proxy.failedCalls).reduce((a, b) => a + b, 0) - proxy.counts.tooMany,
        )
      }
    } finally {
      await database.cleanup()
    }
  })

  it('counts a real reorg, with its depth', async () => {
    const database = await createTestDatabase('sqlite')
    const config = defineConfig({ ...scenario.config, database: database.config })
    const metrics = createIndexerMetrics(config)
    const indexer = await runIndexer({
      config,
      database,
      logger: false,
      progress: false,
      onEvent: metrics.observeEvent,
    })
    metrics.attach(indexer)
    try {
      await indexer.synced
      const [a] = chains
      const x = addressesOf(0)
      const transfer = (value: bigint) =>
        encodeLog(x.usdc, erc20Abi, 'Transfer', { from: HOLDERS.two, to: HOLDERS.one, value })
      await a.emitBlock([transfer(1n)])
      await a.emitBlock([transfer(2n)])
      const head = await a.head()
      const indexed = async () =>
        (
          await database.db
            .selectFrom('sync_state')
            .select('block_number')
            .where('chain_id', '=', a.chainId)
            .executeTakeFirstOrThrow()
        ).block_number
      await expect.poll(indexed, { timeout: 20_000 }).toBe(head)
      await a.reorg(2, [transfer(3n)])
      const l = { chain_id: String(a.chainId), chain: config.chains[0]!.name }
      await expect
        .poll(async () => sample(await metrics.registry.metrics(), 'ballast_indexer_reorgs_total', l), {
          timeout: 20_000,
        })
        .toBe(1)
      const text = await metrics.registry.metrics()
      expect(sample(text, 'ballast_indexer_reorg_depth_blocks_sum', l)).toBe(2)
      const other = { chain_id: String(chains[1].chainId), chain: config.chains[1]!.name }
      expect(sample(text, 'ballast_indexer_reorgs_total', other) ?? 0).toBe(0)
    } finally {
      await indexer.stop()
      await database.cleanup()
    }
  })
})
