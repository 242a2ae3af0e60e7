import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApi, createIndexerDataSource, type RunningBallast, startBallast } from '@ballast/api'
import {
  type Devnet,
  governDevnet,
  loadArtifact,
  riskParameterDelay,
  startDevnet,
  write,
} from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { DIALECTS, startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { aggregatorV3Abi, formatDecimal, type PoolState, parseDecimal, parsePoolState } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { type Address, createPublicClient, encodeFunctionData, http, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPoolStateFromChains } from './readPoolStateFromChains.js'

// States at pinned blocks, end to end: real anvil chains and contracts, the indexer on SQLite and
// PostgreSQL, the API over HTTP. One devnet for the file; WETH's feed is driven through a volatile
// path (alternating moves of about 0.8% every 300 s) and the API samples prices every 300 s.
const SAMPLING = { interval: 300, points: 24 }
const BLOCK_TIME = 12
let devnet: Devnet | undefined
let ballast: RunningBallast | undefined
const dir = mkdtempSync(join(tmpdir(), 'ballast-pinned-'))
const clients = new Map<number, PublicClient>()
const client = (chainId: number) => clients.get(chainId) as PublicClient

// biome-ignore lint/suspicious/noExplicitAny: each call reads the shape its own query asked for
async function query(q: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(ballast!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q, variables }, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  })
  const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] }
  if (json.errors !== undefined) throw new Error(json.errors.map((e) => e.message).join('; '))
  return json.data
}

/** The chain's own header time of a block (`eth_getBlockByNumber`). */
async function headerTime(chainId: number, block: bigint): Promise<number> {
  return Number((await client(chainId).getBlock({ blockNumber: block })).timestamp)
}

/** Mines until the relayer has nothing pending (it polls in the background). */
async function settle() {
  for (let round = 0; round < 600 && (round < 3 || devnet!.relayer.pending().length > 0); round++) {
    for (const c of devnet!.chains) await c.test.mine({ blocks: 1 })
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(devnet!.relayer.pending().length).toBe(0)
}

/** Waits until the indexer holds every chain's current head (a real condition, polled). */
async function untilIndexed() {
  const heads = new Map(
    await Promise.all(devnet!.chains.map(async (c) => [c.chainId, await c.public.getBlockNumber()] as const)),
  )
  for (;;) {
    const data = await query('{ _meta { chains { chainId indexedBlock } } }')
    if (
      data._meta.chains.every(
        (c: { chainId: number; indexedBlock: string }) => BigInt(c.indexedBlock) >= heads.get(c.chainId)!,
      )
    )
      return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Sends one WETH feed answer: the previous one moved by `permille`. */
async function moveWeth(permille: bigint) {
  const weth = devnet!.manifest.assets.find((a) => a.symbol === 'WETH')!
  const chain = devnet!.chains.find((c) => c.chainId === weth.feed.chainId)!
  const [, answer] = await chain.public.readContract({
    address: weth.feed.address,
    abi: aggregatorV3Abi,
    functionName: 'latestRoundData',
  })
  await write(chain, devnet!.deployment.deployer, weth.feed.address, 'DevnetPriceFeed', 'updateAnswer', [
    (answer * (1000n + permille)) / 1000n,
  ])
}

beforeAll(async () => {
  devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 11, steps: 6 })
  for (const c of devnet.manifest.chains)
    clients.set(c.chainId, createPublicClient({ transport: http(c.rpcUrl), cacheTime: 0 }))
  // Scheduled risk changes take effect (delay 1 h = 300 blocks), packets are delivered.
  for (const c of devnet.chains) await c.test.mine({ blocks: 310 })
  await settle()
  // The volatile path: an answer every 300 s (25 blocks), 30 of them.
  const weth = devnet.manifest.assets.find((a) => a.symbol === 'WETH')!
  const feedChain = devnet.chains.find((c) => c.chainId === weth.feed.chainId)!
  for (let k = 0; k < 30; k++) {
    await feedChain.test.mine({ blocks: SAMPLING.interval / BLOCK_TIME - 1 })
    await moveWeth(k % 2 === 0 ? 8n : -7n)
  }
  // Blocks without facts after the last answer: a pinned block there has no stored header.
  for (const c of devnet.chains) await c.test.mine({ blocks: 10 })
}, 300_000)

afterAll(async () => {
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const pinnedQuery = `query ($id: ID!, $blocks: [ChainBlockInput!]) {
  pool(id: $id, blocks: $blocks) {
    at reserveRatio adjustedReservesUsd liabilitiesUsd state
    blocks { chainId block }
    assets { symbol priceUsd haircut haircutTerms { haircut floor volatility dailyVolatility priceSamples source stale } }
    riskParameters {
      asset chainId haircutFloor liquidationThreshold liquidationHorizon
      history { haircutFloor liquidationThreshold liquidationHorizon effectiveAt block }
    }
    members(first: 100) { nodes { id reserveRatio holdings { chainId asset raw haircutTerms { haircut source } } } }
  }
}`

describe.each(DIALECTS)('states at pinned blocks (devnet + indexer on %s + API)', (dialect) => {
  let postgres: TestPostgres | undefined
  let config: ReturnType<typeof defineConfig>
  const run = DIALECTS.indexOf(dialect)
  beforeAll(async () => {
    if (dialect === 'postgres') postgres = await startPostgres()
    const database =
      postgres === undefined
        ? { kind: 'sqlite' as const, file: join(dir, 'pinned.sqlite') }
        : { kind: 'postgres' as const, url: postgres.url }
    config = defineConfig({
      ...configFromDevnetManifest(devnet!.manifest, { database }),
      priceHistory: SAMPLING,
    })
    ballast = await startBallast({ config, port: 0, logger: false, progress: false, api: { logging: false } })
    await untilIndexed()
  }, 240_000)
  afterAll(async () => {
    await ballast?.stop()
    ballast = undefined
    await postgres?.stop()
  })

  /**
   * Pinned blocks: on the feed's chain, the newest finalized block the indexer stored no header
   * for (so its time comes from the chain); on the other chains a block 5 below the indexed head.
   */
  async function pinnedBlocks(): Promise<{ chainId: number; block: bigint }[]> {
    const feedChainId = devnet!.manifest.assets[0]!.feed.chainId
    const meta = await query('{ _meta { chains { chainId indexedBlock finalizedBlock } } }')
    const out: { chainId: number; block: bigint }[] = []
    for (const m of meta._meta.chains as {
      chainId: number
      indexedBlock: string
      finalizedBlock: string
    }[]) {
      if (m.chainId !== feedChainId) {
        out.push({ chainId: m.chainId, block: BigInt(m.indexedBlock) - 5n })
        continue
      }
      const stored = new Set(
        (
          await ballast!.database.db
            .selectFrom('blocks')
            .select('block_number')
            .where('chain_id', '=', m.chainId)
            .execute()
        ).map((r) => BigInt(r.block_number)),
      )
      let block = BigInt(m.finalizedBlock)
      while (stored.has(block)) block--
      out.push({ chainId: m.chainId, block })
    }
    return out
  }

  it('serves volatility-adjusted haircuts equal to the sdk on the history sampled from the chain', async () => {
    const poolId = devnet!.manifest.pools[0]!.id
    const blocks = await pinnedBlocks()
    const { pool } = await query(pinnedQuery, { id: poolId, blocks })
    const at = pool.at as number

    // The history, independently: at each sample time, every feed's latestRoundData at the last
    // block at or before it (a devnet block is every 12 s, so that block is found by bisection).
    const feedChainId = devnet!.manifest.assets[0]!.feed.chainId
    const feedBlock = blocks.find((b) => b.chainId === feedChainId)!.block
    // The feed's chain has the newest pinned block (it mined the path): the state's time is its header's.
    expect(at).toBe(await headerTime(feedChainId, feedBlock))
    const blockAt = async (time: number) => {
      let [lo, hi] = [0n, feedBlock]
      while (lo < hi) {
        const mid = (lo + hi + 1n) / 2n
        if ((await headerTime(feedChainId, mid)) <= time) lo = mid
        else hi = mid - 1n
      }
      return lo
    }
    const history = new Map<string, { answer: bigint; updatedAt: number }[]>()
    for (let k = SAMPLING.points - 1; k >= 0; k--) {
      const time = at - k * SAMPLING.interval
      const blockNumber = await blockAt(time)
      for (const a of devnet!.manifest.assets) {
        const [roundId, answer] = await client(a.feed.chainId).readContract({
          address: a.feed.address,
          abi: aggregatorV3Abi,
          functionName: 'latestRoundData',
          blockNumber,
        })
        if (roundId > 0n)
          history.set(a.symbol, [...(history.get(a.symbol) ?? []), { answer, updatedAt: time }])
      }
    }
    expect(history.get('WETH')).toHaveLength(SAMPLING.points)
    const read = await readPoolStateFromChains(
      devnet!.manifest,
      poolId,
      new Map(blocks.map((b) => [b.chainId, b.block])),
      at,
    )
    expect(read.riskAgrees).toBe(true)
    const state: PoolState = {
      ...read.state,
      assets: read.state.assets.map((a) =>
        a.kind === 'erc20' && history.has(a.symbol) ? { ...a, priceHistory: history.get(a.symbol)! } : a,
      ),
    }
    // The served state carries exactly that history.
    const served = parsePoolState(pool.state)
    for (const a of served.assets)
      if (a.kind === 'erc20' && history.has(a.symbol)) expect(a.priceHistory).toEqual(history.get(a.symbol))

    const haircuts = new Map(evaluatePool(state, { poolId }).haircuts.map((h) => [h.asset, h]))
    const wad = (v: bigint) => formatDecimal(v, 18)
    for (const a of pool.assets as {
      symbol: string
      haircut: string
      haircutTerms: Record<string, unknown>
    }[]) {
      const h = haircuts.get(a.symbol)!
      expect(a.haircut).toBe(wad(h.haircut))
      expect(a.haircutTerms).toMatchObject({
        haircut: wad(h.haircut),
        floor: wad(h.floor),
        volatility: h.volatilityHaircut === null ? null : wad(h.volatilityHaircut),
        dailyVolatility: h.dailyVolatility,
        source: h.source.toUpperCase(),
        stale: h.stale,
      })
    }
    const weth = pool.assets.find((a: { symbol: string }) => a.symbol === 'WETH')
    expect(weth.haircutTerms.source).toBe('VOLATILITY')
    expect(weth.haircutTerms.priceSamples).toBe(SAMPLING.points)
    expect(parseDecimal(weth.haircut, 18)).toBeGreaterThan(parseDecimal(weth.haircutTerms.floor, 18))
    expect(parseDecimal(weth.haircut, 18)).toBeLessThan(10n ** 18n)
    // Each holding shows its asset's terms.
    const holdings = pool.members.nodes.flatMap((m: { holdings: unknown[] }) => m.holdings) as {
      asset: string
      haircutTerms: { haircut: string; source: string }
    }[]
    expect(holdings.some((h) => h.asset === 'WETH')).toBe(true)
    for (const h of holdings) expect(h.haircutTerms.haircut).toBe(wad(haircuts.get(h.asset)!.haircut))
  })

  it('answers a query at past blocks identically after the indexer moves on and governance changes', async () => {
    const poolId = devnet!.manifest.pools[0]!.id
    const blocks = await pinnedBlocks()
    const before = (await query(pinnedQuery, { id: poolId, blocks })).pool
    // The state's time is the newest pinned block's own header time.
    const times = await Promise.all(blocks.map((b) => headerTime(b.chainId, b.block)))
    expect(before.at).toBe(Math.max(...times))
    expect(before.blocks).toEqual(blocks.map((b) => ({ chainId: b.chainId, block: String(b.block) })))

    // Governance raises WETH's floor on every chain; the feed moves; the indexer follows.
    const floorBps = 4_000 + 100 * run
    const registryAbi = loadArtifact('ReservePoolRegistry').abi
    const weth = devnet!.manifest.assets.find((a) => a.symbol === 'WETH')!
    for (const c of devnet!.chains) {
      const contracts = devnet!.manifest.chains.find((m) => m.chainId === c.chainId)!.contracts
      await governDevnet(
        c,
        devnet!.deployment.deployer,
        contracts.riskTimelock,
        [
          {
            target: contracts.registry,
            data: encodeFunctionData({
              abi: registryAbi,
              functionName: 'setRiskParameters',
              args: [poolId, weth.tokens[c.chainId]!.token as Address, floorBps, 7_000, 3 * 86_400],
            }),
          },
        ],
        riskParameterDelay,
      )
    }
    await moveWeth(30n)
    await settle()
    await untilIndexed()

    const latest = (await query(pinnedQuery, { id: poolId })).pool
    const floor = formatDecimal(BigInt(floorBps) * 10n ** 14n, 18)
    expect(
      latest.riskParameters
        .filter((r: { asset: string }) => r.asset === 'WETH')
        .map((r: { haircutFloor: string }) => r.haircutFloor),
    ).toEqual(devnet!.chains.map(() => floor))
    expect(latest.at).toBeGreaterThan(before.at)

    const after = (await query(pinnedQuery, { id: poolId, blocks })).pool
    expect(after).toEqual(before)
    expect(after.riskParameters.some((r: { haircutFloor: string }) => r.haircutFloor === floor)).toBe(false)
  })

  it('refuses a pinned block whose time it cannot read, naming the block, rather than guess', async () => {
    const poolId = devnet!.manifest.pools[0]!.id
    const blocks = await pinnedBlocks()
    const feedChainId = devnet!.manifest.assets[0]!.feed.chainId
    // The same database, but the chains' RPC does not answer (a closed port).
    const offline = {
      ...config,
      chains: config.chains.map((c) => ({ ...c, rpcUrls: ['http://127.0.0.1:9'] })),
    }
    const api = createApi({
      dataSource: createIndexerDataSource({ db: ballast!.database.db, config: offline }),
      logging: false,
    })
    const res = await api.fetch('http://ballast/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($id: ID!, $blocks: [ChainBlockInput!]) { pool(id: $id, blocks: $blocks) { at } }',
        variables: {
          id: poolId,
          blocks: blocks.map((b) => ({ chainId: b.chainId, block: String(b.block) })),
        },
      }),
    })
    const json = (await res.json()) as {
      errors?: { message: string; extensions: { code: string; hints: string[] } }[]
    }
    const block = blocks.find((b) => b.chainId === feedChainId)!.block
    expect(json.errors?.[0]?.message).toBe(
      `The time of a pinned block is unknown. Block ${block} of chain ${feedChainId}: eth_getBlockByNumber failed on http://127.0.0.1:9.`,
    )
    expect(json.errors?.[0]?.extensions).toEqual({
      code: 'NOT_AVAILABLE',
      hints: ['Try again when the chain RPC answers.'],
    })
  })
})
