import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Devnet, startDevnet } from '@ballast/devnet'
import {
  configFromDevnetManifest,
  defineConfig,
  getBalances,
  getInFlightTransfers,
  getPrices,
  getRiskParameters,
  getSupplies,
  loadPoolState,
  type QueryContext,
  resolveAt,
  runIndexer,
} from '@ballast/indexer'
import { createTestDatabase, type TestDatabase } from '@ballast/indexer/testing'
import { aggregatorV3Abi, erc4626Abi, evaluatePool } from '@ballast/sdk'
import { type Abi, type Address, createPublicClient, erc20Abi, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSubgraph } from '../build/buildSubgraph.js'
import { prepareSubgraph, subgraphDir } from '../build/prepareSubgraph.js'
import { retargetBuild } from '../build/retargetBuild.js'
import { readSubgraph, type SubgraphSnapshot } from '../client/readSubgraph.js'
import { hostFunctionNames } from '../host/hostFunctions.js'
import { SubgraphHost } from '../host/SubgraphHost.js'
import { devnetNetworkName, networksFromDevnet } from '../networks/networksFromDevnet.js'
import { contextsJson, networksJson } from '../networks/networksJson.js'
import { poolStateFromSubgraphs } from '../pool/poolStateFromSubgraphs.js'
import { startSubgraphServer } from '../server/startSubgraphServer.js'
import { subgraphState } from './subgraphState.js'

// The subgraph (its WASM run by the test host over the devnet's real logs, then read back over HTTP
// with graph-node's query conventions, as Ballast reads a deployment) and the custom indexer (SQLite)
// index the same scenario; at the same blocks they must agree exactly, and both with the chains.

const tmp = mkdtempSync(join(tmpdir(), 'ballast-parity-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The compiled subgraph (one graph build; retargeted per chain and scenario). */
let builtDir: string
let builtNetwork: string

async function buildFor(devnet: Devnet): Promise<Map<number, string>> {
  const networks = networksJson(networksFromDevnet(devnet.manifest))
  const contexts = contextsJson(networksFromDevnet(devnet.manifest))
  if (!builtDir) {
    const dir = prepareSubgraph({ outDir: join(tmp, 'subgraph'), networks, contexts })
    builtNetwork = Object.keys(networks)[0]!
    const { builds } = await buildSubgraph({
      dir,
      networks: [builtNetwork],
      contexts,
      hostFunctions: hostFunctionNames,
    })
    builtDir = builds[0]!.outputDir
  }
  const dirs = new Map<number, string>()
  for (const chain of devnet.manifest.chains) {
    const network = devnetNetworkName(chain.chainId)
    const out = join(tmp, `${devnet.manifest.scenario.name}-${network}`)
    dirs.set(chain.chainId, retargetBuild(builtDir, out, network, networks, contexts))
  }
  return dirs
}

for (const scenario of ['steady', 'crash'] as const) {
  describe(`subgraph vs indexer vs chain: ${scenario}`, () => {
    let devnet: Devnet
    let database: TestDatabase
    let ctx: QueryContext
    const hosts = new Map<number, SubgraphHost>()
    /** Each chain's subgraph as Ballast reads it: over HTTP, every page pinned to the head's hash. */
    const snapshots = new Map<number, SubgraphSnapshot>()
    const heads: Record<number, number> = {}

    beforeAll(async () => {
      devnet = await startDevnet({ chains: 3, scenario, seed: 11, relay: 'manual' })
      // The history ends with everything relayed; more steps (seeded, so deterministic) until a
      // bridge send is seen but not yet deliverable, so "in flight" is not empty.
      for (let i = 0; i < 10 && devnet.relayer.pending().length === 0; i++) {
        await devnet.runner.step()
        await devnet.relayer.poll()
      }
      const dirs = await buildFor(devnet)
      for (const chain of devnet.manifest.chains)
        heads[chain.chainId] = Number(await chainClient(chain.rpcUrl).getBlockNumber())
      for (const chain of devnet.manifest.chains) {
        const host = await SubgraphHost.create({
          buildDir: dirs.get(chain.chainId)!,
          network: devnetNetworkName(chain.chainId),
          rpcUrl: chain.rpcUrl,
        })
        await host.indexTo(BigInt(heads[chain.chainId]!))
        hosts.set(chain.chainId, host)
        const server = await startSubgraphServer(host)
        try {
          snapshots.set(
            chain.chainId,
            await readSubgraph({ url: server.url, schema: host.store.schema, pageSize: 50 }),
          )
        } finally {
          await server.stop()
        }
      }
      database = await createTestDatabase('sqlite')
      const config = defineConfig(configFromDevnetManifest(devnet.manifest, { database: database.config }))
      const indexer = await runIndexer({
        config,
        database,
        untilSynced: true,
        logger: false,
        progress: false,
      })
      await indexer.done
      ctx = { db: database.db, config }
    }, 600_000)

    afterAll(async () => {
      await database?.cleanup()
      await devnet?.stop()
    })

    const clients = new Map<string, ReturnType<typeof createPublicClient>>()
    function chainClient(rpcUrl: string) {
      const c = clients.get(rpcUrl) ?? createPublicClient({ transport: http(rpcUrl), cacheTime: 0 })
      clients.set(rpcUrl, c)
      return c
    }
    const at = () => ({ blocks: heads })
    const rpcOf = (chainId: number) => devnet.manifest.chains.find((c) => c.chainId === chainId)!.rpcUrl
    const read = <T>(
      chainId: number,
      address: Address,
      abi: Abi,
      functionName: string,
      args: readonly unknown[] = [],
    ) =>
      chainClient(rpcOf(chainId)).readContract({
        address,
        abi,
        functionName,
        args,
        blockNumber: BigInt(heads[chainId]!),
      }) as Promise<T>

    it('finds the committed networks.json and contexts.json equal to the devnet deployment (else: pnpm networks)', () => {
      const committed = (file: string) =>
        Object.fromEntries(
          Object.entries(JSON.parse(readFileSync(join(subgraphDir, file), 'utf8'))).filter(([n]) =>
            n.startsWith('ballast-devnet-'),
          ),
        )
      expect(committed('networks.json')).toEqual(networksJson(networksFromDevnet(devnet.manifest)))
      expect(committed('contexts.json')).toEqual(contextsJson(networksFromDevnet(devnet.manifest)))
    })

    it('balances: subgraph = indexer = balanceOf', async () => {
      const state = subgraphState(snapshots)
      const indexed = (await getBalances(ctx, { at: at() })).map(({ chainId, token, holder, amount }) => ({
        chainId,
        token: token.toLowerCase() as Address,
        holder: holder.toLowerCase() as Address,
        amount,
      }))
      // The indexer stores a balance once it changes; the subgraph seeds every holder's balance when its
      // member joins. A balance missing on one side is zero there.
      const active = new Set(state.balances.map((b) => `${b.chainId}:${b.holder}`))
      const key = (b: { chainId: number; token: string; holder: string }) =>
        `${b.chainId}:${b.token}:${b.holder}`
      const ours = new Map(state.balances.map((b) => [key(b), b.amount]))
      const theirs = new Map(
        indexed.filter((b) => active.has(`${b.chainId}:${b.holder}`)).map((b) => [key(b), b.amount]),
      )
      expect(theirs.size).toBeGreaterThan(10)
      for (const k of new Set([...ours.keys(), ...theirs.keys()])) {
        expect([k, ours.get(k) ?? 0n]).toEqual([k, theirs.get(k) ?? 0n])
      }
      for (const b of state.balances)
        expect(b.amount).toBe(await read<bigint>(b.chainId, b.token, erc20Abi, 'balanceOf', [b.holder]))
    })

    it('supplies (liability tokens, vault shares): subgraph = indexer = totalSupply', async () => {
      const state = subgraphState(snapshots)
      const indexed = (await getSupplies(ctx, { at: at() })).map(({ chainId, token, supply }) => ({
        chainId,
        token: token.toLowerCase() as Address,
        supply,
      }))
      expect(indexed).toEqual(state.supplies)
      for (const s of state.supplies)
        expect(s.supply).toBe(await read<bigint>(s.chainId, s.token, erc20Abi, 'totalSupply'))
    })

    it('in flight: the same OFT transfers, each counted once', async () => {
      const state = subgraphState(snapshots)
      const indexed = (await getInFlightTransfers(ctx, { at: at() }))
        .map((t) => ({ guid: t.guid, srcChainId: t.srcChainId, amountSentLD: t.amountSent }))
        .sort((a, b) => (a.guid < b.guid ? -1 : 1))
      expect(indexed).toEqual(state.inFlight)
      const sent = [...snapshots.values()].reduce((n, s) => n + (s.entities.OftSent?.length ?? 0), 0)
      const received = [...snapshots.values()].reduce((n, s) => n + (s.entities.OftReceived?.length ?? 0), 0)
      expect(received).toBeGreaterThan(0)
      expect(state.inFlight.length).toBeGreaterThan(0)
      expect(sent - received).toBe(state.inFlight.length)
    })

    it('prices: subgraph = indexer = latestRoundData', async () => {
      const state = subgraphState(snapshots)
      const indexed = (await getPrices(ctx, { at: at() }))
        .map(({ chainId, feed, answer, roundId }) => ({
          chainId,
          feed: feed.toLowerCase() as Address,
          answer,
          roundId,
        }))
        .sort((a, b) => a.chainId - b.chainId || (a.feed < b.feed ? -1 : 1))
      expect(indexed).toEqual(state.prices)
      expect(state.prices).toHaveLength(devnet.manifest.assets.length)
      for (const p of state.prices) {
        const [roundId, answer] = await read<readonly bigint[]>(
          p.chainId,
          p.feed,
          aggregatorV3Abi as Abi,
          'latestRoundData',
        )
        expect([p.roundId, p.answer]).toEqual([roundId, answer])
      }
    })

    it('the subgraph endpoint (graph-node conventions, block-pinned pages) serves the same balances', async () => {
      const chainId = devnet.manifest.chains[0]!.chainId
      const server = await startSubgraphServer(hosts.get(chainId)!)
      try {
        const post = async (query: string, variables: Record<string, unknown>) =>
          (await (
            await fetch(server.url, { method: 'POST', body: JSON.stringify({ query, variables }) })
          ).json()) as {
            data: Record<string, unknown>
          }
        const meta = await post('{ _meta { block { number hash } } }', {})
        expect(meta.data._meta).toEqual({
          block: {
            number: heads[chainId],
            hash: (await chainClient(rpcOf(chainId)).getBlock({ blockNumber: BigInt(heads[chainId]!) })).hash,
          },
        })
        const served: { chainId: number; token: string; holder: string; amount: bigint }[] = []
        let last = ''
        for (;;) {
          const { data } = await post(
            'query($last: Bytes!, $block: Int!) { balances(first: 7, where: { id_gt: $last, amount_gt: "0" }, block: { number: $block }) { id amount token { id } holder { id active } } }',
            { last, block: heads[chainId] },
          )
          const page = data.balances as {
            id: string
            amount: string
            token: { id: string }
            holder: { id: string; active: boolean }
          }[]
          for (const b of page) {
            if (b.holder.active)
              served.push({ chainId, token: b.token.id, holder: b.holder.id, amount: BigInt(b.amount) })
          }
          if (page.length < 7) break
          last = page.at(-1)!.id
        }
        const expected = subgraphState(snapshots).balances.filter(
          (b) => b.chainId === chainId && b.amount > 0n,
        )
        expect(served.length).toBeGreaterThan(7)
        expect(served).toEqual(expected)
      } finally {
        await server.stop()
      }
    })

    it('reading every entity back through the endpoint (block-pinned pages) loses nothing', () => {
      for (const [chainId, host] of hosts) {
        const schema = host.store.schema
        const snapshot = snapshots.get(chainId)!
        expect(snapshot.block.number).toBe(heads[chainId])
        for (const [type, entity] of schema.entities) {
          const fields = [...entity.fields.values()].filter((f) => !f.derivedFrom)
          const json = (x: unknown) => (typeof x === 'bigint' ? x.toString() : x)
          const expected = host.store.list(type).map((row) =>
            Object.fromEntries(
              fields.map((f) => {
                const v = row[f.name] ?? null
                if (v !== null && schema.entities.has(f.type)) {
                  return [f.name, f.list ? (v as unknown[]).map((id) => ({ id })) : { id: v }]
                }
                return [f.name, Array.isArray(v) ? v.map(json) : json(v)]
              }),
            ),
          )
          expect([chainId, type, snapshot.entities[type]]).toEqual([chainId, type, expected])
        }
      }
    })

    it('pool ratios: the sdk gives the same figures from the subgraphs as from the indexer', async () => {
      const { timestamp } = await resolveAt(ctx, at())
      expect(devnet.manifest.pools.length).toBeGreaterThan(0)
      let compared = 0
      for (const pool of devnet.manifest.pools) {
        const figures = (e: ReturnType<typeof evaluatePool>) => ({
          pooled: [e.reserveRatio, e.adjustedReservesUsd, e.liabilitiesUsd, e.grossReservesUsd],
          members: Object.fromEntries(
            e.members.map((m) => [
              m.memberId.toLowerCase(),
              [m.reserveRatio, m.adjustedReservesUsd, m.liabilitiesUsd],
            ]),
          ),
        })
        const fromIndexer = figures(evaluatePool(await loadPoolState(ctx, pool.id, { at: at() })))
        const fromSubgraphs = figures(
          evaluatePool(poolStateFromSubgraphs(snapshots, ctx.config, pool.id, timestamp)),
        )
        expect(fromSubgraphs).toEqual(fromIndexer)
        if (fromIndexer.pooled[0] !== null) compared++
      }
      // At least one pool has liabilities, so a ratio was really compared.
      expect(compared).toBeGreaterThan(0)
    })

    it('risk parameters in force: subgraph = indexer', async () => {
      const { timestamp } = await resolveAt(ctx, at())
      const indexed = (await getRiskParameters(ctx, { at: at() }))
        .map(
          ({
            chainId,
            poolId,
            asset,
            haircutFloorBps,
            liquidationThresholdBps,
            liquidationHorizon,
            effectiveAt,
          }) => ({
            chainId,
            poolId,
            asset: asset.toLowerCase() as Address,
            haircutFloorBps,
            liquidationThresholdBps,
            liquidationHorizon,
            effectiveAt,
          }),
        )
        .sort(
          (a, b) => a.chainId - b.chainId || (`${a.poolId}:${a.asset}` < `${b.poolId}:${b.asset}` ? -1 : 1),
        )
      const state = subgraphState(snapshots).riskParameters(timestamp)
      expect(state.length).toBeGreaterThan(0)
      expect(indexed).toEqual(state)
    })

    it('vault: totalAssets and totalSupply equal the chain', async () => {
      const vaults = [...hosts].flatMap(([chainId, h]) =>
        h.store
          .list('Vault')
          .map((v) => ({ ...v, chainId }) as Record<string, unknown> & { chainId: number }),
      )
      expect(vaults).toHaveLength(devnet.manifest.vaults.length)
      for (const v of vaults) {
        expect(v.totalAssets).toBe(
          await read<bigint>(v.chainId, v.id as Address, erc4626Abi as Abi, 'totalAssets'),
        )
        expect(v.totalSupply).toBe(await read<bigint>(v.chainId, v.id as Address, erc20Abi, 'totalSupply'))
      }
    })
  })
}
