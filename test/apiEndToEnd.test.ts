import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planCommand, proveCommand, type RunningBallast, startBallast } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { DIALECTS, startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { formatDecimal, oftAbi } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { parseSolvencyStatement, verifySolvencyStatement } from '@ballast/sdk/proofs'
import { createPublicClient, getAbiItem, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPoolStateFromChains } from './readPoolStateFromChains.js'

// Devnet + indexer + API end to end: real anvil chains, real contracts and relayer, a real
// SQLite file, the API over HTTP on loopback. One devnet for the whole file (it takes seconds).
let devnet: Devnet | undefined
let ballast: RunningBallast | undefined
let config: ReturnType<typeof defineConfig>
const dir = mkdtempSync(join(tmpdir(), 'ballast-e2e-'))

// biome-ignore lint/suspicious/noExplicitAny: each call reads the shape its own query asked for
async function query(q: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(ballast!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q, variables }),
  })
  const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] }
  if (json.errors !== undefined) throw new Error(json.errors.map((e) => e.message).join('; '))
  return json.data
}

const ratio = (x: bigint | null) => (x === null ? null : formatDecimal(x, 18))

/** The scenario's history on the first chain: from the deploy block to the last block before the blocks mined here. */
let timeline: { start: number; end: number }

beforeAll(async () => {
  devnet = await startDevnet({ chains: 3, scenario: 'steady', seed: 5 })
  // Let every scheduled risk parameter change take effect (delay 1 h = 300 blocks of 12 s), and
  // let the relayer (polling in the background) deliver every packet, so the chains' state at
  // the head has nothing in flight.
  for (const c of devnet.chains) await c.test.mine({ blocks: 310 })
  for (let round = 0; round < 600 && (round < 3 || devnet.relayer.pending().length > 0); round++) {
    for (const c of devnet.chains) await c.test.mine({ blocks: 1 })
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(devnet.relayer.pending().length).toBe(0)
  const first = devnet.chains[0]!
  const deployBlock = BigInt(devnet.manifest.chains[0]!.deployBlock)
  const head = await first.public.getBlockNumber()
  timeline = {
    start: Number((await first.public.getBlock({ blockNumber: deployBlock + 5n })).timestamp),
    end: Number((await first.public.getBlock({ blockNumber: head - 320n })).timestamp),
  }
}, 240_000)

afterAll(async () => {
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Starts the indexer and API on the devnet into a fresh database, and waits until they hold every chain's head. */
async function startOn(database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }) {
  config = defineConfig(configFromDevnetManifest(devnet!.manifest, { database }))
  ballast = await startBallast({ config, port: 0, logger: false, progress: false, api: { logging: false } })
  // Wait until the indexer has every chain's current head (a real condition, polled).
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
      break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const poolQuery = `query ($id: ID!, $at: Timestamp) {
  pool(id: $id, at: $at) {
    at reserveRatio adjustedReservesUsd liabilitiesUsd
    blocks { chainId block }
    members(first: 100) { nodes { id reserveRatio inFlight { guid } } }
  }
}`

async function compareWithChains(poolId: `0x${string}`, at?: number) {
  const { pool } = await query(poolQuery, { id: poolId, at })
  const blocks = new Map<number, bigint>(
    pool.blocks.map((b: { chainId: number; block: string }) => [b.chainId, BigInt(b.block)]),
  )
  const { state, riskAgrees } = await readPoolStateFromChains(devnet!.manifest, poolId, blocks, pool.at)
  const inFlight = pool.members.nodes.some((m: { inFlight: unknown[] }) => m.inFlight.length > 0)
  return { pool, state, comparable: riskAgrees && !inFlight }
}

// The same checks on both storage engines (the indexer's schema and queries are shared).
describe.each(DIALECTS)('API end to end (devnet + indexer on %s + API)', (dialect) => {
  let postgres: TestPostgres | undefined
  beforeAll(async () => {
    if (dialect === 'sqlite') await startOn({ kind: 'sqlite', file: join(dir, 'e2e.sqlite') })
    else {
      postgres = await startPostgres()
      await startOn({ kind: 'postgres', url: postgres.url })
    }
  }, 240_000)
  afterAll(async () => {
    await ballast?.stop()
    ballast = undefined
    await postgres?.stop()
  })

  it('serves the pooled ratio the sdk computes on state read directly from the chains', async () => {
    const inFlight = await query('{ bridgeTransfers(status: IN_FLIGHT) { nodes { guid } } }')
    expect(inFlight.bridgeTransfers.nodes).toEqual([])
    for (const p of devnet!.manifest.pools) {
      const { pool, state, comparable } = await compareWithChains(p.id)
      expect(comparable).toBe(true)
      const e = evaluatePool(state, { poolId: p.id })
      expect(pool.reserveRatio).toBe(ratio(e.reserveRatio))
      expect(pool.adjustedReservesUsd).toBe(formatDecimal(e.adjustedReservesUsd, 18))
      expect(pool.liabilitiesUsd).toBe(formatDecimal(e.liabilitiesUsd, 18))
      expect(pool.members.nodes.map((m: { reserveRatio: string }) => m.reserveRatio)).toEqual(
        [...e.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)).map((m) => ratio(m.reserveRatio)),
      )
    }
  })

  it('returns past states for `at`, equal to the chains at those blocks', async () => {
    const poolId = devnet!.manifest.pools[0]!.id
    const now = (await query(poolQuery, { id: poolId })).pool
    let compared = 0
    // Times in the scenario's history, newest first; a time with a transfer in flight or a risk
    // change half applied across chains is skipped (the reader does not model them), but at
    // least two must compare.
    for (let k = 9; k >= 1 && compared < 2; k--) {
      const at = Math.floor(timeline.start + ((timeline.end - timeline.start) * k) / 10)
      const { pool, state, comparable } = await compareWithChains(poolId, at)
      if (!comparable) continue
      expect(pool.at).toBe(at)
      for (const b of pool.blocks)
        expect(BigInt(b.block)).toBeLessThan(
          BigInt(now.blocks.find((x: { chainId: number }) => x.chainId === b.chainId).block),
        )
      expect(pool.reserveRatio).toBe(ratio(evaluatePool(state, { poolId }).reserveRatio))
      compared++
    }
    expect(compared).toBe(2)
  })

  it('returns history in time order, each point the state at its time', async () => {
    const poolId = devnet!.manifest.pools[0]!.id
    const now = (await query(poolQuery, { id: poolId })).pool
    const from = Math.floor((timeline.start + timeline.end) / 2)
    const interval = Math.floor((now.at - from) / 12)
    const data = await query(
      'query ($id: ID!, $from: Timestamp!, $to: Timestamp!, $interval: Int!) { pool(id: $id) { history(from: $from, to: $to, interval: $interval) { at reserveRatio } } }',
      { id: poolId, from, to: from + 12 * interval, interval },
    )
    const points = data.pool.history as { at: number; reserveRatio: string | null }[]
    expect(points).toHaveLength(13)
    for (let i = 1; i < points.length; i++) expect(points[i]!.at).toBeGreaterThan(points[i - 1]!.at)
    for (const i of [0, 6, 12]) {
      const single = await query(poolQuery, { id: poolId, at: points[i]!.at })
      expect(points[i]!.reserveRatio).toBe(single.pool.reserveRatio)
    }
    expect(new Set(points.map((p) => p.reserveRatio)).size).toBeGreaterThan(1)
  })

  it('pages through bridge transfers visiting every one exactly once (as many as OFTSent on chain)', async () => {
    const guids: string[] = []
    let after: string | null = null
    for (let page = 0; page < 500; page++) {
      const data = await query(
        'query ($after: String) { bridgeTransfers(first: 7, after: $after) { pageInfo { hasNextPage endCursor } nodes { guid status } } }',
        { after },
      )
      guids.push(...data.bridgeTransfers.nodes.map((n: { guid: string }) => n.guid))
      if (!data.bridgeTransfers.pageInfo.hasNextPage) break
      after = data.bridgeTransfers.pageInfo.endCursor
    }
    const meta = await query('{ _meta { chains { chainId indexedBlock } } }')
    let onChain = 0
    for (const c of devnet!.manifest.chains) {
      const client = createPublicClient({ transport: http(c.rpcUrl), cacheTime: 0 })
      const indexed = BigInt(
        meta._meta.chains.find((m: { chainId: number }) => m.chainId === c.chainId).indexedBlock,
      )
      const logs = await client.getLogs({
        event: getAbiItem({ abi: oftAbi, name: 'OFTSent' }),
        fromBlock: 0n,
        toBlock: indexed,
      })
      onChain += logs.length
    }
    expect(onChain).toBeGreaterThan(7)
    expect(guids).toHaveLength(onChain)
    expect(new Set(guids).size).toBe(guids.length)
  })

  it('pages through members visiting each exactly once', async () => {
    const pool = devnet!.manifest.pools[0]!
    const seen: string[] = []
    let after: string | null = null
    for (let page = 0; page < 20; page++) {
      const data = await query(
        'query ($id: ID!, $after: String) { members(poolId: $id, first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }',
        { id: pool.id, after },
      )
      seen.push(...data.members.nodes.map((n: { id: string }) => n.id))
      if (!data.members.pageInfo.hasNextPage) break
      after = data.members.pageInfo.endCursor
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBeGreaterThan(0)
  })

  it('`ballast prove` writes a solvency statement that verifies, over the same database', async () => {
    const pool = devnet!.manifest.pools[0]!
    const member = pool.members[0]!
    const { json, ok } = await proveCommand({
      config,
      poolId: pool.id,
      memberId: member.id,
      secret: `0x${'ab'.repeat(32)}`,
    })
    const statement = parseSolvencyStatement(JSON.parse(json))
    const verdict = verifySolvencyStatement(statement)
    expect(verdict.inclusion?.valid).toBe(true)
    expect(ok).toBe(verdict.ok)
    expect(statement.proof?.leaf.id).toBe(member.id)
    const { pool: api } = await query(poolQuery, { id: pool.id })
    expect(formatDecimal(statement.root.total, 18)).toBe(api.liabilitiesUsd)
    expect(formatDecimal(statement.reserves.adjustedReservesUsd, 18)).toBe(api.adjustedReservesUsd)
  })

  it('`ballast plan` never sends an asset both ways between two chains', async () => {
    const { plan, text } = await planCommand({
      config,
      poolId: devnet!.manifest.pools[0]!.id,
      objective: 'cheapest',
    })
    // Reserves sit where the scenario put them, not where liabilities circulate: there is work to do.
    expect(plan.transfers.length).toBeGreaterThan(0)
    expect(text).toContain(plan.transfers[0]!.asset)
    const legs = new Set(plan.transfers.map((t) => `${t.asset}:${t.from.chainId}>${t.to.chainId}`))
    for (const t of plan.transfers)
      expect(legs.has(`${t.asset}:${t.to.chainId}>${t.from.chainId}`)).toBe(false)
  })
})
