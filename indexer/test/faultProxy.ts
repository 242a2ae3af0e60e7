import { createServer, type IncomingMessage, type Server } from 'node:http'
import { prng } from './scenario.js'

/** The faults a {@link startFaultProxy} injects. */
export type FaultKind = 'status429' | 'status500' | 'timeouts' | 'resets' | 'truncated' | 'providerErrors'

/** Counts of the faults injected so far (and `ok`: requests passed on). */
export type FaultCounts = Record<FaultKind, number> & { ok: number; tooMany: number }

/** A JSON-RPC proxy in front of a node that injects faults (the RPC edge a test cannot get otherwise). */
export type FaultProxy = {
  url: string
  counts: FaultCounts
  /** Calls answered with an error, by method: every call of a faulted request, and each refused `eth_getLogs`. */
  failedCalls: Record<string, number>
  close: () => Promise<void>
}

/** Options of {@link startFaultProxy}. */
export type FaultProxyOptions = {
  /** Share of requests that fault, split evenly among `kinds` (default 0.2). */
  rate?: number
  /** Which faults (default all). */
  kinds?: readonly FaultKind[]
  /** How long a stalled request hangs before its socket is destroyed (default 1.5 s). */
  hangMs?: number
  /** `eth_getLogs` over more blocks than this gets "query returned more than 10000 results". */
  maxLogsRange?: number
  /** `Retry-After` of a 429, in seconds (default 1). */
  retryAfter?: number
  /** Fault `eth_chainId` too (the start-up check); default false. */
  chainId?: boolean
  seed?: number
}

/**
 * Provider errors injected at random, as public endpoints answer them under load: transient
 * ones for any call, and for `eth_getLogs` the "too dense" and "cap" families too.
 */
const PROVIDER_ERRORS = [
  { code: -32011, message: 'no backend is currently healthy to serve traffic' },
  { code: -32603, message: 'internal error' },
]
const LOGS_ERRORS = [
  { code: -32005, message: 'query timeout exceeded' },
  { code: -32000, message: 'logs matched by query exceeds limit of 10000' },
  { code: -32614, message: 'eth_getLogs is limited to a 10,000 range', status: 413 },
]

/**
 * Starts an HTTP proxy to `target` that, from a seeded PRNG, faults a share of requests: 429 with
 * `Retry-After`, 500, stalls past the client's timeout, connection resets, bodies cut short
 * (200 with half the JSON: "Unterminated string in JSON"), and provider errors (including
 * QuickNode's HTTP 413 "-32614 eth_getLogs is limited to a 10,000 range"). The first requests are
 * one of each fault, so every kind is exercised; then random. `eth_getLogs` over more than
 * `maxLogsRange` blocks is refused with "query returned more than 10000 results" (-32005).
 * Any path is served (a URL may carry a key).
 *
 * @param target URL of the real node.
 * @param options Fault rate and kinds, hang time, range limit, seed.
 */
export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const rate = options.rate ?? 0.2
  const kinds = options.kinds ?? [
    'status429',
    'status500',
    'timeouts',
    'resets',
    'truncated',
    'providerErrors',
  ]
  const hangMs = options.hangMs ?? 1_500
  const maxLogsRange = options.maxLogsRange ?? 8
  const random = prng(options.seed ?? 42)
  const counts: FaultCounts = {
    ok: 0,
    tooMany: 0,
    status429: 0,
    status500: 0,
    timeouts: 0,
    resets: 0,
    truncated: 0,
    providerErrors: 0,
  }
  const failedCalls: Record<string, number> = {}
  let served = 0
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const parsed = JSON.parse(body) as RpcRequest | RpcRequest[]
    const calls = Array.isArray(parsed) ? parsed : [parsed]
    const exempt = !options.chainId && calls.every((c) => c.method === 'eth_chainId')
    let fault: FaultKind | undefined
    if (!exempt && rate > 0) {
      const roll = served < kinds.length ? (served + 0.5) / kinds.length : random() / rate
      served++
      if (roll < 1) fault = kinds[Math.floor(roll * kinds.length)]
    }
    if (fault !== undefined) {
      counts[fault]++
      for (const call of calls) failedCalls[call.method] = (failedCalls[call.method] ?? 0) + 1
    }
    if (fault === 'status429') {
      res
        .writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(options.retryAfter ?? 1) })
        .end('Too Many Requests')
      return
    }
    if (fault === 'status500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
      return
    }
    if (fault === 'timeouts') {
      setTimeout(() => res.destroy(), hangMs).unref()
      return
    }
    if (fault === 'resets') {
      req.socket.destroy()
      return
    }
    if (fault === 'providerErrors') {
      const logs = calls.some((c) => c.method === 'eth_getLogs')
      const pool = logs ? [...PROVIDER_ERRORS, ...LOGS_ERRORS] : PROVIDER_ERRORS
      const error = pool[Math.floor(random() * pool.length)] as {
        code: number
        message: string
        status?: number
      }
      const answer = (c: RpcRequest) => ({
        jsonrpc: '2.0',
        id: c.id,
        error: { code: error.code, message: error.message },
      })
      res
        .writeHead(error.status ?? 200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(
            Array.isArray(parsed) && error.status === undefined
              ? calls.map(answer)
              : answer(calls[0] as RpcRequest),
          ),
        )
      return
    }
    const tooMany = new Map<unknown, unknown>()
    const forward: RpcRequest[] = []
    for (const call of calls) {
      const filter =
        call.method === 'eth_getLogs'
          ? (call.params?.[0] as { fromBlock?: string; toBlock?: string; blockHash?: string })
          : undefined
      if (
        filter !== undefined &&
        filter.blockHash === undefined &&
        Number(filter.toBlock) - Number(filter.fromBlock) + 1 > maxLogsRange
      ) {
        counts.tooMany++
        failedCalls[call.method] = (failedCalls[call.method] ?? 0) + 1
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
    const byId = new Map(answers.map((a) => [a.id, a]))
    const out = calls.map((c) => tooMany.get(c.id) ?? byId.get(c.id))
    const text = JSON.stringify(Array.isArray(parsed) ? out : out[0])
    if (fault === 'truncated') {
      // Cut inside a string so the parser reports an unterminated string, as a dropped proxy does.
      const cut = text.indexOf('"', Math.floor(text.length / 2))
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(text.slice(0, cut < 0 ? text.length - 1 : cut + 2))
      return
    }
    counts.ok++
    res.writeHead(200, { 'content-type': 'application/json' }).end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    failedCalls,
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
