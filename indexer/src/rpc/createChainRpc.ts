import { type Address, fallback, type Hex, http } from 'viem'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import { bufferedFetch, MAX_RESPONSE_BYTES } from './bufferedFetch.js'
import { createRateLimiter } from './createRateLimiter.js'
import { classifyRpcError, RpcError } from './RpcError.js'

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
export type BlockHeader = { number: number; hash: Hex; parentHash: Hex; timestamp: number }

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
  getLogs: (parameters: GetLogsParameters) => Promise<RpcLog[]>
  getBlock: (block: number | 'latest') => Promise<BlockHeader>
  /** Headers of several blocks, sent as one JSON-RPC batch. */
  getBlocks: (blocks: readonly number[]) => Promise<BlockHeader[]>
  call: (to: Address, data: Hex, block: number) => Promise<Hex>
  /** Calls sent so far (each retry counts), in total and per method: for logs, tests and benchmarks. */
  stats: RpcStats
}

/** Request counters of a {@link ChainRpc}. */
export type RpcStats = {
  requests: number
  retries: number
  methods: Record<string, number>
  cacheHits: number
}

/** Options of {@link createChainRpc} beyond the chain's config. */
export type CreateChainRpcOptions = {
  /** Attempts per call for retryable failures (default 8). */
  maxAttempts?: number | undefined
  /** First backoff delay in ms, doubled per attempt up to 5 s, with jitter (default 100). */
  backoff?: number | undefined
  /** Largest response body accepted, in bytes (default {@link MAX_RESPONSE_BYTES}, 10 MiB). */
  maxResponseBytes?: number | undefined
}

/**
 * Builds the RPC client of one chain on viem's transports: an `http` transport per URL with
 * JSON-RPC batching (concurrent calls share one HTTP request) and bodies read whole up to a size
 * limit ({@link bufferedFetch}), wrapped in `fallback` (a failing URL hands over to the next),
 * behind a token-bucket rate limit. Retries are ours, not viem's, so
 * that "too many results" reaches the caller at once (it splits the range) while 429s, 5xx and
 * timeouts back off exponentially with jitter.
 *
 * @param chain The resolved chain config (URLs, rate limit, timeout).
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
  const transport = fallback(
    chain.rpcUrls.map((url) =>
      http(url, {
        batch: { batchSize: 100 },
        retryCount: 0,
        timeout: chain.rpcTimeout,
        fetchFn: bufferedFetch(options.maxResponseBytes ?? MAX_RESPONSE_BYTES),
        maxResponseBodySize: false,
      }),
    ),
    { retryCount: 0 },
  )({ retryCount: 0 })
  const limiter = createRateLimiter(chain.rateLimit)
  const stats: RpcStats = { requests: 0, retries: 0, methods: {}, cacheHits: 0 }

  const request = async <T>(method: string, params: unknown[]): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire()
      stats.requests++
      stats.methods[method] = (stats.methods[method] ?? 0) + 1
      try {
        return (await transport.request({ method, params } as never)) as T
      } catch (error) {
        let kind = classifyRpcError(error)
        if (kind === 'range' && method !== 'eth_getLogs') kind = 'transient'
        // eth_getLogs: the caller shrinks the range on a timeout, which helps more than a retry.
        if (kind === 'fatal' || kind === 'range' || (kind === 'timeout' && method === 'eth_getLogs')) {
          throw new RpcError(method, chain.chainId, kind, error)
        }
        if (attempt >= maxAttempts) throw new RpcError(method, chain.chainId, kind, error)
        stats.retries++
        const delay = Math.min(5_000, backoff * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  const toHeader = (
    block: { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex } | null,
    id: unknown,
  ) => {
    if (block === null) {
      throw new RpcError(
        'eth_getBlockByNumber',
        chain.chainId,
        'transient',
        new Error(`block ${id} not found`),
      )
    }
    return {
      number: Number(block.number),
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: Number(block.timestamp),
    }
  }
  const getBlock = async (block: number | 'latest') => {
    const tag = block === 'latest' ? 'latest' : `0x${block.toString(16)}`
    return toHeader(await request('eth_getBlockByNumber', [tag, false]), block)
  }

  return {
    chainId: chain.chainId,
    stats,
    getLogs: ({ address, fromBlock, toBlock, topics }) =>
      request<RpcLog[]>('eth_getLogs', [
        {
          address,
          fromBlock: `0x${fromBlock.toString(16)}`,
          toBlock: `0x${toBlock.toString(16)}`,
          ...(topics === undefined ? {} : { topics }),
        },
      ]),
    getBlock,
    getBlocks: (blocks) => Promise.all(blocks.map((n) => getBlock(n))),
    call: (to, data, block) => request<Hex>('eth_call', [{ to, data }, `0x${block.toString(16)}`]),
  }
}
