import { createServer, type IncomingMessage } from 'node:http'

/** What a {@link startCountingProxy} saw. */
export type RpcCounts = {
  /** Logs in `eth_getLogs` answers. */
  logs: number
  /** Calls per method. */
  methods: Record<string, number>
  /** `eth_getLogs` calls refused as "filter too big" (see `maxFilterValues`). */
  refused?: number
  /** Logs the proxy dropped from `eth_getLogs` answers (see `laggingBlocks`). */
  dropped: number
  /** Block hashes asked by `eth_getLogs` with `blockHash` (EIP-234), in order. */
  byHash: string[]
}

/** A JSON-RPC proxy that counts what its client received. */
export type CountingProxy = {
  url: string
  counts: RpcCounts
  /**
   * Most values in an `eth_getLogs` address list or topic OR-list before the proxy refuses the call
   * as geth does ("exceed max addresses or topics per search position"). Default: no limit.
   */
  maxFilterValues: number
  /**
   * Answer as a node behind a load balancer that has the newest headers but not their receipts:
   * an `eth_getLogs` by number range whose `toBlock` reaches the head loses the logs of the newest
   * `laggingBlocks` blocks (by `blockHash`, and every other call, pass through). Default 0: off.
   */
  laggingBlocks: number
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
  const counts: RpcCounts = { logs: 0, methods: {}, dropped: 0, byHash: [] }
  const proxy: CountingProxy = {
    url: '',
    counts,
    maxFilterValues: Number.POSITIVE_INFINITY,
    laggingBlocks: 0,
    onRequest: undefined,
    reset: () => {
      counts.logs = 0
      counts.methods = {}
      counts.refused = 0
      counts.dropped = 0
      counts.byHash = []
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
    // Calls with a filter too big are answered here, as geth would, one by one; the rest go on.
    const { forward, refusals } = refuseBigFilters(body, proxy.maxFilterValues)
    counts.refused = (counts.refused ?? 0) + refusals.length
    if (forward === undefined) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refusals[0]))
      return
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: forward,
    })
    let text = await upstream.text()
    if (proxy.laggingBlocks > 0) text = await dropNewestLogs(target, body, text, proxy.laggingBlocks, counts)
    try {
      const request = JSON.parse(body) as Call | Call[]
      const answer = JSON.parse(text) as Answer | Answer[]
      const calls = Array.isArray(request) ? request : [request]
      const answers = Array.isArray(answer) ? answer : [answer]
      const byId = new Map(answers.map((a) => [a.id, a]))
      for (const call of calls) {
        counts.methods[call.method] = (counts.methods[call.method] ?? 0) + 1
        const result = byId.get(call.id)?.result
        const blockHash = (call.params?.[0] as { blockHash?: string } | undefined)?.blockHash
        if (call.method === 'eth_getLogs' && blockHash !== undefined) counts.byHash.push(blockHash)
        if (call.method === 'eth_getLogs' && Array.isArray(result)) counts.logs += result.length
      }
    } catch {
      // Not JSON-RPC: forwarded uncounted.
    }
    const merged =
      refusals.length === 0 ? text : JSON.stringify([...(JSON.parse(text) as unknown[]), ...refusals])
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(merged)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  proxy.url = `http://127.0.0.1:${address.port}`
  return proxy
}

type Call = { id: number | string; method: string; params?: unknown[] }

/**
 * Splits a request into the calls to forward (a body, or undefined when none is left) and geth-style
 * refusals of the `eth_getLogs` calls whose filter has a list longer than `max`.
 */
function refuseBigFilters(body: string, max: number): { forward: string | undefined; refusals: object[] } {
  const none = { forward: body, refusals: [] }
  if (!Number.isFinite(max)) return none
  let parsed: Call | Call[]
  try {
    parsed = JSON.parse(body) as Call | Call[]
  } catch {
    return none
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed]
  const tooBig = (call: Call) => {
    if (call.method !== 'eth_getLogs') return false
    const filter = call.params?.[0] as { address?: unknown; topics?: unknown[] } | undefined
    const lists = [filter?.address, ...(filter?.topics ?? [])].filter(Array.isArray)
    return lists.some((list) => list.length > max)
  }
  const refused = calls.filter(tooBig)
  if (refused.length === 0) return none
  const refusals = refused.map((c) => ({
    jsonrpc: '2.0',
    id: c.id,
    error: { code: -32602, message: 'exceed max addresses or topics per search position' },
  }))
  const rest = calls.filter((c) => !tooBig(c))
  // A single call refused: answered alone. A batch: the rest forwarded as a batch (merged after).
  if (!Array.isArray(parsed) || rest.length === 0)
    return { forward: undefined, refusals: Array.isArray(parsed) ? [refusals] : refusals }
  return { forward: JSON.stringify(rest), refusals }
}

type Answer = { id: number | string; result?: unknown }

/**
 * The answer with the logs of the newest `blocks` blocks taken out of each `eth_getLogs` by number
 * range whose `toBlock` is at or past the head (asked of the node after it answered, so a block
 * mined meanwhile only widens what is dropped), counted in `counts.dropped`.
 */
async function dropNewestLogs(
  target: string,
  body: string,
  text: string,
  blocks: number,
  counts: RpcCounts,
): Promise<string> {
  let request: Call | Call[]
  let answer: Answer | Answer[]
  try {
    request = JSON.parse(body) as Call | Call[]
    answer = JSON.parse(text) as Answer | Answer[]
  } catch {
    return text
  }
  const calls = Array.isArray(request) ? request : [request]
  const ranged = new Map<number | string, number | 'latest'>()
  for (const call of calls) {
    const filter = call.params?.[0] as { blockHash?: string; toBlock?: string } | undefined
    if (call.method !== 'eth_getLogs' || filter === undefined || filter.blockHash !== undefined) continue
    const to = filter.toBlock ?? 'latest'
    ranged.set(call.id, to === 'latest' ? 'latest' : Number(to))
  }
  if (ranged.size === 0) return text
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'eth_blockNumber' }),
  })
  const head = Number(((await response.json()) as { result: string }).result)
  const lag = (a: Answer): Answer => {
    const to = ranged.get(a.id)
    if (to === undefined || !Array.isArray(a.result) || (to !== 'latest' && to < head)) return a
    const kept = (a.result as { blockNumber: string }[]).filter((l) => Number(l.blockNumber) <= head - blocks)
    counts.dropped += a.result.length - kept.length
    return { ...a, result: kept }
  }
  return JSON.stringify(Array.isArray(answer) ? answer.map(lag) : lag(answer))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}
