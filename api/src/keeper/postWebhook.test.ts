import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { postWebhook } from './postWebhook.js'

let server: ReturnType<typeof createServer> | undefined
afterEach(async () => {
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve))
  server = undefined
})

/** A real HTTP receiver answering with the given statuses in turn; records the bodies it got. */
async function receiver(statuses: number[]) {
  const bodies: unknown[] = []
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      bodies.push(JSON.parse(body))
      res.statusCode = statuses.shift() ?? 200
      res.end()
    })
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies }
}

describe('postWebhook', () => {
  it('retries 5xx and 429 with backoff, then delivers the JSON', async () => {
    const r = await receiver([503, 429, 200])
    const result = await postWebhook(r.url, { pool: '0x01', triggered: ['ratio'] }, { baseDelayMs: 5 })
    expect(result).toEqual({ ok: true, attempts: 3 })
    expect(r.bodies).toEqual([1, 2, 3].map(() => ({ pool: '0x01', triggered: ['ratio'] })))
  })

  it('does not retry a refusal (4xx) and never throws', async () => {
    const r = await receiver([400])
    expect(await postWebhook(r.url, {}, { baseDelayMs: 5 })).toEqual({
      ok: false,
      attempts: 1,
      error: 'the webhook answered HTTP 400',
    })
    const gone = await receiver([500, 500])
    expect(await postWebhook(gone.url, {}, { attempts: 2, baseDelayMs: 5 })).toEqual({
      ok: false,
      attempts: 2,
      error: 'the webhook answered HTTP 500',
    })
  })
})
