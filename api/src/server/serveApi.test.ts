import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { examplePoolState } from '../testing/examplePoolState.js'
import { type ApiServer, defaultServerLimits, serveApi } from './serveApi.js'

const api = () =>
  createApi({
    dataSource: createMemoryDataSource({ states: [examplePoolState(1_764_000_000)] }),
    logging: false,
  })

/** Opens a raw TCP connection to the server; resolves once connected. */
function open(server: ApiServer): Promise<Socket> {
  const { port } = new URL(server.origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

/**
 * Writes `head` at once, then `trickle` one byte every 100 ms until the server ends the socket;
 * resolves with what the server sent and how long the socket stayed open.
 */
function trickle(
  socket: Socket,
  head: string,
  trickled: string,
): Promise<{ received: string; openMs: number }> {
  const started = Date.now()
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    received += chunk
  })
  socket.on('error', () => {})
  socket.write(head)
  let i = 0
  const timer = setInterval(() => {
    if (!socket.writable || i >= trickled.length) return
    socket.write(trickled[i++] ?? '')
  }, 100)
  return new Promise((resolve) =>
    socket.once('close', () => {
      clearInterval(timer)
      resolve({ received, openMs: Date.now() - started })
    }),
  )
}

async function healthQuery(server: ApiServer): Promise<number> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ chains { chainId } }' }),
  })
  await response.text()
  return response.status
}

describe('serveApi limits', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await serveApi(api(), {
      port: 0,
      limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxConnections: 3 },
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('cuts a client that trickles its body a byte every 100 ms once the request timeout passes', async () => {
    const body = JSON.stringify({ query: `{ chains { chainId } } # ${'z'.repeat(200)}` })
    const socket = await open(server)
    const { received, openMs } = await trickle(
      socket,
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    )
    // 200+ bytes at 10 per second would take 20 s; the 2 s limit (checked every second) ends it.
    expect(openMs).toBeLessThan(4_500)
    expect(openMs).toBeGreaterThanOrEqual(1_900)
    expect(received).toMatch(/^HTTP\/1\.1 408/)
  })

  it('cuts a client that trickles its headers once the headers timeout passes', async () => {
    const socket = await open(server)
    const { received, openMs } = await trickle(
      socket,
      'POST /graphql HTTP/1.1\r\n',
      `X-Slow: ${'a'.repeat(300)}\r\n`,
    )
    expect(openMs).toBeLessThan(3_500)
    expect(received).toMatch(/^HTTP\/1\.1 408/)
  })

  it('refuses connections past maxConnections and serves again once one closes', async () => {
    const held = await Promise.all([open(server), open(server), open(server)])
    const extra = await open(server)
    // Over the bound, Node destroys the accepted socket at once, before reading anything.
    await new Promise<void>((resolve) => {
      extra.on('error', () => {})
      extra.once('close', () => resolve())
    })
    for (const socket of held) socket.destroy()
    await Promise.all(
      held.map((socket) => (socket.closed ? undefined : new Promise((r) => socket.once('close', r)))),
    )
    const connections = () => new Promise<number>((r) => server.server.getConnections((_, n) => r(n)))
    await expect.poll(connections).toBe(0)
    expect(await healthQuery(server)).toBe(200)
  })
})

describe('serveApi limits: defaults and validation', () => {
  it('has safe defaults: a slow client is cut within seconds', async () => {
    expect(defaultServerLimits).toEqual({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 10_000,
      maxConnections: 1_024,
    })
    const server = await serveApi(api(), { port: 0 })
    try {
      expect(server.server.headersTimeout).toBe(5_000)
      expect(server.server.requestTimeout).toBe(10_000)
      expect(server.server.maxConnections).toBe(1_024)
      expect(await healthQuery(server)).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('refuses a bad limit, naming the field', async () => {
    const error = await serveApi(api(), { port: 0, limits: { requestTimeoutMs: 0 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).message).toContain('limits.requestTimeoutMs is 0')
    const below = await serveApi(api(), { port: 0, limits: { requestTimeoutMs: 1_000 } }).catch(
      (e: unknown) => e,
    )
    expect((below as ApiError).message).toContain(
      'limits.requestTimeoutMs (1000) is below limits.headersTimeoutMs (5000)',
    )
  })
})
