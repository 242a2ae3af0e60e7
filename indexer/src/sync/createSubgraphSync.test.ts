// The subgraphs package runs WASM in Node and declares the WebAssembly API it uses (no DOM lib).
/// <reference path="../../../subgraphs/src/webassembly.d.ts" />

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Devnet, startDevnet, write } from '@ballast/devnet'
import type { PoolState } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk'
import {
  buildSubgraph,
  contextsJson,
  devnetNetworkName,
  hostFunctionNames,
  networksFromDevnet,
  networksJson,
  prepareSubgraph,
  retargetBuild,
  SubgraphHost,
  type SubgraphServer,
  startSubgraphServer,
} from '@ballast/subgraphs'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { configFromDevnetManifest } from '../config/configFromDevnetManifest.js'
import { defineConfig } from '../config/defineConfig.js'
import type { IndexerConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import { IndexerError } from '../errors/IndexerError.js'
import { getPoolSnapshots } from '../queries/getPoolSnapshots.js'
import { loadPoolState } from '../queries/loadPoolState.js'
import type { QueryContext } from '../queries/QueryContext.js'
import { redactUrl } from '../rpc/redactUrl.js'
import { encodeUint256 } from '../storage/uint256.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { dumpFacts } from '../testing/dumpFacts.js'
import { createSubgraphClient } from './createSubgraphClient.js'
import { createSubgraphSync } from './createSubgraphSync.js'
import type { SyncEvent } from './createSyncLoop.js'
import { runIndexer } from './runIndexer.js'

// The devnet's chains are indexed twice: over JSON-RPC, and from their subgraphs (the compiled
// mappings run by the subgraphs package's WASM test host, served over HTTP by its graph-node
// stand-in). The pool states, and so the pool ratios, must be the same.

const CONFIRMATIONS = 3
const SNAPSHOT_INTERVAL = 300
const tmp = mkdtempSync(join(tmpdir(), 'ballast-subgraph-source-'))

let devnet: Devnet
const hosts = new Map<number, SubgraphHost>()
const servers = new Map<number, SubgraphServer>()
/** Block headers per chain: graph-node knows every block of its chain; the test host only those it handled. */
const headers = new Map<number, Map<bigint, { hash: Hex; timestamp: bigint }>>()
const heads: Record<number, number> = {}
let rpcConfig: IndexerConfig
let reference: TestDatabase

/**
 * Indexes a chain's subgraph to the chain's head (the host reverts reorged blocks first). The
 * headers are fetched first and swapped in right as `indexTo` returns (no await in between), so
 * the server never pairs the host's head with headers of another fork.
 */
async function indexSubgraph(chainId: number): Promise<void> {
  const chain = devnet.chains.find((c) => c.chainId === chainId)!
  const head = await chain.public.getBlockNumber()
  const known = new Map<bigint, { hash: Hex; timestamp: bigint }>()
  const numbers = Array.from({ length: Number(head) + 1 }, (_, i) => BigInt(i))
  const blocks = await Promise.all(numbers.map((n) => chain.public.getBlock({ blockNumber: n })))
  for (const b of blocks) known.set(b.number, { hash: b.hash, timestamp: b.timestamp })
  await hosts.get(chainId)!.indexTo(head)
  headers.set(chainId, known)
}

/** A config reading the given chains from their subgraph servers, the others over RPC. */
function subgraphConfig(chainIds: readonly number[]): ResolvedIndexerConfig {
  return defineConfig({
    ...rpcConfig,
    chains: rpcConfig.chains.map((c) =>
      chainIds.includes(c.chainId as number)
        ? {
            ...c,
            rpcUrls: undefined,
            subgraph: { url: servers.get(c.chainId as number)!.url },
            pollingInterval: 20,
          }
        : c,
    ),
  })
}

/**
 * The pool states, as the two sources can agree on them: a subgraph has no checkpoint reads, so
 * its vault rates are estimated from the vault's indexed totals (flagged `estimated`) where RPC
 * reads `convertToAssets` (with the block it was observed at). The rates themselves must agree
 * (the devnet vault holds its own assets); the flag and the observation block are set aside.
 */
async function poolStates(ctx: QueryContext, at?: { blocks: Record<number, number> }) {
  const states = await Promise.all(ctx.config.pools.map((p) => loadPoolState(ctx, p.id, { at })))
  return states.map(comparable)
}

function comparable(state: PoolState): PoolState {
  {
    const degraded = (state.degraded ?? []).filter((d) => d.code !== 'estimated')
    const { degraded: _, ...rest } = state
    return {
      ...rest,
      ...(degraded.length === 0 ? {} : { degraded }),
      members: state.members.map((m) => ({
        ...m,
        holdings: m.holdings.map(({ observedAtBlock: _o, ...h }) => h),
      })),
    }
  }
}

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 2,
    scenario: 'steady',
    seed: 21,
    relay: 'manual',
    confirmations: CONFIRMATIONS,
  })
  const networks = networksJson(networksFromDevnet(devnet.manifest))
  const contexts = contextsJson(networksFromDevnet(devnet.manifest))
  const dir = prepareSubgraph({ outDir: join(tmp, 'subgraph'), networks, contexts })
  const first = devnetNetworkName(devnet.manifest.chains[0]!.chainId)
  const { builds } = await buildSubgraph({
    dir,
    networks: [first],
    contexts,
    hostFunctions: hostFunctionNames,
  })
  for (const chain of devnet.manifest.chains) {
    const network = devnetNetworkName(chain.chainId)
    const buildDir = retargetBuild(builds[0]!.outputDir, join(tmp, network), network, networks, contexts)
    const host = await SubgraphHost.create({ buildDir, network, rpcUrl: chain.rpcUrl })
    hosts.set(chain.chainId, host)
    await indexSubgraph(chain.chainId)
    heads[chain.chainId] = Number(host.head!.number)
    const known = () => headers.get(chain.chainId)!
    // The host's store and head, with graph-node's knowledge of every block of the chain.
    servers.set(
      chain.chainId,
      await startSubgraphServer({
        store: host.store,
        get head() {
          return host.head
        },
        block: (n) => (host.head !== undefined && n <= host.head.number ? known().get(n) : undefined),
        blockNumberOf: (hash) => {
          for (const [n, b] of known()) if (b.hash === hash.toLowerCase() && n <= host.head!.number) return n
          return undefined
        },
      }),
    )
  }
  // Snapshots every 5 minutes of chain time: several over the devnet's history.
  rpcConfig = { ...configFromDevnetManifest(devnet.manifest), snapshotInterval: SNAPSHOT_INTERVAL }
  reference = await createTestDatabase('sqlite')
  await (
    await runIndexer({
      config: defineConfig(rpcConfig),
      database: reference,
      untilSynced: true,
      logger: false,
      progress: false,
    })
  ).done
}, 300_000)

afterAll(async () => {
  for (const server of servers.values()) await server.stop()
  await reference?.cleanup()
  await devnet?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

for (const dialect of DIALECTS) {
  describe(`subgraph source (${dialect})`, () => {
    for (const which of ['all', 'one'] as const) {
      it(`indexing ${which} chain(s) from the subgraph gives the pool states and ratios of RPC`, async () => {
        const chainIds = devnet.manifest.chains
          .map((c) => c.chainId)
          .slice(0, which === 'all' ? undefined : 1)
        const config = subgraphConfig(chainIds)
        const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
        try {
          const events: SyncEvent[] = []
          const indexer = await runIndexer({
            config,
            database,
            untilSynced: true,
            logger: false,
            progress: false,
            onEvent: (e) => events.push(e),
          })
          await indexer.done
          expect(indexer.rpc.size).toBe(devnet.manifest.chains.length - chainIds.length)
          for (const chainId of chainIds) {
            expect(events.some((e) => e.type === 'blocks' && e.chainId === chainId && e.events > 0)).toBe(
              true,
            )
          }
          const at = { blocks: heads }
          const fromSubgraph = await poolStates({ db: database.db, config }, at)
          const fromRpc = await poolStates({ db: reference.db, config }, at)
          expect(fromSubgraph.length).toBeGreaterThan(0)
          expect(fromSubgraph).toEqual(fromRpc)
          // History: backfill steps end at snapshot times, so the snapshots equal RPC's too (apart
          // from the block each chain was read at: RPC resolves to an earlier stored block with
          // the same state).
          const range = { from: 0, to: Number.MAX_SAFE_INTEGER }
          for (const pool of config.pools) {
            const bare = (list: Awaited<ReturnType<typeof getPoolSnapshots>>) =>
              list.map((s) => ({ ...s, state: s.state && { ...comparable(s.state), blocks: [] } }))
            const sub = bare(await getPoolSnapshots({ db: database.db, config }, pool.id, range))
            const rpc = bare(await getPoolSnapshots({ db: reference.db, config }, pool.id, range))
            const common = sub.filter((a) => rpc.some((b) => b.timestamp === a.timestamp))
            expect(common.filter((a) => a.state !== undefined).length).toBeGreaterThan(2)
            expect(common).toEqual(rpc.filter((b) => common.some((a) => a.timestamp === b.timestamp)))
          }
          for (const [i, state] of fromSubgraph.entries()) {
            expect(state.members.length).toBeGreaterThan(0)
            const ratio = evaluatePool(state).reserveRatio
            expect(ratio).toBe(evaluatePool(fromRpc[i]!).reserveRatio)
            expect(ratio ?? 0n).toBeGreaterThan(0n)
          }
        } finally {
          await database.cleanup()
        }
      }, 90_000)
    }
  })
}

describe('subgraph source: bad endpoints and reorgs', () => {
  it('fails at start-up with a ConfigError naming chains[i].subgraph.url (unreachable, not a subgraph)', async () => {
    const chainId = devnet.manifest.chains[0]!.chainId
    const index = rpcConfig.chains.findIndex((c) => c.chainId === chainId)
    for (const [url, problem] of [
      ['http://127.0.0.1:9/subgraphs/name/ballast/devnet', 'is unreachable'],
      [
        servers.get(chainId)!.url.replace('/name/', '/nope/'),
        'is not a subgraph endpoint that answers `_meta`',
      ],
    ] as const) {
      const config = defineConfig({
        ...rpcConfig,
        chains: rpcConfig.chains.map((c) =>
          c.chainId === chainId ? { ...c, rpcUrls: undefined, subgraph: { url } } : c,
        ),
      })
      const error = await runIndexer({ config, untilSynced: true, logger: false, progress: false }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field).toBe(`chains[${index}].subgraph.url`)
      expect((error as ConfigError).shortMessage).toBe(
        `Invalid config: chains[${index}].subgraph.url ${problem}.`,
      )
      // The URL is named redacted (a gateway key sits in its path).
      expect((error as ConfigError).message).toContain(redactUrl(url))
    }
  })

  it('says whether a retry can help: a field the deployment lacks is fatal, an unknown block is not', async () => {
    const client = createSubgraphClient(servers.values().next().value!.url, 5_000)
    const head = await client.head()
    const missing = await client.all('Balance', 'amount notAField', head.hash).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(IndexerError)
    expect((missing as IndexerError).retryable).toBe(false)
    expect((missing as IndexerError).details).toContain('notAField')
    const unknown = await client.all('Balance', 'amount', `0x${'0'.repeat(64)}`).catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(IndexerError)
    expect((unknown as IndexerError).retryable).toBe(true)
    const ahead = await client.blocks([head.number + 1_000]).catch((e: unknown) => e)
    expect((ahead as IndexerError).retryable).toBe(true)
    expect((await client.blocks([head.number])).get(head.number)?.hash).toBe(head.hash)
  })

  it('resumes after a stop between steps with nothing lost or doubled (a fresh sync per restart)', async () => {
    const config = subgraphConfig(devnet.manifest.chains.map((c) => c.chainId))
    const chain = config.chains[0]!
    const clean = await createTestDatabase('sqlite')
    const resumed = await createTestDatabase('sqlite')
    try {
      let steps = 0
      while ((await createSubgraphSync({ config, chain, db: clean.db }).step()) === 'progress') steps++
      expect(steps).toBeGreaterThan(3)
      // A new sync object per step: everything it knows comes from the database, as after a crash.
      for (let i = 0; i < steps + 1; i++) await createSubgraphSync({ config, chain, db: resumed.db }).step()
      expect(await createSubgraphSync({ config, chain, db: resumed.db }).step()).toBe('idle')
      const facts = await dumpFacts(clean.db)
      expect(facts.balances?.length).toBeGreaterThan(0)
      expect(await dumpFacts(resumed.db)).toEqual(facts)
    } finally {
      await clean.cleanup()
      await resumed.cleanup()
    }
  })

  // Last: it changes the devnet's chain.
  it('rolls back a reorg on the subgraph side and ends equal to a fresh RPC index', async () => {
    const chain = devnet.chains[0]!
    const config = subgraphConfig(devnet.manifest.chains.map((c) => c.chainId))
    const live = await createTestDatabase('sqlite')
    const fresh = await createTestDatabase('postgres', inject('ballastPostgresUrl'))
    const events: SyncEvent[] = []
    const indexer = await runIndexer({
      config,
      database: live,
      logger: false,
      progress: false,
      onEvent: (e) => events.push(e),
    })
    /** Until the live database is at every subgraph's head (same number and hash). */
    const caughtUp = async () => {
      const deadline = Date.now() + 30_000
      for (;;) {
        const states = await live.db.selectFrom('sync_state').selectAll().execute()
        const done = [...hosts].every(([chainId, host]) => {
          const state = states.find((s) => s.chain_id === chainId)
          return state?.block_hash === host.head?.hash && state?.block_number === Number(host.head?.number)
        })
        if (done) return
        if (Date.now() > deadline) {
          const heads = [...hosts].map(([id, h]) => `${id}: ${h.head?.number} ${h.head?.hash}`).join(', ')
          throw new Error(
            `the subgraph sync did not reach the subgraph heads (${heads}) in 30 s: ${JSON.stringify(states)} ${String(failure)}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const indexAll = async () => {
      for (const chainId of hosts.keys()) await indexSubgraph(chainId)
    }
    let failure: unknown
    indexer.done.catch((error: unknown) => {
      failure = error
    })
    try {
      await indexer.synced
      // New activity (transfers, prices), indexed by the subgraph and then by Ballast from it.
      await devnet.runner.step()
      await indexAll()
      await caughtUp()
      // A feed answer in the newest block, then that block and the one before it are replaced
      // (one plain ETH transfer, so their hashes differ); the host reverts them as graph-node does.
      const feed = devnet.manifest.assets[0]!.feed
      expect(feed.chainId).toBe(chain.chainId)
      const answer = 123_456_789n
      const receipt = await write(
        chain,
        devnet.deployment.deployer,
        feed.address,
        'DevnetPriceFeed',
        'updateAnswer',
        [answer],
      )
      await indexAll()
      await caughtUp()
      const before = hosts.get(chain.chainId)!.head!
      expect(before.number).toBe(receipt.blockNumber)
      const priceRow = live.db
        .selectFrom('prices')
        .selectAll()
        .where('chain_id', '=', chain.chainId)
        .where('feed', '=', feed.address.toLowerCase())
        .where('answer', '=', encodeUint256(answer))
      expect(await priceRow.execute()).toHaveLength(1)
      const tx = {
        from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
        to: '0x000000000000000000000000000000000000dead',
        value: '0x7',
      }
      await chain.test.request({ method: 'anvil_reorg', params: [CONFIRMATIONS - 1, [[tx, 0]]] } as never)
      await indexAll()
      expect(hosts.get(chain.chainId)!.head!.hash).not.toBe(before.hash)
      await caughtUp()
      expect(await priceRow.execute()).toHaveLength(0)
      const reorgs = events.filter((e) => e.type === 'reorg' && e.chainId === chain.chainId)
      expect(reorgs.length).toBeGreaterThan(0)
      expect(reorgs.every((e) => e.type === 'reorg' && e.forkBlock < Number(before.number))).toBe(true)
      // Every stored block of the chain is on the canonical chain again.
      const stored = await live.db
        .selectFrom('blocks')
        .select(['block_number', 'hash'])
        .where('chain_id', '=', chain.chainId)
        .execute()
      const canonical = headers.get(chain.chainId)!
      expect(stored.length).toBeGreaterThan(0)
      for (const b of stored) expect(b.hash).toBe(canonical.get(BigInt(b.block_number))?.hash)
      await indexer.stop()
      await (
        await runIndexer({
          config: defineConfig(rpcConfig),
          database: fresh,
          untilSynced: true,
          logger: false,
          progress: false,
        })
      ).done
      const at = { blocks: Object.fromEntries([...hosts].map(([id, h]) => [id, Number(h.head!.number)])) }
      const fromSubgraph = await poolStates({ db: live.db, config }, at)
      expect(fromSubgraph).toEqual(await poolStates({ db: fresh.db, config }, at))
      expect(fromSubgraph[0]?.members.length).toBeGreaterThan(0)
    } finally {
      await indexer.stop()
      await live.cleanup()
      await fresh.cleanup()
    }
  }, 120_000)
})
