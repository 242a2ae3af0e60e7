import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  layMainnetShapedHistory,
  type MainnetShapedHistory,
  type RunningChains,
  startChains,
} from '@ballast/devnet'
import { type Address, erc20Abi, type Hex, keccak256, parseAbiItem, toHex, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type CountingProxy, startCountingProxy } from '../../test/countingProxy.js'
import { defineConfig } from '../config/defineConfig.js'
import type { AssetConfig, IndexerConfig } from '../config/IndexerConfig.js'
import { getBalances } from '../queries/getBalances.js'
import { getSupplies } from '../queries/getSupplies.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { runIndexer } from './runIndexer.js'

const CHILD = fileURLToPath(new URL('../../test/indexerChild.ts', import.meta.url))

const transfer = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')
const answerUpdated = parseAbiItem(
  'event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)',
)

/**
 * A mainnet-shaped history, smaller than the 1M transfers to keep CI fast: 100k Transfers
 * of one reserve token among 50k addresses, 5 tracked holders in about 0.1% of them (the bench
 * lays the 1M-transfer version). Indexed through a counting JSON-RPC proxy.
 */
describe('holder-scoped sync of a mainnet-shaped history', () => {
  let running: RunningChains
  let history: MainnetShapedHistory
  let proxy: CountingProxy
  let chainId: number
  beforeAll(async () => {
    running = await startChains({ count: 1 })
    const chain = running.chains[0] as RunningChains['chains'][number]
    chainId = chain.chainId
    const t0 = performance.now()
    history = await layMainnetShapedHistory({ chain, transfers: 100_000 })
    if (process.env.BALLAST_TEST_FIGURES) console.log({ layMs: performance.now() - t0, ...history })
    proxy = await startCountingProxy(chain.rpcUrl)
  }, 300_000)
  afterAll(async () => {
    await proxy?.close()
    await running?.stop()
  })

  const reserveAsset = (): AssetConfig => ({
    symbol: 'rUSD',
    decimals: 6,
    tokens: { [chainId]: history.reserve },
    feed: { chainId, address: history.feed, decimals: 8 },
  })
  /** The liability token tracked as a second asset too (balances of the holders in it). */
  const liabilityAsset = (): AssetConfig => ({
    symbol: 'mUSD',
    decimals: 18,
    tokens: { [chainId]: history.liability },
  })
  const configFor = (
    database: TestDatabase,
    holders: readonly Address[],
    startBlock: number,
    assets: AssetConfig[],
  ): IndexerConfig => ({
    database: database.config,
    chains: [{ chainId, rpcUrls: [proxy.url], finalityDepth: 2, startBlock }],
    pools: [
      {
        id: keccak256(toHex('pool')),
        name: 'pool',
        minRatioBps: 10_000,
        targetRatioBps: 12_000,
        members: [
          {
            id: keccak256(toHex('member')),
            name: 'member',
            liabilityTokens: { [chainId]: history.liability },
            holders: { [chainId]: holders },
          },
        ],
      },
    ],
    assets,
    snapshotInterval: 0,
  })
  const index = async (database: TestDatabase, config: IndexerConfig) => {
    const resolved = defineConfig(config)
    await (
      await runIndexer({ config: resolved, database, untilSynced: true, logger: false, progress: false })
    ).done
    return resolved
  }
  const client = () => (running.chains[0] as RunningChains['chains'][number]).public

  /** Logs that matter to these holders and tokens from `fromBlock`: read straight from the node. */
  const relevantLogs = async (
    fromBlock: number,
    holders: readonly Address[],
    tokens: readonly Address[],
    supply: boolean,
  ) => {
    const keys = new Set<string>()
    const add = (logs: { blockHash: Hex | null; logIndex: number | null }[]) => {
      for (const l of logs) keys.add(`${l.blockHash}:${l.logIndex}`)
    }
    const from = BigInt(fromBlock)
    for (const token of tokens) {
      add(
        await client().getLogs({
          address: token,
          event: transfer,
          args: { from: [...holders] },
          fromBlock: from,
        }),
      )
      add(
        await client().getLogs({
          address: token,
          event: transfer,
          args: { to: [...holders] },
          fromBlock: from,
        }),
      )
    }
    if (supply) {
      for (const args of [{ from: zeroAddress }, { to: zeroAddress }])
        add(await client().getLogs({ address: history.liability, event: transfer, args, fromBlock: from }))
      add(await client().getLogs({ address: history.feed, event: answerUpdated, fromBlock: from }))
    }
    return keys.size
  }

  /** Every tracked balance and supply equals balanceOf/totalSupply at the indexed block. */
  const expectExact = async (
    database: TestDatabase,
    config: IndexerConfig,
    holders: readonly Address[],
    tokens: readonly Address[],
  ) => {
    const ctx = { db: database.db, config: defineConfig(config) }
    const state = await database.db.selectFrom('sync_state').selectAll().executeTakeFirstOrThrow()
    const block = BigInt(state.block_number)
    expect(block).toBe(await client().getBlockNumber())
    const balances = await getBalances(ctx, { chainId })
    let nonZero = 0
    for (const token of tokens) {
      for (const holder of holders) {
        const onChain = await client().readContract({
          address: token,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [holder],
          blockNumber: block,
        })
        const got = balances.find((b) => b.token === token.toLowerCase() && b.holder === holder.toLowerCase())
        expect(got?.amount ?? 0n, `${token} ${holder}`).toBe(onChain)
        if (onChain > 0n) nonZero++
      }
    }
    expect(nonZero).toBeGreaterThan(0)
    const supply = (await getSupplies(ctx, { chainId })).find(
      (s) => s.token === history.liability.toLowerCase(),
    )
    const totalSupply = await client().readContract({
      address: history.liability,
      abi: erc20Abi,
      functionName: 'totalSupply',
      blockNumber: block,
    })
    expect(supply?.supply).toBe(totalSupply)
  }

  for (const dialect of DIALECTS) {
    it(`fetches at most 1.1x the relevant logs and ends equal to balanceOf/totalSupply (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        proxy.reset()
        const config = configFor(database, history.tracked, history.deployBlock, [reserveAsset()])
        await index(database, config)
        const relevant = await relevantLogs(history.deployBlock, history.tracked, [history.reserve], true)
        expect(history.transfers).toBeGreaterThanOrEqual(100_000)
        expect(relevant).toBeGreaterThan(20)
        expect(relevant).toBeLessThan(history.transfers / 500)
        if (process.env.BALLAST_TEST_FIGURES)
          console.log({ relevant, received: proxy.counts.logs, methods: proxy.counts.methods })
        expect(proxy.counts.logs).toBeLessThanOrEqual(Math.floor(1.1 * relevant))
        await expectExact(database, config, history.tracked, [history.reserve])
      } finally {
        await database.cleanup()
      }
    }, 120_000)

    it(`splits a filter the node refuses as too big and ends exact (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        proxy.reset()
        proxy.maxFilterValues = 2
        const config = configFor(database, history.tracked, history.deployBlock, [reserveAsset()])
        await index(database, config)
        expect(proxy.counts.refused).toBeGreaterThan(0)
        const relevant = await relevantLogs(history.deployBlock, history.tracked, [history.reserve], true)
        expect(proxy.counts.logs).toBeLessThanOrEqual(Math.floor(1.1 * relevant))
        await expectExact(database, config, history.tracked, [history.reserve])
      } finally {
        proxy.maxFilterValues = Number.POSITIVE_INFINITY
        await database.cleanup()
      }
    }, 120_000)

    it(`is exact with startBlock after the deployment and the holders' first transfers (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const startBlock = history.fundedBlock + 25
        const config = configFor(database, history.tracked, startBlock, [reserveAsset()])
        await index(database, config)
        await expectExact(database, config, history.tracked, [history.reserve])
      } finally {
        await database.cleanup()
      }
    }, 120_000)

    it(`catches up only an added holder and asset on restart, exactly (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const before = history.tracked.slice(0, 3)
        await index(database, configFor(database, before, history.deployBlock, [reserveAsset()]))
        proxy.reset()
        const config = configFor(database, history.tracked.slice(0, 4), history.deployBlock, [
          reserveAsset(),
          liabilityAsset(),
        ])
        await index(database, config)
        // Added: the fourth holder's reserve history, and every holder's history in the new asset.
        const added =
          (await relevantLogs(history.deployBlock, history.tracked.slice(3, 4), [history.reserve], false)) +
          (await relevantLogs(history.deployBlock, history.tracked.slice(0, 4), [history.liability], false))
        expect(added).toBeGreaterThan(0)
        if (process.env.BALLAST_TEST_FIGURES) console.log({ added, received: proxy.counts.logs })
        expect(proxy.counts.logs).toBeLessThanOrEqual(Math.floor(1.1 * added))
        await expectExact(database, config, history.tracked.slice(0, 4), [history.reserve, history.liability])
      } finally {
        await database.cleanup()
      }
    }, 120_000)

    it(`resumes a catch-up killed by SIGKILL mid-fetch, exactly (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        await index(
          database,
          configFor(database, history.tracked.slice(0, 3), history.deployBlock, [reserveAsset()]),
        )
        const parts = async () =>
          (await database.db.selectFrom('tracked_parts').select('part').orderBy('part').execute()).map(
            (r) => r.part,
          )
        const before = await parts()
        const config = configFor(database, history.tracked.slice(0, 4), history.deployBlock, [
          reserveAsset(),
          liabilityAsset(),
        ])
        // The restart's first eth_getLogs is the catch-up's: the child dies while it fetches.
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
          env: { ...process.env, BALLAST_CHILD_CONFIG: JSON.stringify(config) },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let killed = false
        proxy.onRequest = (methods) => {
          if (!killed && methods.includes('eth_getLogs')) {
            killed = true
            child.kill('SIGKILL')
          }
        }
        const signal = await new Promise((resolve) => child.once('exit', (_code, s) => resolve(s)))
        proxy.onRequest = undefined
        expect(killed).toBe(true)
        expect(signal).toBe('SIGKILL')
        // The catch-up is one transaction: nothing of it was committed.
        expect(await parts()).toEqual(before)
        await index(database, config)
        expect((await parts()).length).toBeGreaterThan(before.length)
        await expectExact(database, config, history.tracked.slice(0, 4), [history.reserve, history.liability])
      } finally {
        proxy.onRequest = undefined
        await database.cleanup()
      }
    }, 120_000)
  }
})
