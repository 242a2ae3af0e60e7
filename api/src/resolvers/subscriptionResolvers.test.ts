import { formatDecimal } from '@ballast/sdk'
import {
  BallastClientError,
  ChainsDocument,
  createBallastClient,
  PoolHealthDocument,
  PoolHealthLiveDocument,
} from '@ballast/sdk/client'
import { evaluatePool } from '@ballast/sdk/math'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import type { ChainSyncMeta } from '../dataSource/ApiDataSource.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { type ApiServer, serveApi } from '../server/serveApi.js'
import { examplePoolState } from '../testing/examplePoolState.js'

const t0 = 1_764_000_000
const poolId = `0x${'11'.repeat(32)}`
const states = [examplePoolState(t0)]
let meta: ChainSyncMeta[] = [
  {
    chainId: 31337,
    name: 'alpha',
    indexedBlock: 100n,
    indexedTimestamp: t0,
    finalizedBlock: 98n,
    headBlock: 100n,
  },
]
const api = createApi({
  dataSource: createMemoryDataSource({ states, syncMeta: () => meta }),
  logging: false,
  pollIntervalMs: 10,
})
let server: ApiServer

beforeAll(async () => {
  server = await serveApi(api, { port: 0 })
})
afterAll(async () => {
  await server.close()
})

describe('the sdk client against a real HTTP server', () => {
  it('runs typed queries', async () => {
    const client = createBallastClient({ url: server.url })
    const { pool } = await client.request(PoolHealthDocument, { id: poolId })
    expect(pool.reserveRatio).toBe(formatDecimal(evaluatePool(states[0]!, { poolId }).reserveRatio!, 18))
    const { _meta } = await client.request(ChainsDocument)
    expect(_meta.chains[0]?.indexedBlock).toBe('100')
  })

  it('reports GraphQL errors with their code', async () => {
    const client = createBallastClient({ url: server.url })
    const error = await client.request(PoolHealthDocument, { id: '0x42' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BallastClientError)
    expect((error as BallastClientError).code).toBe('NOT_FOUND')
    expect((error as BallastClientError).message).toMatch(/^Unknown pool\. No pool has id "0x42"/)
  })

  it('receives live pool health over SSE: now, then when the indexed heads move', async () => {
    const client = createBallastClient({ url: server.url })
    const controller = new AbortController()
    const events: { at: number; reserveRatio: string | null }[] = []
    for await (const event of client.subscribe(PoolHealthLiveDocument, { id: poolId }, controller.signal)) {
      events.push(event.poolHealth)
      if (events.length === 1) {
        states.push(examplePoolState(t0 + 600, 1_000_00000000n))
        meta = [{ ...meta[0]!, indexedBlock: 150n, headBlock: 150n }]
      }
      if (events.length === 2) break
    }
    controller.abort()
    expect(events.map((e) => e.at)).toEqual([t0, t0 + 600])
    expect(events[1]?.reserveRatio).toBe(
      formatDecimal(evaluatePool(states[1]!, { poolId }).reserveRatio!, 18),
    )
    // The server is still healthy after the stream closed.
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200)
  })
})
