import { createServer, type IncomingMessage } from 'node:http'

/** What a {@link startCountingProxy} saw. */
export type RpcCounts = {
  /** Logs in `eth_getLogs` answers. */
  logs: number
  /** Calls per method. */
  methods: Record<string, number>
}

/** A JSON-RPC proxy that counts what its client received. */
export type CountingProxy = {
  url: string
  counts: RpcCounts
  /** Called with the methods of each request before it is forwarded (e.g. to kill a client mid-call). */
  onRequest: ((methods: string[]) => void) | undefined
  reset: () => void
  close: () => Promise<void>
}

/**
 * Starts an HTTP proxy to `target` that forwards every JSON-RPC request (single or batch) as is and
 * counts the calls per method and the logs in `eth_getLogs` answers: what an indexer really
 * fetched, measured outside it.
 *
 * @param target URL of the real node.
 * @returns The proxy (port chosen by the OS).
 * @example
 * ```ts
 * const proxy = await startCountingProxy(chain.rpcUrl)
 * // ... index through proxy.url ...
 * expect(proxy.counts.logs).toBeLessThan(1_000)
 * ```
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const counts: RpcCounts = { logs: 0, methods: {} }
  const proxy: CountingProxy = {
    url: '',
    counts,
    onRequest: undefined,
    reset: () => {
      counts.logs = 0
      counts.methods = {}
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  const server = createServer(async (req, res) => {
    const body = await readBody(req)
    if (proxy.onRequest !== undefined) {
      try {
        const request = JSON.parse(body) as Call | Call[]
        proxy.onRequest((Array.isArray(request) ? request : [request]).map((c) => c.method))
      } catch {
        // Not JSON-RPC.
      }
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    const text = await upstream.text()
    try {
      const request = JSON.parse(body) as Call | Call[]
      const answer = JSON.parse(text) as Answer | Answer[]
      const calls = Array.isArray(request) ? request : [request]
      const answers = Array.isArray(answer) ? answer : [answer]
      const byId = new Map(answers.map((a) => [a.id, a]))
      for (const call of calls) {
        counts.methods[call.method] = (counts.methods[call.method] ?? 0) + 1
        const result = byId.get(call.id)?.result
        if (call.method === 'eth_getLogs' && Array.isArray(result)) counts.logs += result.length
      }
    } catch {
      // Not JSON-RPC: forwarded uncounted.
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  proxy.url = `http://127.0.0.1:${address.port}`
  return proxy
}

type Call = { id: number | string; method: string }
type Answer = { id: number | string; result?: unknown }

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}
