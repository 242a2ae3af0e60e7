import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { type ApiServer, serveApi } from '../server/serveApi.js'
import { examplePoolState } from '../testing/examplePoolState.js'

/** POSTs `body` over HTTP, with a `content-length` or chunked (none); returns status and text. */
function post(url: string, body: string, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    // Chunked: several writes, so the body really arrives in pieces.
    for (let i = 0; i < body.length; i += 16_384) req.write(body.slice(i, i + 16_384))
    req.end()
  })
}

describe('useRequestSizeLimit over HTTP', () => {
  let server: ApiServer
  beforeAll(async () => {
    const dataSource = createMemoryDataSource({ states: [examplePoolState(1_764_000_000)] })
    server = await serveApi(createApi({ dataSource, logging: false, limits: { maxBodyBytes: 4_096 } }), {
      port: 0,
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  const small = JSON.stringify({ query: '{ chains { chainId } }' })
  const big = JSON.stringify({ query: `{ chains { chainId } } # ${'z'.repeat(20_000)}` })

  it('answers a body within the limit, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const { status, text } = await post(server.url, small, chunked)
      expect(status).toBe(200)
      expect(JSON.parse(text)).toHaveProperty('data.chains')
    }
  })

  it('refuses a body above the limit, declared or chunked, with the hint', async () => {
    for (const chunked of [false, true]) {
      const { status, text } = await post(server.url, big, chunked)
      expect(status).toBe(413)
      const json = JSON.parse(text) as { errors: { message: string; extensions: { hint: string } }[] }
      expect(json.errors[0]?.message).toBe('Request too large: the limit is 4096 bytes.')
      expect(json.errors[0]?.extensions.hint).toMatch(/smaller query/)
    }
    // Still serving.
    expect((await post(server.url, small, false)).status).toBe(200)
  })
})
