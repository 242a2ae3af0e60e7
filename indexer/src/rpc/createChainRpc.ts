import { type Address, type Hex, http } from 'viem'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import { bufferedFetch, MAX_RESPONSE_BYTES } from './bufferedFetch.js'
import { createRateLimiter } from './createRateLimiter.js'
import { classifyRpcError, RpcError, type RpcErrorClass } from './RpcError.js'
import { redactUrl } from './redactUrl.js'

/** A log as JSON-RPC returns it (quantities still hex). */
export type RpcLog = {
  address: Address
  topics: Hex[]
  data: Hex
  blockNumber: Hex
  blockHash: Hex
  logIndex: Hex
  transactionHash: Hex
  /** Some nodes (anvil, recent geth) include it; saves a header fetch. */
  blockTimestamp?: Hex | undefined
  removed?: boolean | undefined
}

/** The parts of a block header the indexer keeps. */
export type BlockHeader = {
  number: number
  hash: Hex
  parentHash: Hex
  timestamp: number
  /** The block's logs bloom, when the node gave it: which blocks may hold a filter's logs. */
  logsBloom?: Hex | undefined
}

/** A block tag the node resolves itself. */
export type BlockTag = 'latest' | 'finalized' | 'safe'

/** Filter of one `eth_getLogs` call. */
export type GetLogsParameters = {
  address: readonly Address[]
  fromBlock: number
  toBlock: number
  /** topic0 alternatives, then optional topic1/topic2 filters. */
  topics?: readonly (Hex | readonly Hex[] | null)[] | undefined
}

/** JSON-RPC access to one chain: rate-limited, retried with backoff, failing over across URLs. */
export type ChainRpc = {
  chainId: number
  /**
   * Any JSON-RPC call with the same retries, failover and redaction (what a viem `custom`
   * transport needs: the keeper's reads and dry runs). A revert is `fatal`, its data in `cause`.
   */
  request: <T = unknown>(method: string, params: unknown[]) => Promise<T>
  getLogs: (parameters: GetLogsParameters) => Promise<RpcLog[]>
  /** The logs of one block by its hash (EIP-234): what a node answers for exactly that block. */
  getLogsByBlockHash: (
    parameters: Omit<GetLogsParameters, 'fromBlock' | 'toBlock'> & { blockHash: Hex },
  ) => Promise<RpcLog[]>
  /** A header by number or tag; a tag the node does not know (`finalized` on an old node) rejects as `fatal`. */
  getBlock: (block: number | BlockTag) => Promise<BlockHeader>
  /** Headers of several blocks, sent as one JSON-RPC batch. */
  getBlocks: (blocks: readonly number[]) => Promise<BlockHeader[]>
  call: (to: Address, data: Hex, block: number) => Promise<Hex>
  /** `eth_chainId`, retried like every call. */
  getChainId: () => Promise<number>
  /** `eth_getCode` at a block (or the head). */
  getCode: (address: Address, block: number | BlockTag) => Promise<Hex>
  /** `eth_getBalance` at a block: the cheapest read of state at a block (an archive check). */
  getBalance: (address: Address, block: number | BlockTag) => Promise<bigint>
  /** Calls sent so far (each retry counts), in total and per method: for logs, tests and benchmarks. */
  stats: RpcStats
  /** What was learnt per URL (redacted): its `eth_getLogs` range cap, whether it lacks history. */
  endpoints: () => EndpointState[]
}

/** Request counters of a {@link ChainRpc}. */
export type RpcStats = {
  requests: number
  retries: number
  methods: Record<string, number>
  cacheHits: number
  /** Failed calls by error family (`range-cap`, `transient`, …). */
  failures: Record<string, number>
  /** Failed calls by method, then error family (the same failures as `failures`). */
  errors: Record<string, Record<string, number>>
}

/** What a {@link ChainRpc} knows about one of its URLs. */
export type EndpointState = {
  /** The URL, redacted ({@link redactUrl}). */
  url: string
  /** Largest inclusive `eth_getLogs` range the endpoint said it serves. */
  logRangeCap: number | undefined
  /** The highest block the endpoint said it cannot serve (pruned history, no archive state). */
  unavailableTo: number | undefined
}

/** Options of {@link createChainRpc} beyond the chain's config. */
export type CreateChainRpcOptions = {
  /** Attempts per call for retryable failures (default 8). */
  maxAttempts?: number | undefined
  /** First backoff delay in ms, doubled per attempt up to 5 s, with jitter (default 100). */
  backoff?: number | undefined
  /** Largest response body accepted, in bytes (default {@link MAX_RESPONSE_BYTES}, 10 MiB). */
  maxResponseBytes?: number | undefined
  /** Longest wait honoured from a 429's `Retry-After`, in ms (default 30 s). */
  maxRetryAfter?: number | undefined
}

type Endpoint = {
  label: string
  request: (args: { method: string; params: unknown[] }) => Promise<unknown>
  /** Not used again before this time (ms, performance.now): a backoff or a `Retry-After`. */
  notBefore: number
  failures: number
  cap: number | undefined
  unavailableTo: number | undefined
  unavailable: RpcError | undefined
}

/**
 * Builds the RPC client of one chain on viem's `http` transport: one transport per URL with
 * JSON-RPC batching (concurrent calls share one HTTP request, `rpcBatchSize` per batch) and
 * bodies read whole up to a size limit ({@link bufferedFetch}), behind a token-bucket rate limit.
 * Retries and failover are ours, not viem's:
 *
 * - a call goes to the first URL not backing off; a transient failure (5xx, 429, reset, stall,
 *   truncated body, head race) backs that URL off (a 429's `Retry-After`, else exponential with
 *   jitter) and the retry goes to the next URL, up to `maxAttempts` in all;
 * - "too many results", a range cap, a suggested range (`kind: 'range'`) and "filter too big"
 *   (`'filter'`) reach the caller at once: it resizes the range or splits the filter; a cap is
 *   also remembered per URL;
 * - "cannot serve it" (pruned history, missing trie node, code 4444) marks the URL unusable for
 *   blocks up to the one asked and moves on; when no URL is left, the error is fatal with a hint.
 *
 * Every error and message names a URL only redacted: viem's transport is given the redacted URL
 * and the real one is used inside `fetch` alone, so a key in the path or query never reaches an
 * error built by viem.
 *
 * @param chain The resolved chain config (URLs, rate limit, timeout, batch size).
 * @param options Retry policy.
 * @returns The client.
 * @example
 * ```ts
 * const rpc = createChainRpc(config.chains[0])
 * const head = await rpc.getBlock('latest')
 * ```
 */
export function createChainRpc(chain: ResolvedChainConfig, options: CreateChainRpcOptions = {}): ChainRpc {
  const maxAttempts = options.maxAttempts ?? 8
  const backoff = options.backoff ?? 100
  const maxRetryAfter = options.maxRetryAfter ?? 30_000
  const batchSize = chain.rpcBatchSize ?? 100
  const endpoints: Endpoint[] = chain.rpcUrls.map((url) => {
    const label = redactUrl(url)
    const transport = http(label, {
      batch: batchSize > 1 ? { batchSize } : false,
      retryCount: 0,
      timeout: chain.rpcTimeout,
      fetchFn: secretFetch(url, bufferedFetch(options.maxResponseBytes ?? MAX_RESPONSE_BYTES)),
      maxResponseBodySize: false,
    })({ retryCount: 0 })
    return {
      label,
      request: (args) => transport.request(args as never),
      notBefore: 0,
      failures: 0,
      cap: undefined,
      unavailableTo: undefined,
      unavailable: undefined,
    }
  })
  const limiter = createRateLimiter(chain.rateLimit)
  const stats: RpcStats = { requests: 0, retries: 0, methods: {}, cacheHits: 0, failures: {}, errors: {} }
  const delayOf = (attempt: number) =>
    Math.min(5_000, backoff * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)

  /**
   * One call with retries and failover. `block` is the highest block the call touches (for
   * "cannot serve it"), undefined for the head.
   */
  const request = async <T>(method: string, params: unknown[], block?: number): Promise<T> => {
    let last: { error: unknown; c: RpcErrorClass; endpoint: Endpoint } | undefined
    for (let attempt = 1; ; attempt++) {
      const usable = endpoints.filter(
        (e) => block === undefined || e.unavailableTo === undefined || block > e.unavailableTo,
      )
      if (usable.length === 0) {
        const unavailable = endpoints.find((e) => e.unavailable !== undefined)?.unavailable
        throw new RpcError(
          method,
          chain.chainId,
          {
            family: 'unavailable',
            kind: 'unavailable',
            retryable: false,
            hint: `No RPC URL of chain ${chain.name} (${chain.chainId}) serves block ${block}: add an archive node URL to chains[].rpcUrls, or set a later startBlock.`,
          },
          unavailable?.cause,
          endpoints.map((e) => e.label).join(', '),
        )
      }
      const now = performance.now()
      const ready = usable.find((e) => e.notBefore <= now)
      const endpoint = ready ?? usable.reduce((a, b) => (b.notBefore < a.notBefore ? b : a))
      if (ready === undefined) await sleep(endpoint.notBefore - now)
      await limiter.acquire()
      stats.requests++
      stats.methods[method] = (stats.methods[method] ?? 0) + 1
      try {
        const result = (await endpoint.request({ method, params })) as T
        endpoint.failures = 0
        return result
      } catch (error) {
        const c = classifyRpcError(error)
        if (c.kind === 'range' && method !== 'eth_getLogs')
          Object.assign(c, { kind: 'transient', family: 'transient' })
        if (c.kind === 'filter' && method !== 'eth_getLogs')
          Object.assign(c, { kind: 'fatal', retryable: false })
        stats.failures[c.family] = (stats.failures[c.family] ?? 0) + 1
        const byFamily = stats.errors[method] ?? {}
        stats.errors[method] = byFamily
        byFamily[c.family] = (byFamily[c.family] ?? 0) + 1
        last = { error, c, endpoint }
        if (c.kind === 'unavailable') {
          endpoint.unavailableTo = Math.max(endpoint.unavailableTo ?? -1, block ?? Number.MAX_SAFE_INTEGER)
          endpoint.unavailable = new RpcError(method, chain.chainId, c, error, endpoint.label)
          if (attempt >= maxAttempts + endpoints.length) throw endpoint.unavailable
          continue
        }
        if (c.kind === 'range' && c.cap !== undefined) endpoint.cap = Math.min(endpoint.cap ?? c.cap, c.cap)
        // eth_getLogs: the caller shrinks the range on a timeout, which helps more than a retry.
        if (
          c.kind === 'fatal' ||
          c.kind === 'range' ||
          c.kind === 'filter' ||
          (c.kind === 'timeout' && method === 'eth_getLogs')
        ) {
          if (c.kind === 'timeout') endpoint.notBefore = performance.now() + delayOf(++endpoint.failures)
          throw new RpcError(method, chain.chainId, c, error, endpoint.label)
        }
        endpoint.failures++
        const wait =
          c.retryAfterMs !== undefined ? Math.min(maxRetryAfter, c.retryAfterMs) : delayOf(endpoint.failures)
        endpoint.notBefore = performance.now() + wait
        if (attempt >= maxAttempts)
          throw new RpcError(method, chain.chainId, last.c, last.error, endpoint.label)
        stats.retries++
      }
    }
  }

  const toHeader = (
    block: { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex; logsBloom?: Hex } | null,
    id: unknown,
  ): BlockHeader => {
    if (block === null) {
      // A number not there yet on this node (a head race behind a load balancer): retryable; a tag
      // the node has no block for (`finalized` before any finality): it will not have one on retry.
      throw new RpcError(
        'eth_getBlockByNumber',
        chain.chainId,
        typeof id === 'string' ? 'fatal' : 'transient',
        new Error(`block ${id} not found`),
      )
    }
    return {
      number: Number(block.number),
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: Number(block.timestamp),
      ...(block.logsBloom === undefined ? {} : { logsBloom: block.logsBloom }),
    }
  }
  const getBlock = async (block: number | BlockTag) => {
    const tag = typeof block === 'string' ? block : `0x${block.toString(16)}`
    for (let attempt = 1; ; attempt++) {
      try {
        return toHeader(
          await request('eth_getBlockByNumber', [tag, false], typeof block === 'number' ? block : undefined),
          block,
        )
      } catch (error) {
        // A null header is retried here (the transport saw a valid answer); tags are never null.
        if (
          !(error instanceof RpcError) ||
          error.kind !== 'transient' ||
          attempt >= maxAttempts ||
          typeof block === 'string'
        )
          throw error
        stats.retries++
        await sleep(delayOf(attempt))
      }
    }
  }

  return {
    chainId: chain.chainId,
    stats,
    request: (method, params) => request(method, params),
    getLogs: ({ address, fromBlock, toBlock, topics }) =>
      request<RpcLog[]>(
        'eth_getLogs',
        [
          {
            address,
            fromBlock: `0x${fromBlock.toString(16)}`,
            toBlock: `0x${toBlock.toString(16)}`,
            ...(topics === undefined ? {} : { topics }),
          },
        ],
        toBlock,
      ),
    getLogsByBlockHash: ({ address, topics, blockHash }) =>
      request<RpcLog[]>('eth_getLogs', [{ address, blockHash, ...(topics === undefined ? {} : { topics }) }]),
    getBlock,
    getBlocks: (blocks) => Promise.all(blocks.map((n) => getBlock(n))),
    call: (to, data, block) => request<Hex>('eth_call', [{ to, data }, `0x${block.toString(16)}`], block),
    getChainId: async () => Number(await request<Hex>('eth_chainId', [])),
    getCode: (address, block) =>
      request<Hex>(
        'eth_getCode',
        [address, blockParam(block)],
        typeof block === 'number' ? block : undefined,
      ),
    getBalance: async (address, block) =>
      BigInt(
        await request<Hex>(
          'eth_getBalance',
          [address, blockParam(block)],
          typeof block === 'number' ? block : undefined,
        ),
      ),
    endpoints: () =>
      endpoints.map((e) => ({ url: e.label, logRangeCap: e.cap, unavailableTo: e.unavailableTo })),
  }
}

/**
 * The `fetch` given to viem for one URL: viem only ever sees the redacted URL (so its errors and
 * messages carry no key); the request goes to the real one. User info (`https://user:pass@host`)
 * becomes a Basic `Authorization` header, as viem would do, since `fetch` refuses it in the URL.
 */
function secretFetch(url: string, inner: typeof fetch): typeof fetch {
  const parsed = new URL(url)
  const auth =
    parsed.username === ''
      ? undefined
      : `Basic ${btoa(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`)}`
  parsed.username = ''
  parsed.password = ''
  const target = parsed.toString()
  return (_input, init) => {
    if (auth === undefined) return inner(target, init)
    const headers = new Headers(init?.headers)
    headers.set('authorization', auth)
    return inner(target, { ...init, headers })
  }
}

function blockParam(block: number | BlockTag): string {
  return typeof block === 'string' ? block : `0x${block.toString(16)}`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
