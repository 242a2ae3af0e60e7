import { createServer, type IncomingMessage, type Server } from 'node:http'
import { prng } from './scenario.js'

/** Counts of the faults injected so far. */
export type FaultCounts = {
  ok: number
  status429: number
  status500: number
  timeouts: number
  tooMany: number
}

/** A JSON-RPC proxy in front of a node that injects faults (the RPC edge a test cannot get otherwise). */
export type FaultProxy = { url: string; counts: FaultCounts; close: () => Promise<void> }

/**
 * Starts an HTTP proxy to `target` that, from a seeded PRNG, answers some requests with 429 or
 * 500, hangs some past the client's timeout, and rejects `eth_getLogs` over more than
 * `maxLogsRange` blocks with "query returned more than 10000 results" (-32005), as public RPC
 * providers do. `eth_chainId` always passes (the start-up check is tested elsewhere).
 *
 * @param target URL of the real node.
 * @param options Fault rates, hang time, range limit, seed.
 */
export async function startFaultProxy(
  target: string,
  options: { rate?: number; hangMs?: number; maxLogsRange?: number; seed?: number } = {},
): Promise<FaultProxy> {
  const rate = options.rate ?? 0.08
  const hangMs = options.hangMs ?? 1_500
  const maxLogsRange = options.maxLogsRange ?? 8
  const random = prng(options.seed ?? 42)
  const counts: FaultCounts = { ok: 0, status429: 0, status500: 0, timeouts: 0, tooMany: 0 }
  let served = 0
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const parsed = JSON.parse(body) as RpcRequest | RpcRequest[]
    const calls = Array.isArray(parsed) ? parsed : [parsed]
    const onlyChainId = calls.every((c) => c.method === 'eth_chainId')
    if (!onlyChainId) {
      // The first three requests are one of each fault, so every kind is exercised; then random.
      const roll = served < 3 ? ([0, rate, 2 * rate][served] ?? 1) : random()
      served++
      if (roll < rate) {
        counts.status429++
        res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests')
        return
      }
      if (roll < 2 * rate) {
        counts.status500++
        res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
        return
      }
      if (roll < 2.3 * rate) {
        counts.timeouts++
        setTimeout(() => res.destroy(), hangMs)
        return
      }
    }
    const tooMany = new Map<unknown, unknown>()
    const forward: RpcRequest[] = []
    for (const call of calls) {
      const filter =
        call.method === 'eth_getLogs'
          ? (call.params?.[0] as { fromBlock: string; toBlock: string })
          : undefined
      if (filter !== undefined && Number(filter.toBlock) - Number(filter.fromBlock) + 1 > maxLogsRange) {
        counts.tooMany++
        tooMany.set(call.id, {
          jsonrpc: '2.0',
          id: call.id,
          error: { code: -32005, message: 'query returned more than 10000 results' },
        })
      } else forward.push(call)
    }
    let answers: { id: unknown }[] = []
    if (forward.length > 0) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(forward),
      })
      answers = (await response.json()) as { id: unknown }[]
    }
    counts.ok++
    const byId = new Map(answers.map((a) => [a.id, a]))
    const out = calls.map((c) => tooMany.get(c.id) ?? byId.get(c.id))
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(Array.isArray(parsed) ? out : out[0]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

type RpcRequest = { id: unknown; method: string; params?: unknown[] }

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString()))
    req.on('error', reject)
  })
}
