import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { expectModel } from '../../test/expectModel.js'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createTestDatabase } from '../testing/createTestDatabase.js'
import { runIndexer } from './runIndexer.js'

/** A TCP proxy to anvil's port (its WebSocket too) that the test can kill mid-run. */
async function startTcpProxy(target: string): Promise<{ url: string; kill: () => Promise<void> }> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const listening = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `ws://127.0.0.1:${listening}`,
    kill: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('live heads over WebSocket', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  beforeAll(async () => {
    chains = [await startTestChain(32_145), await startTestChain(32_146)]
    scenario = await writeScenario(chains, { blocks: 6, seed: 6 })
  })
  afterAll(async () => {
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  it('wakes the sync on each new head, and loses no block when the WebSocket dies mid-run', async () => {
    const proxy = await startTcpProxy(chains[0].rpcUrl)
    const database = await createTestDatabase('sqlite', inject('ballastPostgresUrl'))
    // Polling every 2 s: a block indexed well within that was woken by its head.
    const config = defineConfig({
      ...scenario.config,
      chains: (scenario.config.chains ?? []).map((c, i) => ({
        ...c,
        pollingInterval: 2_000,
        ...(i === 0 ? { rpcUrls: [...(c.rpcUrls ?? []), proxy.url] } : {}),
      })),
    })
    const indexer = await runIndexer({ config, database, logger: false, progress: false })
    const indexedTo = async (block: number) => {
      const start = performance.now()
      while ((indexer.status()[0]?.indexed ?? -1) < block) {
        if (performance.now() - start > 15_000) throw new Error(`block ${block} not indexed`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      return performance.now() - start
    }
    try {
      await indexer.synced
      await indexedTo(await chains[0].head())
      expect(config.chains[0]?.wsUrls).toEqual([proxy.url])
      const latencies: number[] = []
      for (let i = 0; i < 5; i++) {
        await chains[0].mine(1)
        latencies.push(await indexedTo(await chains[0].head()))
      }
      latencies.sort((a, b) => a - b)
      // Woken by the head, not by the 2 s poll.
      expect(latencies[2]).toBeLessThan(1_000)
      expect(indexer.heads[0]?.heads).toBeGreaterThanOrEqual(5)

      await proxy.kill()
      await chains[0].mine(3)
      // Polling carries on: every block arrives.
      await indexedTo(await chains[0].head())
      await chains[0].mine(2)
      await indexedTo(await chains[0].head())
      expect(indexer.heads[0]?.failures).toBeGreaterThan(0)
      // It tries to subscribe again (a second after the failure), and keeps failing while the proxy is gone.
      const deadline = performance.now() + 10_000
      while ((indexer.heads[0]?.subscriptions ?? 0) < 2 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(indexer.heads[0]?.subscriptions).toBeGreaterThan(1)
    } finally {
      await indexer.stop()
    }
    await expectModel({ db: database.db, config }, scenario, scenario.model)
    // Every block from the start to the head is linked: none skipped.
    const blocks = await database.db
      .selectFrom('sync_state')
      .select(['chain_id', 'block_number'])
      .where('chain_id', '=', chains[0].chainId)
      .execute()
    expect(blocks[0]?.block_number).toBe(await chains[0].head())
    await database.cleanup()
  })
})
