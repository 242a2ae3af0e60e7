import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { contractArtifact, timelockBatch } from '@ballast/contracts'
import { type Devnet, sendTx, startDevnet } from '@ballast/devnet'
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
import {
  type Abi,
  type Address,
  createPublicClient,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  http,
  pad,
  toHex,
} from 'viem'
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
import { type SubgraphServer, startSubgraphServer } from '../server/startSubgraphServer.js'
import { subgraphState } from './subgraphState.js'

// The subgraph (its WASM run by the test host over the devnet's real logs, then read back over HTTP
// with graph-node's query conventions, as Ballast reads a deployment) and the custom indexer (SQLite)
// index the same scenario; at the same blocks they must agree exactly, and both with the chains.

const tmp = mkdtempSync(join(tmpdir(), 'ballast-parity-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The compiled subgraph (one graph build; retargeted per chain and scenario). */
let builtDir: string
let builtNetwork: string

const timelockAbi = contractArtifact('BallastTimelock').abi
const registryAbi = contractArtifact('ReservePoolRegistry').abi
/** The governance tables both sources fill, compared row for row. */
const GOVERNANCE_TABLES = ['holder_acknowledgements', 'timelock_operations', 'attestations'] as const

/**
 * Governance the scenarios do not do on every chain, beside the timelocked setup and risk changes
 * they run: a risk change scheduled far ahead (left pending), one scheduled then cancelled, a call
 * on another target than the registry (no registry change: neither source keeps it), and a
 * posted statement. Returns what was sent, to check the sources kept it.
 */
async function governMore(devnet: Devnet) {
  const sent: {
    chainId: number
    pending: Hex
    cancelled: Hex
    elsewhere: Hex
    delay: bigint
    posted: Hex
  }[] = []
  const pool = devnet.manifest.pools[0]!
  for (const [i, chain] of devnet.chains.entries()) {
    const contracts = devnet.manifest.chains[i]!.contracts
    const asset = devnet.manifest.assets.find((a) => a.tokens[chain.chainId] !== undefined)!
    const token = asset.tokens[chain.chainId]!.token
    const from = devnet.deployment.deployer
    const minDelay = (await chain.public.readContract({
      address: contracts.riskTimelock,
      abi: timelockAbi,
      functionName: 'getMinDelay',
    })) as bigint
    const delay = minDelay + 86_400n
    const risk = (floor: number) => ({
      target: contracts.registry,
      data: encodeFunctionData({
        abi: registryAbi,
        functionName: 'setRiskParameters',
        args: [pool.id, token, floor, 9_000, 3_600],
      }),
    })
    const pending = timelockBatch([risk(4_321)], { delay, salt: pad(toHex('parity-pending')) })
    const cancelled = timelockBatch([risk(1_234)], { delay, salt: pad(toHex('parity-cancelled')) })
    const elsewhere = timelockBatch(
      [
        {
          target: contracts.riskTimelock,
          data: encodeFunctionData({ abi: timelockAbi, functionName: 'updateDelay', args: [minDelay] }),
        },
      ],
      { delay, salt: pad(toHex('parity-elsewhere')) },
    )
    const scheduled = await sendTx(chain, { from, to: contracts.riskTimelock, data: pending.schedule })
    await sendTx(chain, { from, to: contracts.riskTimelock, data: cancelled.schedule })
    const other = await sendTx(chain, { from, to: contracts.riskTimelock, data: elsewhere.schedule })
    await sendTx(chain, {
      from,
      to: contracts.riskTimelock,
      data: encodeFunctionData({ abi: timelockAbi, functionName: 'cancel', args: [cancelled.id] }),
    })
    const head = await chain.public.getBlock()
    const posted = await sendTx(chain, {
      from: devnet.deployment.attester,
      to: contracts.attestation,
      data: encodeFunctionData({
        abi: contractArtifact('ReserveAttestation').abi,
        functionName: 'post',
        args: [
          pool.id,
          pad(toHex(`root-${chain.chainId}`)),
          1_000n * 10n ** 18n,
          1_250n * 10n ** 18n,
          125n * 10n ** 16n,
          head.timestamp,
          [BigInt(chain.chainId)],
          [head.number],
        ],
      }),
    })
    sent.push({
      chainId: chain.chainId,
      pending: scheduled.transactionHash,
      cancelled: cancelled.id,
      elsewhere: other.transactionHash,
      delay,
      posted: posted.transactionHash,
    })
  }
  return sent
}

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
    /** The same chains indexed from their subgraphs (the indexer's subgraph sync), SQLite. */
    let fromSubgraph: TestDatabase
    const syncServers: SubgraphServer[] = []
    let governed: Awaited<ReturnType<typeof governMore>>

    beforeAll(async () => {
      devnet = await startDevnet({ chains: 3, scenario, seed: 11, relay: 'manual' })
      // The history ends with everything relayed; more steps (seeded, so deterministic) until a
      // bridge send is seen but not yet deliverable, so "in flight" is not empty.
      for (let i = 0; i < 10 && devnet.relayer.pending().length === 0; i++) {
        await devnet.runner.step()
        await devnet.relayer.poll()
      }
      governed = await governMore(devnet)
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

      // The indexer's subgraph source over the same hosts. graph-node knows every block of its
      // chain (the sync dates steps by arbitrary blocks); the host only those it handled.
      const urls = new Map<number, string>()
      for (const chain of devnet.manifest.chains) {
        const host = hosts.get(chain.chainId)!
        const client = chainClient(chain.rpcUrl)
        const known = new Map<bigint, { hash: Hex; timestamp: bigint }>()
        const numbers = Array.from({ length: heads[chain.chainId]! + 1 }, (_, i) => BigInt(i))
        for (const b of await Promise.all(numbers.map((n) => client.getBlock({ blockNumber: n }))))
          known.set(b.number, { hash: b.hash, timestamp: b.timestamp })
        const server = await startSubgraphServer({
          store: host.store,
          get head() {
            return host.head
          },
          block: (n) => known.get(n),
          blockNumberOf: (hash) => {
            for (const [n, b] of known) if (b.hash === hash.toLowerCase()) return n
            return undefined
          },
        })
        syncServers.push(server)
        urls.set(chain.chainId, server.url)
      }
      fromSubgraph = await createTestDatabase('sqlite')
      const subgraphConfig = defineConfig({
        ...configFromDevnetManifest(devnet.manifest, { database: fromSubgraph.config }),
        chains: configFromDevnetManifest(devnet.manifest).chains.map((c) => ({
          ...c,
          rpcUrls: undefined,
          subgraph: { url: urls.get(c.chainId as number)! },
          pollingInterval: 20,
        })),
      })
      await (
        await runIndexer({
          config: subgraphConfig,
          database: fromSubgraph,
          untilSynced: true,
          logger: false,
          progress: false,
        })
      ).done
    }, 600_000)

    afterAll(async () => {
      for (const server of syncServers) await server.stop()
      await fromSubgraph?.cleanup()
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

    it('a composed feed: the subgraphs give the same price and ratios as the indexer', async () => {
      const { timestamp } = await resolveAt(ctx, at())
      // The devnet's feeds are single; composing one asset's feed with another's (both indexed by
      // both sources, on different chains where the devnet has them) checks the composition itself.
      const fed = ctx.config.assets.filter((x) => x.feed !== undefined)
      const first = fed[0]!
      const times = fed.find((x) => x.feed!.chainId !== first.feed!.chainId) ?? fed[1]!
      expect(times.feed!.address).not.toBe(first.feed!.address)
      const other = times.feed!
      const config = {
        ...ctx.config,
        assets: ctx.config.assets.map((x) =>
          x === first ? { ...x, feed: { ...x.feed!, times: other } } : x,
        ),
      }
      const pool = devnet.manifest.pools[0]!
      const fromIndexer = await loadPoolState({ ...ctx, config }, pool.id, { at: at() })
      const fromSubgraphs = poolStateFromSubgraphs(snapshots, config, pool.id, timestamp)
      const priceOf = (state: typeof fromIndexer) => state.assets.find((x) => x.symbol === first.symbol)
      const answer = (feed: { chainId: number; address: Address }) =>
        read<readonly bigint[]>(feed.chainId, feed.address, aggregatorV3Abi, 'latestRoundData').then(
          (r) => r[1]!,
        )
      const expected = ((await answer(first.feed!)) * (await answer(other))) / 10n ** BigInt(other.decimals)
      expect(priceOf(fromIndexer)).toMatchObject({ kind: 'erc20', price: { answer: expected } })
      expect(priceOf(fromSubgraphs)).toEqual(priceOf(fromIndexer))
      const figures = (e: ReturnType<typeof evaluatePool>) => [
        e.reserveRatio,
        e.adjustedReservesUsd,
        e.grossReservesUsd,
      ]
      expect(figures(evaluatePool(fromSubgraphs))).toEqual(figures(evaluatePool(fromIndexer)))
      // The composition moved the figures: a one-feed price would not pass for it.
      expect(figures(evaluatePool(fromIndexer))).not.toEqual(
        figures(evaluatePool(await loadPoolState(ctx, pool.id, { at: at() }))),
      )
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

    it('governance: holder acknowledgements, timelock operations and attestations are the same rows from the subgraph as from RPC', async () => {
      const dump = async (db: TestDatabase['db'], table: (typeof GOVERNANCE_TABLES)[number]) =>
        (
          await db
            .selectFrom(table as 'timelock_operations')
            .selectAll()
            .orderBy('chain_id')
            .orderBy('block_number')
            .orderBy('log_index')
            .execute()
        ).map((r) => ({ ...r, chain_id: Number(r.chain_id), block_number: Number(r.block_number) }))
      for (const table of GOVERNANCE_TABLES) {
        const rpc = await dump(ctx.db, table)
        expect([table, rpc.length > 0]).toEqual([table, true])
        expect([table, await dump(fromSubgraph.db, table)]).toEqual([table, rpc])
      }
      // Every holder of the members the registry admitted acknowledged it first, on every chain.
      const acks = await dump(ctx.db, 'holder_acknowledgements')
      const holders = devnet.manifest.pools.flatMap((p) =>
        p.members.flatMap((m) =>
          Object.entries(m.holders).flatMap(([chainId, list]) =>
            list.map((h) => `${chainId}:${m.id.toLowerCase()}:${h.toLowerCase()}`),
          ),
        ),
      )
      const acked = new Set(
        (acks as unknown as { chain_id: number; member_id: string; holder: string }[]).map(
          (a) => `${a.chain_id}:${a.member_id}:${a.holder}`,
        ),
      )
      expect(holders.length).toBeGreaterThan(0)
      expect(holders.filter((h) => !acked.has(h))).toEqual([])
    })

    it('governance: scheduled changes are pending with the same eta on both sources until executed or cancelled', async () => {
      /** Scheduled calls still open (no execution of the call, no cancellation), with their eta. */
      const pending = async (db: TestDatabase['db']) => {
        const rows = await db
          .selectFrom('timelock_operations as o')
          .innerJoin('blocks as b', (j) =>
            j.onRef('b.chain_id', '=', 'o.chain_id').onRef('b.block_number', '=', 'o.block_number'),
          )
          .select([
            'o.chain_id',
            'o.block_number',
            'o.log_index',
            'o.tx_hash',
            'o.timelock',
            'o.operation_id',
            'o.call_index',
            'o.kind',
            'o.change_kind',
            'o.change_values',
            'o.delay',
            'b.timestamp',
          ])
          .orderBy('o.chain_id')
          .orderBy('o.block_number')
          .orderBy('o.log_index')
          .execute()
        const open = new Map<string, { chainId: number; txHash: string; kind: string | null; eta: number }>()
        const settled = new Set<string>()
        for (const r of rows) {
          const op = `${r.chain_id}:${r.timelock}:${r.operation_id}`
          if (r.kind === 'scheduled') {
            open.set(`${op}:${r.call_index}`, {
              chainId: Number(r.chain_id),
              txHash: r.tx_hash,
              kind: r.change_kind,
              eta: Number(r.timestamp) + Number(r.delay),
            })
          } else if (r.kind === 'executed') {
            open.delete(`${op}:${r.call_index}`)
            settled.add(`executed:${op}`)
          } else {
            for (const k of [...open.keys()]) if (k.startsWith(`${op}:`)) open.delete(k)
            settled.add(`cancelled:${op}`)
          }
        }
        return { open: [...open.values()], settled }
      }
      const rpc = await pending(ctx.db)
      const sub = await pending(fromSubgraph.db)
      expect(sub.open).toEqual(rpc.open)
      expect([...sub.settled].sort()).toEqual([...rpc.settled].sort())
      // The setup's timelocked changes were executed; ours is pending at its eta, the cancelled
      // one is not; the call on the timelock itself is no registry change.
      expect([...rpc.settled].filter((k) => k.startsWith('executed:')).length).toBeGreaterThan(0)
      for (const g of governed) {
        const [mine] = rpc.open.filter((c) => c.txHash === g.pending)
        const receipt = await chainClient(rpcOf(g.chainId)).getTransactionReceipt({ hash: g.pending })
        const { timestamp } = await chainClient(rpcOf(g.chainId)).getBlock({
          blockNumber: receipt.blockNumber,
        })
        expect(mine).toEqual({
          chainId: g.chainId,
          txHash: g.pending,
          kind: 'setRiskParameters',
          eta: Number(timestamp + g.delay),
        })
        expect(
          [...rpc.settled].some((k) => k.startsWith('cancelled:') && k.endsWith(`:${g.cancelled}`)),
        ).toBe(true)
      }
      expect(rpc.open.every((c) => c.kind === 'setRiskParameters')).toBe(true)
      for (const db of [ctx.db, fromSubgraph.db]) {
        const kept = await db
          .selectFrom('timelock_operations')
          .select('tx_hash')
          .where(
            'tx_hash',
            'in',
            governed.map((g) => g.elsewhere),
          )
          .execute()
        expect(kept).toEqual([])
      }
    })

    it('governance: the posted statements are the same on both sources and match the transactions', async () => {
      const rows = (await ctx.db
        .selectFrom('attestations')
        .select(['chain_id', 'tx_hash', 'pooled_ratio_wad', 'chain_ids'])
        .orderBy('chain_id')
        .execute()) as { chain_id: number; tx_hash: string; pooled_ratio_wad: string; chain_ids: string }[]
      expect(rows.map((r) => [Number(r.chain_id), r.tx_hash, JSON.parse(r.chain_ids)])).toEqual(
        governed.map((g) => [g.chainId, g.posted, [String(g.chainId)]]),
      )
    })
  })
}
