import { formatDecimal } from '@ballast/sdk'
import { evaluatePool, liquidityCoverage, runStressTest } from '@ballast/sdk/math'
import { parseSolvencyStatement, verifySolvencyStatement } from '@ballast/sdk/proofs'
import { describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { examplePoolState } from '../testing/examplePoolState.js'

const t0 = 1_764_000_000
const poolId = `0x${'11'.repeat(32)}`
const states = [
  examplePoolState(t0),
  examplePoolState(t0 + 3600, 2_000_00000000n),
  examplePoolState(t0 + 7200, 2_500_00000000n),
]
const memory = createMemoryDataSource({ states })
let loadCalls = 0
const dataSource: ApiDataSource = {
  ...memory,
  loadPoolStates: (requests) => {
    loadCalls++
    return memory.loadPoolStates(requests)
  },
}
const api = createApi({ dataSource, logging: false })

async function query(q: string, variables?: Record<string, unknown>) {
  const res = await api.fetch('http://ballast/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q, variables }),
  })
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its own query asked for
  const json = (await res.json()) as { data?: any; errors?: { message: string }[] }
  if (json.errors) throw new Error(json.errors.map((e) => e.message).join('; '))
  return json.data
}

const ratio = (x: bigint | null) => (x === null ? null : formatDecimal(x, 18))

describe('Pool figures are the sdk evaluatePool results', () => {
  it('serves pooled, member and chain figures as exact decimals', async () => {
    const data = await query(`{ pool(id: "${poolId}") {
      at reserveRatio adjustedReservesUsd liabilitiesUsd reservesUsd healthy minRatio
      members { totalCount nodes { id reserveRatio liabilitiesUsd } }
      chains { chainId reserveRatio adjustedReservesUsd }
      assets { symbol amount haircut priceUsd liquidationPriceUsd }
    } }`)
    const e = evaluatePool(states[2]!, { poolId })
    expect(data.pool.at).toBe(t0 + 7200)
    expect(data.pool.reserveRatio).toBe(ratio(e.reserveRatio))
    expect(data.pool.adjustedReservesUsd).toBe(formatDecimal(e.adjustedReservesUsd, 18))
    expect(data.pool.liabilitiesUsd).toBe(formatDecimal(e.liabilitiesUsd, 18))
    expect(data.pool.reservesUsd).toBe(formatDecimal(e.grossReservesUsd, 18))
    expect(data.pool.healthy).toBe(!e.belowMinimum)
    expect(data.pool.minRatio).toBe('1.1')
    expect(data.pool.members.totalCount).toBe(2)
    expect(data.pool.members.nodes.map((m: { reserveRatio: string }) => m.reserveRatio)).toEqual(
      e.members.map((m) => ratio(m.reserveRatio)),
    )
    expect(data.pool.chains.map((c: { chainId: number }) => c.chainId)).toEqual(
      e.chains.map((c) => c.chainId),
    )
    const weth = data.pool.assets.find((a: { symbol: string }) => a.symbol === 'WETH')
    expect(weth.amount).toBe('200')
    expect(weth.priceUsd).toBe('2500')
  })

  it('travels in time with `at`', async () => {
    const data = await query(
      `{ a: pool(id: "${poolId}", at: ${t0 + 10}) { at reserveRatio } b: pool(id: "${poolId}", at: "2025-11-24T17:00:00Z") { reserveRatio } }`,
    )
    expect(data.a.reserveRatio).toBe(ratio(evaluatePool(states[0]!, { poolId }).reserveRatio))
    // 2025-11-24T17:00:00Z = t0 + 3600: the second snapshot (WETH at 2000).
    expect(data.b.reserveRatio).toBe(ratio(evaluatePool(states[1]!, { poolId }).reserveRatio))
    expect(data.a.reserveRatio).not.toBe(data.b.reserveRatio)
  })

  it('returns history in time order, each point equal to the state then', async () => {
    const data = await query(
      `{ pool(id: "${poolId}") { history(from: ${t0}, to: ${t0 + 7200}, interval: 1800) { at reserveRatio } } }`,
    )
    const points = data.pool.history as { at: number; reserveRatio: string }[]
    expect(points.map((p) => p.at)).toEqual([t0, t0 + 1800, t0 + 3600, t0 + 5400, t0 + 7200])
    const expected = [0, 0, 1, 1, 2].map((i) => ratio(evaluatePool(states[i]!, { poolId }).reserveRatio))
    expect(points.map((p) => p.reserveRatio)).toEqual(expected)
  })

  it('refuses a history of more than 500 points', async () => {
    await expect(
      query(`{ pool(id: "${poolId}") { history(from: 0, to: 1000000, interval: 1) { at } } }`),
    ).rejects.toThrow(/Too many history points. from 0 to 1000000 every 1 s is 1000001 points; at most 500./)
  })

  it('pages through members, visiting each exactly once', async () => {
    const seen: string[] = []
    let after: string | null = null
    for (let i = 0; i < 5; i++) {
      const data = await query(
        'query ($id: ID!, $after: String) { members(poolId: $id, first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }',
        { id: poolId, after },
      )
      seen.push(...data.members.nodes.map((n: { id: string }) => n.id))
      if (!data.members.pageInfo.hasNextPage) break
      after = data.members.pageInfo.endCursor
    }
    expect(seen).toEqual(states[0]!.members.map((m) => m.id).sort())
  })

  it('loads each pool state once per request however many fields read it (no N+1)', async () => {
    loadCalls = 0
    await query(`{ pools(first: 10) { nodes { reserveRatio members { nodes { reserveRatio chains { reserveRatio } } } } }
      again: pool(id: "${poolId}") { liabilitiesUsd members { nodes { liabilitiesUsd } } } }`)
    expect(loadCalls).toBe(1)
  })

  it('serves a solvency proof the sdk verifier accepts', async () => {
    const data = await query(
      `{ members(poolId: "${poolId}") { nodes { id solvencyProof { root rootSum verified solvent proof } } } }`,
    )
    const e = evaluatePool(states[2]!, { poolId })
    for (const node of data.members.nodes) {
      const statement = parseSolvencyStatement(JSON.parse(node.solvencyProof.proof))
      const verdict = verifySolvencyStatement(statement)
      expect(verdict.inclusion?.valid).toBe(true)
      expect(verdict.solvency.status).toBe(node.solvencyProof.solvent ? 'solvent' : 'insolvent')
      expect(node.solvencyProof.verified).toBe(true)
      expect(node.solvencyProof.rootSum).toBe(formatDecimal(e.liabilitiesUsd, 18))
      expect(statement.proof?.leaf.id).toBe(node.id)
      expect(statement.reserves.adjustedReservesUsd).toBe(e.adjustedReservesUsd)
    }
  })

  it('runs named and custom stress tests with the sdk', async () => {
    const data = await query(`{ pool(id: "${poolId}") {
      stressScenarios
      named: stressTest(scenario: "eth-crash-40") { scenario passes insolvent after { reserveRatio } members { name after } }
      custom: stressTest(shocks: [{ asset: "WETH", priceChange: "-0.4" }], redemptionRunOff: "0.1") { scenario after { reserveRatio } }
    } }`)
    expect(data.pool.stressScenarios).toContain('eth-crash-40')
    const named = runStressTest(states[2]!, 'eth-crash-40', { poolId })
    expect(data.pool.named.after.reserveRatio).toBe(ratio(named.stressed.reserveRatio))
    expect(data.pool.named.passes).toBe(!named.breachesMinimum)
    expect(data.pool.named.members.map((m: { after: string }) => m.after)).toEqual(
      named.members.map((m) => ratio(m.stressedRatio)),
    )
    const custom = runStressTest(
      states[2]!,
      { name: 'custom', description: '', priceShocks: { WETH: -(4n * 10n ** 17n) }, runOffRate: 10n ** 17n },
      { poolId },
    )
    expect(data.pool.custom.after.reserveRatio).toBe(ratio(custom.stressed.reserveRatio))
    // Same price shock without run-off is the named scenario: the run-off changed the result.
    expect(data.pool.custom.after.reserveRatio).not.toBe(data.pool.named.after.reserveRatio)
  })

  it('says which stress scenarios exist when a name is wrong', async () => {
    await expect(
      query(`{ pool(id: "${poolId}") { stressTest(scenario: "meteor") { passes } } }`),
    ).rejects.toThrow(/Unknown stress scenario. scenario: "meteor"; known: eth-crash-40,/)
    await expect(
      query(
        `{ pool(id: "${poolId}") { stressTest(shocks: [{ asset: "WETH", priceChange: "-1.5" }]) { passes } } }`,
      ),
    ).rejects.toThrow(/A price cannot fall more than 100%/)
  })

  it('computes liquidity coverage per chain from observed redemptions', async () => {
    const data = await query(`{ pool(id: "${poolId}") {
      liquidityCoverage(horizonPeriods: 10, periodSeconds: 3600, lookbackPeriods: 2, runOffRate: "0.2") {
        chainId liquidReservesUsd stressedOutflowUsd outflowUsd coverage covered
      } } }`)
    // States at t0 (2 periods back), t0 + 3600, and now (t0 + 7200): liabilities are constant.
    const expected = liquidityCoverage(states[2]!, {
      poolId,
      redemptions: [
        { chainId: 31337, amountsUsd: [0n, 0n] },
        { chainId: 31338, amountsUsd: [0n, 0n] },
      ],
      horizonPeriods: 10,
      runOffRate: 2n * 10n ** 17n,
    })
    expect(data.pool.liquidityCoverage).toEqual(
      expected.map((c) => ({
        chainId: c.chainId,
        liquidReservesUsd: formatDecimal(c.liquidAdjustedReservesUsd, 18),
        stressedOutflowUsd: formatDecimal(c.stressedOutflowUsd, 18),
        outflowUsd: formatDecimal(c.outflowUsd, 18),
        coverage: ratio(c.coverageRatio),
        covered: c.covered,
      })),
    )
  })

  it('plans transfers that put reserves where the liabilities are', async () => {
    const data = await query(`{ pool(id: "${poolId}") {
      rebalancePlan(objective: CHEAPEST, fixedFeeUsd: "0.5") { feasible totalCostUsd summary transfers { asset fromChainId toChainId amount costUsd } }
    } }`)
    const plan = data.pool.rebalancePlan
    // USDC: 600,000 on 31337 and 400,000 on 31338; liabilities 700,000 and 650,000 USD, so
    // 31337 should hold 1,000,000 * 700/1350 = 518,518.518518 (remainder to the largest chain).
    const target31338 = (1_000_000_000000n * 650_000n) / 1_350_000n
    expect(plan.feasible).toBe(true)
    expect(plan.transfers).toEqual([
      {
        asset: 'USDC',
        fromChainId: 31337,
        toChainId: 31338,
        amount: formatDecimal(target31338 - 400_000_000000n, 6),
        costUsd: '0.5',
      },
    ])
    expect(plan.totalCostUsd).toBe('0.5')
    expect(plan.summary).toContain('USDC')
  })

  it('reads members at explicit per-chain blocks', async () => {
    // Snapshot 2 (t0 + 3600) has blocks 3700 and 3800; asking for blocks below them gives snapshot 1.
    const data =
      await query(`{ members(poolId: "${poolId}", blocks: [{ chainId: 31337, block: "3699" }, { chainId: 31338, block: "3799" }]) {
      nodes { reserveRatio } } }`)
    const e = evaluatePool(states[0]!, { poolId })
    expect(data.members.nodes.map((m: { reserveRatio: string }) => m.reserveRatio)).toEqual(
      e.members.map((m) => ratio(m.reserveRatio)),
    )
    await expect(query(`{ members(poolId: "${poolId}", at: 1, blocks: []) { totalCount } }`)).rejects.toThrow(
      /Give either `at` or `blocks`, not both/,
    )
  })
})
