import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import type { BlockHeader, BlockTag, ChainRpc } from './createChainRpc.js'
import { RpcError } from './RpcError.js'

/** A file of cached RPC responses, shared by the chains of an indexer. */
export type RpcCache = {
  get: (key: string) => string | undefined
  set: (key: string, value: string) => void
  close: () => void
}

/**
 * Opens (creating if needed) a SQLite file of cached RPC responses. Only responses about finalized
 * blocks are ever stored, so entries never go stale; the file is separate from the index database
 * so that deleting the index and re-indexing reads the chains from it, with no RPC.
 *
 * @param file Path of the cache file (e.g. `.ballast/rpc-cache.sqlite`).
 * @returns The cache.
 * @example
 * ```ts
 * const cache = openRpcCache('.ballast/rpc-cache.sqlite')
 * ```
 */
export function openRpcCache(file: string): RpcCache {
  mkdirSync(dirname(file), { recursive: true })
  const db = new SqliteDatabase(file)
  db.pragma('journal_mode = WAL')
  db.exec('create table if not exists rpc_cache (key text primary key, value text not null)')
  const select = db.prepare<[string], { value: string }>('select value from rpc_cache where key = ?')
  const insert = db.prepare('insert or replace into rpc_cache (key, value) values (?, ?)')
  return {
    get: (key) => select.get(key)?.value,
    set: (key, value) => {
      insert.run(key, value)
    },
    close: () => db.close(),
  }
}

/**
 * Wraps a chain's RPC client so that `eth_getLogs` over finalized ranges, headers of finalized
 * blocks and `eth_call` at finalized blocks come from the cache when present and are stored after
 * a network answer. `latest` and anything above `finalized()` always go to the network.
 *
 * @param rpc The client to wrap.
 * @param cache The cache file.
 * @param finalized The chain's current finalized block number (head - finality depth).
 * @returns A client with the same interface; `stats.cacheHits` counts answers from the cache.
 * @example
 * ```ts
 * const cached = withRpcCache(createChainRpc(chain), openRpcCache(file), () => sync.status().finalized)
 * ```
 */
export function withRpcCache(rpc: ChainRpc, cache: RpcCache, finalized: () => number): ChainRpc {
  const prefix = `${rpc.chainId}:`
  const cached = async <T>(key: string, final: boolean, fetch: () => Promise<T>): Promise<T> => {
    if (final) {
      const hit = cache.get(prefix + key)
      if (hit !== undefined) {
        rpc.stats.cacheHits++
        return JSON.parse(hit) as T
      }
    }
    const value = await fetch()
    if (final) cache.set(prefix + key, JSON.stringify(value))
    return value
  }
  const getBlock = (block: number | BlockTag) =>
    typeof block === 'string'
      ? rpc.getBlock(block)
      : cached(`block:${block}`, block <= finalized(), () => rpc.getBlock(block))
  return {
    ...rpc,
    getLogs: (parameters) =>
      cached(`logs:${JSON.stringify(parameters)}`, parameters.toBlock <= finalized(), () =>
        rpc.getLogs(parameters),
      ),
    getBlock,
    getBlocks: async (blocks) => {
      const out = new Map<number, BlockHeader>()
      const missing: number[] = []
      for (const n of blocks) {
        const hit = n <= finalized() ? cache.get(`${prefix}block:${n}`) : undefined
        if (hit === undefined) missing.push(n)
        else {
          rpc.stats.cacheHits++
          out.set(n, JSON.parse(hit) as BlockHeader)
        }
      }
      for (const header of await rpc.getBlocks(missing)) {
        out.set(header.number, header)
        if (header.number <= finalized()) cache.set(`${prefix}block:${header.number}`, JSON.stringify(header))
      }
      return blocks.map((n) => out.get(n) as BlockHeader)
    },
    call: async (to, data, block) => {
      // A revert at a finalized block is as final as a result: cache it too.
      const outcome = await cached(`call:${to}:${data}:${block}`, block <= finalized(), async () => {
        try {
          return { result: await rpc.call(to, data, block) }
        } catch (error) {
          if (error instanceof RpcError && error.kind === 'fatal')
            return { revert: error.details ?? error.shortMessage }
          throw error
        }
      })
      if ('revert' in outcome) throw new RpcError('eth_call', rpc.chainId, 'fatal', new Error(outcome.revert))
      return outcome.result
    },
  }
}
