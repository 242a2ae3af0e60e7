import type { ResolvedChainConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { BlockTimeUnknownError } from '../errors/BlockTimeUnknownError.js'
import { type ChainRpc, createChainRpc } from './createChainRpc.js'
import { redactUrl } from './redactUrl.js'

/**
 * Reads the timestamp of a finalized block. The query layer calls it only for a block at or below
 * the chain's finalized block whose header the database does not hold (the indexer stores headers
 * of blocks with facts and of every unfinalized block, not of every block).
 */
export type BlockTimestampReader = (chainId: number, blockNumber: number) => Promise<number>

/** Options of {@link createBlockTimestampReader}. */
export type CreateBlockTimestampReaderOptions = {
  /** Headers kept in memory (default 10,000; a finalized header never changes). */
  cacheSize?: number | undefined
  /**
   * The RPC client of a chain. Default: `createChainRpc` over its `rpcUrls` with 2 attempts per
   * call (an API request waiting on a dead RPC fails within about a second, not the indexer's 8).
   */
  rpcOf?: ((chain: ResolvedChainConfig) => ChainRpc) | undefined
}

/**
 * Block times over each chain's configured JSON-RPC (`eth_getBlockByNumber`), read once per block
 * and cached: the reader is only asked about finalized blocks, whose headers never change. The
 * clients are created on first use, so a server that is never asked about such a block makes no
 * RPC call. A chain read from a subgraph (no `rpcUrls`) cannot answer: the reader throws
 * {@link BlockTimeUnknownError} rather than guess.
 *
 * @param config The resolved config (chains and their RPC URLs).
 * @param options Cache size; the RPC client per chain.
 * @returns The reader, to pass as `QueryContext.blockTimestamp`.
 * @throws BlockTimeUnknownError (from the reader) for an unknown chain, a chain without
 *   `rpcUrls`, or an RPC failure (retryable).
 * @example
 * ```ts
 * const ctx = { db, config, blockTimestamp: createBlockTimestampReader(config) }
 * await loadPoolState(ctx, poolId, { at: { blocks: { 1: 21_000_000 } } })
 * ```
 */
export function createBlockTimestampReader(
  config: ResolvedIndexerConfig,
  options: CreateBlockTimestampReaderOptions = {},
): BlockTimestampReader {
  const cacheSize = options.cacheSize ?? 10_000
  const rpcOf = options.rpcOf ?? ((chain: ResolvedChainConfig) => createChainRpc(chain, { maxAttempts: 2 }))
  const clients = new Map<number, ChainRpc>()
  const cache = new Map<string, Promise<number>>()
  return (chainId, blockNumber) => {
    const key = `${chainId}:${blockNumber}`
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const chain = config.chains.find((c) => c.chainId === chainId)
    if (chain === undefined) {
      return Promise.reject(new BlockTimeUnknownError(chainId, blockNumber, 'the chain is not in the config'))
    }
    if (chain.rpcUrls.length === 0) {
      return Promise.reject(
        new BlockTimeUnknownError(
          chainId,
          blockNumber,
          `${chain.name} has no rpcUrls to read its header from`,
          {
            hint: 'Pin a block the indexer stored a header for, ask by time (`at`), or add rpcUrls to the chain.',
          },
        ),
      )
    }
    let rpc = clients.get(chainId)
    if (rpc === undefined) {
      rpc = rpcOf(chain)
      clients.set(chainId, rpc)
    }
    const read = rpc.getBlock(blockNumber).then(
      (header) => header.timestamp,
      (cause: unknown) => {
        cache.delete(key)
        throw new BlockTimeUnknownError(
          chainId,
          blockNumber,
          `eth_getBlockByNumber failed on ${chain.rpcUrls.map(redactUrl).join(', ')}`,
          {
            hint: 'Try again when the chain RPC answers.',
            retryable: true,
            cause,
          },
        )
      },
    )
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
    cache.set(key, read)
    return read
  }
}
