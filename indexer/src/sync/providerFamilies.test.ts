import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { expectModel } from '../../test/expectModel.js'
import {
  PROVIDER_PROFILES,
  type ProviderLimits,
  type ProviderServer,
  startProviderServer,
} from '../../test/providerServer.js'
import { type Scenario, writeScenario } from '../../test/scenario.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { createChainRpc } from '../rpc/createChainRpc.js'
import { RpcError } from '../rpc/RpcError.js'
import { createTestDatabase } from '../testing/createTestDatabase.js'
import { fetchLogsBounded } from './fetchLogsAdaptive.js'
import { runIndexer } from './runIndexer.js'

/**
 * Provider limits scaled to the scenario (4 to 12 logs a block): a 4-block cap, 16 logs per
 * answer (more than any one block holds: no provider refuses a single block for its results).
 */
const LIMITS: ProviderLimits = { blocks: 4, results: 16, filters: 2, prunedBelow: 0 }
/**
 * For the families refused by results: holder-scoped filters ask only the tracked holders' logs,
 * so answers are small and the per-answer limit is scaled down with them (still at least what one
 * block of one filter holds).
 */
const DENSE_LIMITS: ProviderLimits = { ...LIMITS, results: 3 }

/** How many different filters (addresses and topics) a server was asked: the holder-scoped filters of a range. */
const filterShapes = (server: ProviderServer) =>
  new Set(server.logsCalls.map((c) => JSON.stringify([c.addresses, c.topics]))).size

describe('a sync through each provider family of REALWORLD.md', () => {
  let chains: [TestChain, TestChain]
  let scenario: Scenario
  const servers: ProviderServer[] = []
  beforeAll(async () => {
    chains = [await startTestChain(32_141), await startTestChain(32_142)]
    scenario = await writeScenario(chains, { blocks: 8, seed: 14, maxBlockRange: 64 })
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
    await Promise.all((chains ?? []).map((c) => c?.stop()))
  })

  /** Runs the scenario through one server per chain (plus `extraUrls`) and checks the figures. */
  const syncThrough = async (name: string, limits: ProviderLimits, extraUrls = false) => {
    const profile = PROVIDER_PROFILES[name]
    if (profile === undefined) throw new Error(`no profile ${name}`)
    const database = await createTestDatabase('sqlite', inject('ballastPostgresUrl'))
    try {
      const own = await Promise.all(chains.map((c) => startProviderServer(c.rpcUrl, profile, limits)))
      servers.push(...own)
      const config = defineConfig({
        ...scenario.config,
        chains: (scenario.config.chains ?? []).map((chain, i) => ({
          ...chain,
          rpcUrls: [(own[i] as ProviderServer).url, ...(extraUrls ? [chains[i]?.rpcUrl as string] : [])],
        })),
      })
      const indexer = await runIndexer({
        config,
        database,
        untilSynced: true,
        logger: false,
        progress: false,
        rpc: { backoff: 5 },
      })
      await indexer.done
      await expectModel({ db: database.db, config }, scenario, scenario.model)
      return { servers: own, indexer }
    } finally {
      await database.cleanup()
    }
  }

  const suggested = ['alchemySize', 'alchemyRange', 'infura', 'tenderly']
  for (const name of suggested) {
    it(`${PROVIDER_PROFILES[name]?.provider}: uses the suggested range`, async () => {
      const { servers } = await syncThrough(name, DENSE_LIMITS)
      for (const server of servers) {
        const refused = server.logsCalls.filter((c) => c.refused !== undefined)
        expect(refused.length).toBeGreaterThan(0)
        // Each refusal is followed by a call of exactly the suggested range.
        for (const r of refused) {
          const range = /\[(0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+)\]/.exec(r.refused?.message ?? '')
          const to = Number(range?.[2])
          expect(
            server.logsCalls.some((c) => c.from === r.from && c.to === to && c.refused === undefined),
          ).toBe(true)
        }
        expect(refused.length).toBeLessThanOrEqual(server.logsCalls.length / 2)
      }
    })
  }

  const numberedCaps = [
    'quickNode413',
    'quickNodeFilter',
    'oneRpcRange',
    'blockPi',
    'thirdweb',
    'geth',
    'reth',
  ]
  for (const name of numberedCaps) {
    it(`${PROVIDER_PROFILES[name]?.provider}: learns the cap from one refusal`, async () => {
      const { servers, indexer } = await syncThrough(name, LIMITS)
      for (const server of servers) {
        const refused = server.logsCalls.filter((c) => c.refused !== undefined)
        expect(refused.length).toBeGreaterThan(0)
        // A refusal or two per filter in flight before the cap is known (the holder-scoped filters
        // of a range go out together, and the next range is prefetched), none after.
        expect(refused.length).toBeLessThanOrEqual(2 * filterShapes(server))
        const last = server.logsCalls.lastIndexOf(refused.at(-1) as (typeof refused)[number])
        for (const c of server.logsCalls.slice(last + 1))
          expect(c.to - c.from + 1).toBeLessThanOrEqual(LIMITS.blocks)
      }
      for (const rpc of indexer.rpc.values()) expect(rpc.endpoints()[0]?.logRangeCap).toBe(LIMITS.blocks)
    })
  }

  for (const name of ['ankr', 'chainstack', 'basePublic']) {
    it(`${PROVIDER_PROFILES[name]?.provider}: a cap without a number still converges`, async () => {
      const { servers } = await syncThrough(name, LIMITS)
      for (const server of servers) {
        const refused = server.logsCalls.filter((c) => c.refused !== undefined)
        expect(refused.length).toBeGreaterThan(0)
        // 64 blocks down to 4: at most a few halvings per filter in flight, then max stays below what was refused.
        expect(refused.length).toBeLessThanOrEqual(6 * filterShapes(server))
      }
    })
  }

  for (const name of [
    'arbitrum',
    'optimismBackend',
    'optimismRange',
    'rethResults',
    'oneRpcBytes',
    'queryTimeout',
  ]) {
    it(`${PROVIDER_PROFILES[name]?.provider} "${name}": shrinks by density`, async () => {
      // 1RPC counts bytes (about 700 a log): a block's logs must fit, so it keeps a little more room.
      const { servers } = await syncThrough(
        name,
        name === 'oneRpcBytes' ? { ...LIMITS, results: 6 } : DENSE_LIMITS,
      )
      for (const server of servers) {
        const refused = server.logsCalls.filter((c) => c.refused !== undefined)
        expect(refused.length).toBeGreaterThan(0)
        expect(refused.length).toBeLessThanOrEqual(server.logsCalls.length / 2)
      }
    })
  }

  it('Base public "no backend is currently healthy": retried, bounded', async () => {
    const { servers, indexer } = await syncThrough('noBackend', LIMITS)
    for (const [i, server] of servers.entries()) {
      const total = Object.values(server.calls).reduce((a, b) => a + b, 0)
      const refused = Object.values(server.refusals).reduce((a, b) => a + b, 0)
      expect(refused).toBeGreaterThan(0)
      // A fifth of the calls refused and retried: about 1.25 requests per call.
      expect(total).toBeLessThanOrEqual(Math.ceil((total - refused) * 1.5) + 2)
      // The start-up check's eth_chainId runs on a client of its own.
      expect([...indexer.rpc.values()][i]?.stats.failures.transient).toBe(
        refused - (server.refusals.eth_chainId ?? 0),
      )
    }
  })

  for (const name of ['prunedHistory', 'missingTrieNode', 'headerNotFound']) {
    it(`${PROVIDER_PROFILES[name]?.provider} "${name}": falls over to the next URL`, async () => {
      const limits = { ...LIMITS, blocks: 1_000, results: 1_000, prunedBelow: 1_000_000 }
      const { servers, indexer } = await syncThrough(name, limits, true)
      for (const rpc of indexer.rpc.values()) {
        // The pruned URL is left for every block it refused; the archive URL served the rest.
        const [pruned] = rpc.endpoints()
        if (name === 'prunedHistory') expect(pruned?.unavailableTo).toBeGreaterThan(0)
      }
      for (const server of servers) {
        const refused = Object.values(server.refusals).reduce((a, b) => a + b, 0)
        if (name === 'prunedHistory') expect(refused).toBeGreaterThan(0)
        // Never the same refused block twice: at most one refusal per distinct block asked.
        expect(refused).toBeLessThanOrEqual(Object.values(server.calls).reduce((a, b) => a + b, 0))
      }
    })
  }

  it('pruned history with no other URL: a fatal error naming the chain, the block and the fix', async () => {
    const profile = PROVIDER_PROFILES.prunedHistory
    if (profile === undefined) throw new Error('no profile')
    const server = await startProviderServer(chains[0].rpcUrl, profile, { ...LIMITS, prunedBelow: 1_000_000 })
    servers.push(server)
    const config = defineConfig({
      chains: [
        { chainId: chains[0].chainId, name: 'alpha', rpcUrls: [server.url], finalityDepth: 1, startBlock: 0 },
      ],
      pools: [
        { id: `0x${'01'.repeat(32)}`, registries: { [chains[0].chainId]: scenario.addresses.registry } },
      ],
      assets: [],
    })
    const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0], { backoff: 1 })
    const error = await rpc
      .getLogs({ address: [scenario.addresses.registry], fromBlock: 0, toBlock: 3 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).kind).toBe('unavailable')
    expect((error as RpcError).retryable).toBe(false)
    expect((error as RpcError).message).toContain('No RPC URL of chain alpha')
    expect((error as RpcError).message).toContain('serves block 3')
    expect((error as RpcError).message).toContain('archive node')
    expect(server.refusals.eth_getLogs).toBe(1)
  })

  for (const name of ['gethFilter', 'infuraFilter', 'maxTopics']) {
    it(`${PROVIDER_PROFILES[name]?.provider} "${name}": reaches the caller as a filter error at once`, async () => {
      const profile = PROVIDER_PROFILES[name]
      if (profile === undefined) throw new Error('no profile')
      const server = await startProviderServer(chains[0].rpcUrl, profile, LIMITS)
      servers.push(server)
      const config = defineConfig({
        chains: [{ chainId: chains[0].chainId, rpcUrls: [server.url], finalityDepth: 1, startBlock: 0 }],
        pools: [
          { id: `0x${'01'.repeat(32)}`, registries: { [chains[0].chainId]: scenario.addresses.registry } },
        ],
        assets: [],
      })
      const rpc = createChainRpc(config.chains[0] as (typeof config.chains)[0], { backoff: 1 })
      const a = scenario.addresses
      const range = { size: 16, max: 64 }
      const topics = name === 'maxTopics' ? [null, null, null, null, null] : undefined
      const error = await fetchLogsBounded(
        rpc,
        { address: [a.registry, a.usdc, a.feed], topics },
        0,
        16,
        range,
        1e9,
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RpcError)
      expect((error as RpcError).family).toBe('filter-too-big')
      expect((error as RpcError).kind).toBe('filter')
      // A smaller range never helps: one call, the range untouched.
      expect(server.logsCalls).toHaveLength(1)
      expect(range).toEqual({ size: 16, max: 64 })
    })
  }
})
