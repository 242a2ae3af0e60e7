import { describe, expect, it } from 'vitest'
import { type Api, createApi } from './createApi.js'
import type { ApiDataSource, ChainSyncMeta } from './dataSource/ApiDataSource.js'
import { createMemoryDataSource } from './dataSource/createMemoryDataSource.js'
import { examplePoolState } from './testing/examplePoolState.js'

const t0 = 1_764_000_000
const poolId = `0x${'11'.repeat(32)}`
let meta: ChainSyncMeta[] = [
  {
    chainId: 31337,
    name: 'alpha',
    indexedBlock: 120n,
    indexedTimestamp: t0,
    finalizedBlock: 118n,
    headBlock: 121n,
  },
  {
    chainId: 31338,
    name: 'beta',
    indexedBlock: 220n,
    indexedTimestamp: t0,
    finalizedBlock: 218n,
    headBlock: 220n,
  },
]
const dataSource = createMemoryDataSource({
  states: [examplePoolState(t0), examplePoolState(t0 + 3600, 2_000_00000000n)],
  chains: [
    { chainId: 31338, name: 'beta', eid: 40_102, finalityDepth: 2 },
    { chainId: 31337, name: 'alpha', eid: 40_101, finalityDepth: 2 },
  ],
  syncMeta: () => meta,
})
const api = createApi({ dataSource, logging: false, pollIntervalMs: 20 })

type GraphQLResponse = {
  data?: Record<string, unknown> | null
  errors?: { message: string; extensions?: Record<string, unknown> }[]
}

async function post(target: Api, body: string, headers: Record<string, string> = {}) {
  const res = await target.fetch('http://ballast/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body,
  })
  return { status: res.status, json: (await res.json()) as GraphQLResponse, headers: res.headers }
}

const query = (target: Api, q: string, variables?: Record<string, unknown>) =>
  post(target, JSON.stringify({ query: q, variables }))

/** The server still answers a normal query and its health check after a refused request. */
async function expectHealthy() {
  const { json } = await query(api, '{ chains { chainId } }')
  expect(json.errors).toBeUndefined()
  expect(json.data).toEqual({ chains: [{ chainId: 31337 }, { chainId: 31338 }] })
  expect((await api.fetch('http://ballast/healthz')).status).toBe(200)
}

describe('createApi: limits refuse abusive requests and the server stays healthy', () => {
  it('refuses a 30-deep query', async () => {
    let selection = 'id'
    for (let i = 0; i < 15; i++) selection = `members { nodes { pool { ${selection} } } }`
    const { json } = await query(api, `{ pool(id: "${poolId}") { ${selection} } }`)
    expect(json.data ?? null).toBeNull()
    expect(json.errors?.map((e) => e.message).join('\n')).toMatch(/depth limit of 12 exceeded/i)
    await expectHealthy()
  })

  it('refuses first: 1000000 with a clear error', async () => {
    // As a literal, validation refuses it before execution (the cost limit, which multiplies by
    // `first`, says so too).
    const literal = await query(api, '{ pools(first: 1000000) { nodes { id } } }')
    const messages = literal.json.errors?.map((e) => e.message) ?? []
    expect(messages).toContain('`first` is out of range. first: 1000000; allowed 1 to 100.')
    expect(literal.json.data ?? null).toBeNull()
    // As a variable (which the cost rule cannot see), the connection's own bound refuses it.
    const { json } = await query(api, 'query ($n: Int) { pools(first: $n) { nodes { id } } }', {
      n: 1_000_000,
    })
    expect(json.errors?.[0]?.message).toBe('`first` is out of range. first: 1000000; allowed 1 to 100.')
    expect(json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
    await expectHealthy()
  })

  it('refuses 500 aliases', async () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: chains { chainId }`).join(' ')
    const { json } = await query(api, `{ ${aliases} }`)
    expect(json.data ?? null).toBeNull()
    expect(json.errors?.[0]?.message).toMatch(/aliases/i)
    await expectHealthy()
  })

  it('refuses a 1 MB query with HTTP 413', async () => {
    const big = `{ chains { chainId } } # ${'x'.repeat(1024 * 1024)}`
    const { status, json } = await query(api, big)
    expect(status).toBe(413)
    expect(json.errors?.[0]?.message).toMatch(/Request too large: the limit is 65536 bytes/)
    await expectHealthy()
  })

  it('refuses a body above the limit even without a content-length', async () => {
    const chunk = new TextEncoder().encode(
      JSON.stringify({ query: `{ chains { chainId } } # ${'y'.repeat(200_000)}` }),
    )
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk)
        controller.close()
      },
    })
    const res = await api.fetch('http://ballast/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    await expectHealthy()
  })

  it('refuses malformed JSON with a clear error', async () => {
    const { status, json } = await post(api, '{"query": "{ chains { chainId } }"')
    expect(status).toBe(400)
    expect(json.errors?.[0]?.message).toMatch(/invalid JSON/i)
    await expectHealthy()
  })

  it('refuses too many tokens', async () => {
    const fields = Array.from({ length: 4100 }, () => 'chainId').join(' ')
    const { json } = await query(api, `{ chains { ${fields} } }`)
    expect(json.errors?.[0]?.message).toMatch(/token/i)
    await expectHealthy()
  })
})

describe('createApi: errors', () => {
  it('says clearly when a pool id is unknown', async () => {
    const { json } = await query(api, '{ pool(id: "0x99") { name } }')
    expect(json.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
    expect(json.errors?.[0]?.message).toContain('Unknown pool. No pool has id "0x99"; known pools: 0x1111')
  })

  it('masks internal errors', async () => {
    const broken: ApiDataSource = {
      ...dataSource,
      listChains: async () => {
        throw new Error('password=hunter2 connection refused')
      },
    }
    const brokenApi = createApi({ dataSource: broken, logging: false })
    const { json } = await query(brokenApi, '{ chains { chainId } }')
    expect(json.errors?.[0]?.message).toBe('Unexpected error.')
    expect(JSON.stringify(json)).not.toContain('hunter2')
  })

  it('rejects a float where an exact decimal is expected', async () => {
    const { json } = await query(
      api,
      `{ pool(id: "${poolId}") { stressTest(shocks: [{ asset: "WETH", priceChange: -0.4 }]) { passes } } }`,
    )
    expect(json.errors?.[0]?.message).toMatch(/Decimal must be written as a string literal/)
  })
})

describe('createApi: HTTP endpoints', () => {
  it('serves GraphiQL at /graphql to browsers', async () => {
    const res = await api.fetch('http://ballast/graphql', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/graphiql/i)
    // Self-contained: nothing is fetched from a CDN (machines without internet get a working page).
    expect(html).not.toMatch(/unpkg\.com|jsdelivr/)
  })

  it('sends CORS headers, configurable', async () => {
    const preflight = {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    }
    const open = await api.fetch('http://ballast/graphql', preflight)
    expect(['*', 'https://app.example']).toContain(open.headers.get('access-control-allow-origin'))
    const strict = createApi({ dataSource, logging: false, cors: { origin: ['https://dash.example'] } })
    const res = await strict.fetch('http://ballast/graphql', preflight)
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://app.example')
  })

  it('answers /healthz 503 when a chain lags beyond the threshold', async () => {
    const ok = await api.fetch('http://ballast/healthz')
    expect(ok.status).toBe(200)
    const saved = meta
    meta = [{ ...saved[0]!, headBlock: 500n }, saved[1]!]
    try {
      const lagging = await api.fetch('http://ballast/healthz')
      expect(lagging.status).toBe(503)
      const body = (await lagging.json()) as {
        status: string
        chains: { chainId: number; lagBlocks: string }[]
      }
      expect(body.status).toBe('lagging')
      expect(body.chains[0]).toMatchObject({ chainId: 31337, lagBlocks: '380' })
    } finally {
      meta = saved
    }
  })

  it('judges /healthz lag in seconds for chains of known block time: 380 blocks of 0.25 s are healthy, of 12 s not', async () => {
    const saved = meta
    try {
      meta = [{ ...saved[0]!, headBlock: 500n, blockTime: 0.25 }, saved[1]!]
      const fast = await api.fetch('http://ballast/healthz')
      expect(fast.status).toBe(200)
      expect(((await fast.json()) as { chains: { lagSeconds: number }[] }).chains[0]?.lagSeconds).toBe(95)
      meta = [{ ...saved[0]!, headBlock: 500n, blockTime: 12 }, saved[1]!]
      const slow = await api.fetch('http://ballast/healthz')
      expect(slow.status).toBe(503)
      expect(((await slow.json()) as { chains: { lagSeconds: number }[] }).chains[0]?.lagSeconds).toBe(4_560)
    } finally {
      meta = saved
    }
  })

  it('serves a degraded state as DEGRADED with its reasons, and /healthz lists it (200, or 503 when also lagging)', async () => {
    const reason = {
      code: 'unpriced' as const,
      poolId,
      asset: 'XTK',
      chainId: 31337,
      message: 'XTK held by alpha on chain 31337 is left out: XTK has no feed.',
    }
    const state = { ...examplePoolState(t0), degraded: [reason] }
    let degradedMeta = meta
    const degraded = createApi({
      dataSource: createMemoryDataSource({ states: [state], chains: [], syncMeta: () => degradedMeta }),
      logging: false,
    })
    const { json } = await query(
      degraded,
      `{ pool(id: "${poolId}") { status healthy reserveRatio degraded { code asset chainId message } } }`,
    )
    expect(json.errors).toBeUndefined()
    expect(json.data?.pool).toMatchObject({
      status: 'DEGRADED',
      healthy: true,
      degraded: [{ code: 'UNPRICED', asset: 'XTK', chainId: 31337, message: reason.message }],
    })
    // The same pool without the reason is not degraded.
    const exactApi = createApi({
      dataSource: createMemoryDataSource({
        states: [examplePoolState(t0)],
        chains: [],
        syncMeta: () => meta,
      }),
      logging: false,
    })
    const { json: exact } = await query(exactApi, `{ pool(id: "${poolId}") { status degraded { code } } }`)
    expect(exact.data?.pool).toEqual({ status: 'BELOW_TARGET', degraded: [] })
    expect(await (await exactApi.fetch('http://ballast/healthz')).json()).toMatchObject({
      status: 'ok',
      degraded: [],
    })

    const res = await degraded.fetch('http://ballast/healthz')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; degraded: unknown[] }
    expect(body.status).toBe('degraded')
    expect(body.degraded).toEqual([
      {
        poolId,
        name: 'main',
        status: 'DEGRADED',
        reasons: [{ code: 'UNPRICED', asset: 'XTK', chainId: 31337, message: reason.message }],
      },
    ])
    degradedMeta = [{ ...meta[0]!, headBlock: 500n }, meta[1]!]
    const lagging = await degraded.fetch('http://ballast/healthz')
    expect(lagging.status).toBe(503)
    expect(await lagging.json()).toMatchObject({ status: 'lagging', degraded: [{ poolId }] })
  })

  it('serves Prometheus metrics', async () => {
    await query(api, 'query ChainsForMetrics { chains { chainId } }')
    const text = await (await api.fetch('http://ballast/metrics')).text()
    expect(text).toContain(
      'ballast_api_graphql_operations_total{operation="ChainsForMetrics",outcome="ok"} 1',
    )
    expect(text).toContain('ballast_api_chain_lag_blocks{chain_id="31337",chain="alpha"} 1')
    expect(text).toContain('ballast_api_http_request_duration_seconds_bucket')
  })

  it('reports _meta per chain', async () => {
    const { json } = await query(
      api,
      '{ _meta { maxLagBlocks chains { chainId indexedBlock finalizedBlock headBlock lagBlocks } } }',
    )
    expect(json.data?._meta).toEqual({
      maxLagBlocks: '1',
      chains: [
        { chainId: 31337, indexedBlock: '120', finalizedBlock: '118', headBlock: '121', lagBlocks: '1' },
        { chainId: 31338, indexedBlock: '220', finalizedBlock: '218', headBlock: '220', lagBlocks: '0' },
      ],
    })
  })
})
