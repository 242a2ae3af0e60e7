import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ResponseBodyTooLargeError } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bufferedFetch } from './bufferedFetch.js'

describe('bufferedFetch', () => {
  let server: Server
  let url: string
  const body = 'x'.repeat(10_000)
  beforeAll(async () => {
    // `/declared` sends a Content-Length; `/chunked` streams the same bytes without one.
    server = createServer((request, response) => {
      if (request.url === '/utf8') {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ error: { message: 'déjà vu ✓' } }))
        return
      }
      if (request.url === '/declared') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
        response.end(body)
        return
      }
      response.writeHead(200, { 'content-type': 'application/json' })
      for (let i = 0; i < body.length; i += 1_000) response.write(body.slice(i, i + 1_000))
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('returns the whole body, with status and headers, when it fits', async () => {
    for (const path of ['/declared', '/chunked']) {
      const response = await bufferedFetch(10_000)(`${url}${path}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(await response.text()).toBe(body)
    }
  })

  it('decodes UTF-8 as such (the ASCII fast path does not mangle it)', async () => {
    const response = await bufferedFetch(10_000)(`${url}/utf8`)
    expect(await response.json()).toEqual({ error: { message: 'déjà vu ✓' } })
  })

  it('refuses a declared body above the limit with its size, and a streamed one once past it', async () => {
    const declared = await bufferedFetch(2_500)(`${url}/declared`).catch((e: unknown) => e)
    expect(declared).toBeInstanceOf(ResponseBodyTooLargeError)
    expect((declared as ResponseBodyTooLargeError).size).toBe(10_000)
    const streamed = await bufferedFetch(2_500)(`${url}/chunked`).catch((e: unknown) => e)
    expect(streamed).toBeInstanceOf(ResponseBodyTooLargeError)
    expect((streamed as ResponseBodyTooLargeError).size).toBeGreaterThan(2_500)
    expect((streamed as ResponseBodyTooLargeError).size).toBeLessThanOrEqual(10_000)
  })
})
