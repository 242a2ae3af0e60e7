import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { RpcErrorFamily } from '../src/rpc/RpcError.js'

/**
 * Limits a {@link startProviderServer} enforces, scaled down to a test history (a real provider's
 * 10,000 blocks would never be reached by a 40-block chain). The messages carry these numbers
 * where the provider's message carries its own, so a client that learns from them is tested.
 */
export type ProviderLimits = {
  /** Largest inclusive `eth_getLogs` block range. */
  blocks: number
  /** Most logs in one `eth_getLogs` answer. */
  results: number
  /** Most addresses (or topics at one position) in one filter. */
  filters: number
  /** Blocks below this are pruned (history expiry) or their state is gone (not an archive node). */
  prunedBelow: number
}

/** One provider's refusal: its JSON-RPC code and message, and an HTTP status when not 200. */
export type Refusal = { code: number; message: string; data?: unknown; httpStatus?: number }

/** A `eth_getLogs` call as the server saw it, with the logs the node behind has for it. */
export type LogsCall = {
  from: number
  to: number
  addresses: readonly string[]
  topics: readonly unknown[]
  logs: readonly { blockNumber: string }[]
  bytes: number
}

/** A provider family's behaviour: which calls it refuses and with what. */
export type ProviderProfile = {
  /** Who answers like this (REALWORLD.md). */
  provider: string
  /** The family the message belongs to. */
  family: RpcErrorFamily
  getLogs?: (call: LogsCall, limits: ProviderLimits) => Refusal | undefined
  /** Other methods: `block` is the block the call reads at, if it names one. */
  other?: (
    method: string,
    block: number | undefined,
    limits: ProviderLimits,
    served: number,
  ) => Refusal | undefined
}

const hex = (n: number) => `0x${n.toString(16)}`
const HEX = (n: number) => `0x${n.toString(16).toUpperCase()}`
const grouped = (n: number) => n.toLocaleString('en-US')
const blocks = (c: LogsCall) => c.to - c.from + 1
/** The last block from `from` whose logs up to it stay within `limit` (at least `from`). */
function fittingTo(c: LogsCall, limit: number): number {
  const counts = new Map<number, number>()
  for (const log of c.logs)
    counts.set(Number(log.blockNumber), (counts.get(Number(log.blockNumber)) ?? 0) + 1)
  let total = 0
  for (let b = c.from; b <= c.to; b++) {
    total += counts.get(b) ?? 0
    if (total > limit) return Math.max(c.from, b - 1)
  }
  return c.to
}
const overRange =
  (message: (l: ProviderLimits) => string, code: number, httpStatus?: number) =>
  (c: LogsCall, l: ProviderLimits): Refusal | undefined =>
    blocks(c) > l.blocks
      ? { code, message: message(l), ...(httpStatus === undefined ? {} : { httpStatus }) }
      : undefined
const overResults =
  (message: (l: ProviderLimits, c: LogsCall) => string, code: number) =>
  (c: LogsCall, l: ProviderLimits): Refusal | undefined =>
    c.logs.length > l.results ? { code, message: message(l, c) } : undefined
const pruned =
  (message: string, code: number) =>
  (_: string, block: number | undefined, l: ProviderLimits): Refusal | undefined =>
    block !== undefined && block < l.prunedBelow ? { code, message } : undefined

/**
 * The provider messages of ../shared/REALWORLD.md, verbatim but for the numbers the limits
 * scale (a range, a cap, a results limit), each enforced as the provider does.
 */
export const PROVIDER_PROFILES: Record<string, ProviderProfile> = {
  alchemySize: {
    provider: 'Alchemy (-32602)',
    family: 'suggested-range',
    getLogs: overResults(
      (_, c) =>
        `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [${hex(c.from)}, ${hex(fittingTo(c, _.results))}]`,
      -32602,
    ),
  },
  alchemyRange: {
    provider: 'Alchemy (-32600)',
    family: 'suggested-range',
    getLogs: (c, l) =>
      blocks(c) > l.blocks
        ? {
            code: -32600,
            message: `You can make eth_getLogs requests with up to a ${l.blocks} block range. Based on your parameters, this block range should work: [${hex(c.from)}, ${hex(c.from + l.blocks - 1)}]`,
          }
        : undefined,
  },
  infura: {
    provider: 'Infura (-32005, data {from, to, limit})',
    family: 'suggested-range',
    getLogs: (c, l) => {
      if (c.logs.length <= l.results) return undefined
      const to = fittingTo(c, l.results)
      return {
        code: -32005,
        message: `query returned more than ${l.results} results. Try with this block range [${HEX(c.from)}, ${HEX(to)}].`,
        data: { from: HEX(c.from), to: HEX(to), limit: l.results },
      }
    },
  },
  tenderly: {
    provider: 'Tenderly',
    family: 'suggested-range',
    getLogs: overResults(
      (l, c) =>
        `Query returned more than ${l.results} results. Try with this block range [${hex(c.from)}, ${hex(fittingTo(c, l.results))}].`,
      -32000,
    ),
  },
  quickNode413: {
    provider: 'QuickNode (-32614, HTTP 413)',
    family: 'range-cap',
    getLogs: overRange((l) => `eth_getLogs is limited to a ${grouped(l.blocks)} range`, -32614, 413),
  },
  quickNodeFilter: {
    provider: 'QuickNode',
    family: 'range-cap',
    getLogs: overRange(
      (l) => `eth_getLogs and eth_newFilter are limited to a ${grouped(l.blocks)} blocks range`,
      -32614,
    ),
  },
  oneRpcRange: {
    provider: '1RPC',
    family: 'range-cap',
    getLogs: overRange((l) => `eth_getLogs is limited to a ${l.blocks} blocks range`, -32000),
  },
  blockPi: {
    provider: 'BlockPI (-32602)',
    family: 'range-cap',
    getLogs: overRange(
      (l) =>
        `eth_getLogs is limited to ${l.blocks} block range. Please check the parameter requirements at https://docs.blockpi.io/documentations/api-reference`,
      -32602,
    ),
  },
  thirdweb: {
    provider: 'thirdweb (-32005)',
    family: 'range-cap',
    getLogs: overRange((l) => `Maximum allowed number of requested blocks is ${l.blocks}`, -32005),
  },
  geth: {
    provider: 'geth --rpc.rangelimit, PublicNode (-32000)',
    family: 'range-cap',
    getLogs: overRange((l) => `exceed maximum block range: ${l.blocks}`, -32000),
  },
  reth: {
    provider: 'reth (-32602)',
    family: 'range-cap',
    getLogs: overRange((l) => `query exceeds max block range ${l.blocks}`, -32602),
  },
  ankr: {
    provider: 'Ankr',
    family: 'range-cap',
    getLogs: overRange(() => 'block range is too wide', -32600),
  },
  chainstack: {
    provider: 'Chainstack',
    family: 'range-cap',
    getLogs: overRange(() => 'Block range limit exceeded.', -32000),
  },
  basePublic: {
    provider: 'Base public',
    family: 'range-cap',
    getLogs: overRange(() => 'block range too large', -32000),
  },
  arbitrum: {
    provider: 'Arbitrum public',
    family: 'too-dense',
    getLogs: overResults((l) => `logs matched by query exceeds limit of ${l.results}`, -32000),
  },
  optimismBackend: {
    provider: 'Optimism public',
    family: 'too-dense',
    getLogs: overResults(() => 'backend response too large', -32000),
  },
  optimismRange: {
    provider: 'Optimism public',
    family: 'too-dense',
    getLogs: overResults(() => 'Block range is too large', -32000),
  },
  rethResults: {
    provider: 'reth, LlamaRPC',
    family: 'too-dense',
    getLogs: overResults((l) => `query exceeds max results ${l.results}`, -32602),
  },
  oneRpcBytes: {
    provider: '1RPC',
    family: 'too-dense',
    // About 700 bytes per log: the byte limit of `results` logs.
    getLogs: (c, l) =>
      c.bytes > l.results * 700
        ? { code: -32000, message: `response size should not greater than ${l.results * 700} bytes` }
        : undefined,
  },
  queryTimeout: {
    provider: 'several (-32005)',
    family: 'too-dense',
    getLogs: overResults(() => 'query timeout exceeded', -32005),
  },
  noBackend: {
    provider: 'Base public',
    family: 'transient',
    // The first requests and then every fifth: a flapping load balancer.
    other: (_, __, ___, served) =>
      served < 2 || served % 5 === 0
        ? { code: -32011, message: 'no backend is currently healthy to serve traffic' }
        : undefined,
  },
  gethFilter: {
    provider: 'geth --rpc.logquerylimit, Alchemy, dRPC',
    family: 'filter-too-big',
    getLogs: (c, l) =>
      c.addresses.length > l.filters || c.topics.some((t) => Array.isArray(t) && t.length > l.filters)
        ? { code: -32602, message: 'exceed max addresses or topics per search position' }
        : undefined,
  },
  infuraFilter: {
    provider: 'Infura',
    family: 'filter-too-big',
    getLogs: (c, l) => {
      const n =
        c.addresses.length +
        c.topics.reduce<number>((s, t) => s + (Array.isArray(t) ? t.length : t === null ? 0 : 1), 0)
      return n > l.filters
        ? { code: -32005, message: `This query contains ${n} filters. The current limit is ${l.filters}.` }
        : undefined
    },
  },
  maxTopics: {
    provider: 'geth',
    family: 'filter-too-big',
    getLogs: (c) => (c.topics.length > 4 ? { code: -32602, message: 'exceed max topics' } : undefined),
  },
  prunedHistory: {
    provider: 'geth, reth, Nethermind after history expiry (4444)',
    family: 'unavailable',
    getLogs: (c, l) =>
      c.from < l.prunedBelow ? { code: 4444, message: 'pruned history unavailable' } : undefined,
    other: pruned('pruned history unavailable', 4444),
  },
  missingTrieNode: {
    provider: 'non-archive geth',
    family: 'unavailable',
    other: (method, block, l) =>
      method === 'eth_call' && block !== undefined && block < l.prunedBelow
        ? {
            code: -32000,
            message: `missing trie node ${'ab'.repeat(32)} (path ) state 0x${'cd'.repeat(32)} is not available`,
          }
        : undefined,
  },
  headerNotFound: {
    provider: 'non-archive nodes',
    family: 'unavailable',
    other: (method, block, l) =>
      method === 'eth_call' && block !== undefined && block < l.prunedBelow
        ? { code: -32000, message: 'header not found' }
        : undefined,
  },
}

/** What a {@link startProviderServer} saw. */
export type ProviderServer = {
  url: string
  /** Every `eth_getLogs` call, in arrival order, with whether it was refused. */
  logsCalls: (LogsCall & { refused: Refusal | undefined })[]
  /** Requests (JSON-RPC calls) by method, and refusals by method. */
  calls: Record<string, number>
  refusals: Record<string, number>
  close: () => Promise<void>
}

type RpcCall = { id: unknown; method: string; params?: unknown[] }

/**
 * A JSON-RPC server in front of a real node (anvil) that answers as one provider does
 * ({@link PROVIDER_PROFILES}): each call is served by the node, then checked against the
 * profile's limits (a range cap, a results or byte limit, a filter size, pruned blocks), and
 * refused with the provider's code and message (and HTTP status: QuickNode's 413) when over.
 * Any path is served, so a URL can carry a key in its path or query.
 *
 * @param target URL of the real node.
 * @param profile The provider to act as.
 * @param limits Its limits, scaled to the test's history.
 * @returns The server and what it saw.
 */
export async function startProviderServer(
  target: string,
  profile: ProviderProfile,
  limits: ProviderLimits,
): Promise<ProviderServer> {
  const logsCalls: ProviderServer['logsCalls'] = []
  const calls: Record<string, number> = {}
  const refusals: Record<string, number> = {}
  let served = 0
  const forward = async (call: RpcCall) => {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', ...call }),
    })
    return (await response.json()) as { id: unknown; result?: unknown; error?: unknown }
  }
  const answer = async (call: RpcCall): Promise<{ body: unknown; httpStatus?: number | undefined }> => {
    calls[call.method] = (calls[call.method] ?? 0) + 1
    let refusal: Refusal | undefined
    let upstream: { id: unknown; result?: unknown; error?: unknown } | undefined
    if (call.method === 'eth_getLogs') {
      const filter = (call.params?.[0] ?? {}) as {
        fromBlock?: string
        toBlock?: string
        address?: string | string[]
        topics?: unknown[]
        blockHash?: string
      }
      upstream = await forward(call)
      const logs = Array.isArray(upstream.result) ? (upstream.result as { blockNumber: string }[]) : []
      if (filter.blockHash === undefined) {
        const logsCall: LogsCall = {
          from: Number(filter.fromBlock),
          to: Number(filter.toBlock),
          addresses:
            filter.address === undefined
              ? []
              : Array.isArray(filter.address)
                ? filter.address
                : [filter.address],
          topics: filter.topics ?? [],
          logs,
          bytes: JSON.stringify(logs).length,
        }
        refusal =
          profile.getLogs?.(logsCall, limits) ?? profile.other?.(call.method, logsCall.to, limits, served)
        logsCalls.push({ ...logsCall, refused: refusal })
      }
    } else {
      const block = blockOf(call)
      refusal = profile.other?.(call.method, block, limits, served)
      if (refusal === undefined) upstream = await forward(call)
    }
    served++
    if (refusal !== undefined) {
      refusals[call.method] = (refusals[call.method] ?? 0) + 1
      const error = {
        code: refusal.code,
        message: refusal.message,
        ...(refusal.data === undefined ? {} : { data: refusal.data }),
      }
      return { body: { jsonrpc: '2.0', id: call.id, error }, httpStatus: refusal.httpStatus }
    }
    return { body: { jsonrpc: '2.0', ...upstream, id: call.id } }
  }
  const server: Server = createServer(async (req, res) => {
    try {
      const parsed = JSON.parse(await readBody(req)) as RpcCall | RpcCall[]
      const list = Array.isArray(parsed) ? parsed : [parsed]
      const answers = await Promise.all(list.map(answer))
      const status = answers.find((a) => a.httpStatus !== undefined)?.httpStatus
      // A provider that refuses with an HTTP status refuses the whole request with one error.
      const body =
        status !== undefined
          ? answers.find((a) => a.httpStatus !== undefined)?.body
          : Array.isArray(parsed)
            ? answers.map((a) => a.body)
            : answers[0]?.body
      res.writeHead(status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    logsCalls,
    calls,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The block a call reads at (`eth_call`'s block tag, `eth_getBlockByNumber`'s number). */
function blockOf(call: RpcCall): number | undefined {
  const tag =
    call.method === 'eth_call' || call.method === 'eth_getBalance'
      ? call.params?.[1]
      : call.method === 'eth_getBlockByNumber'
        ? call.params?.[0]
        : undefined
  return typeof tag === 'string' && tag.startsWith('0x') ? Number(tag) : undefined
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString()))
    req.on('error', reject)
  })
}
