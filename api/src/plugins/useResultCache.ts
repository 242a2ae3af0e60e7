import { getOperationAST } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'

/**
 * A copy of `result` that serializes itself once: yoga calls a result's `stringify` to write the
 * response body, and a cached answer would otherwise be re-serialized on every hit (a third of
 * the CPU a cached 100-member answer costs).
 */
export function withMemoizedJson<T extends object>(result: T): T & { stringify: (r: unknown) => string } {
  let text: string | undefined
  return {
    ...result,
    stringify: (r: unknown) => {
      text ??= JSON.stringify(r)
      return text
    },
  }
}

/** Options of {@link useResultCache}. */
export type ResultCacheOptions = {
  /** How often the indexed heads are re-read to tell whether cached results are still current (ms). */
  maxAgeMs: number
  /** Most results kept (oldest dropped first). */
  maxEntries: number
  /** Subscribes to changes of the indexed data: the heads are re-read on the next request. */
  changes?: ((listener: () => void) => () => void) | undefined
}

/**
 * Caches query results until the indexer moves: every answer is a pure function of the query, its
 * variables and the indexed blocks, so a result is reused while the per-chain indexed heads are
 * unchanged (indexed, finalized and head block of every chain) and the keeper's journal is too
 * (its decisions are not chain facts). The heads are re-read at most
 * every `maxAgeMs` (one request pays for it), so an answer is at most that much older than the
 * database, and on the next request after `changes` reports new data. Results with errors, mutations and
 * subscriptions are never cached.
 *
 * @param dataSource - where the indexed heads are read.
 * @param options - staleness bound and size.
 * @returns a graphql-yoga plugin.
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useResultCache(dataSource, { maxAgeMs: 500, maxEntries: 1000 })] })
 * ```
 */
export function useResultCache(dataSource: ApiDataSource, options: ResultCacheOptions): Plugin {
  const cache = new Map<string, unknown>()
  // graphql-yoga's parser cache hands out one document per query text, so a document's identity
  // stands for its text: no printing and no long key per request.
  const documentIds = new WeakMap<object, number>()
  let nextDocumentId = 0
  let heads = ''
  let checkedAt = Number.NEGATIVE_INFINITY
  let checking: Promise<void> | undefined
  const refresh = async () => {
    if (performance.now() - checkedAt < options.maxAgeMs) return
    checking ??= (async () => {
      const [meta, journal] = await Promise.all([
        dataSource.syncMeta(),
        dataSource.keeperJournalVersion?.() ?? '',
      ])
      const chains = meta
        // The hash too: a reorg re-indexed to the same height changes nothing else.
        .map(
          (c) =>
            `${c.chainId}:${c.indexedBlock}:${c.indexedBlockHash ?? ''}:${c.finalizedBlock}:${c.headBlock}`,
        )
        .join(',')
      const next = `${chains}|${journal}`
      if (next !== heads) {
        heads = next
        cache.clear()
      }
      checkedAt = performance.now()
    })().finally(() => {
      checking = undefined
    })
    await checking
  }
  // Never unsubscribed: the listener lives as long as the API, which the subscriber outlives.
  options.changes?.(() => {
    checkedAt = Number.NEGATIVE_INFINITY
  })

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)
      if (operation?.operation !== 'query') return undefined
      await refresh()
      let documentId = documentIds.get(args.document)
      if (documentId === undefined) {
        documentId = nextDocumentId++
        documentIds.set(args.document, documentId)
      }
      // No heads in the key: the cache is cleared when they move, and a result computed under
      // older heads is not stored (below).
      const key = `${documentId}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`
      const hit = cache.get(key)
      if (hit !== undefined) {
        setResultAndStopExecution(hit as Parameters<typeof setResultAndStopExecution>[0])
        return undefined
      }
      const cachedHeads = heads
      return {
        onExecuteDone({ result }) {
          if (!('data' in result) || ('errors' in result && result.errors !== undefined)) return
          if (cachedHeads !== heads) return
          if (cache.size >= options.maxEntries) cache.delete(cache.keys().next().value as string)
          cache.set(key, withMemoizedJson(result))
        },
      }
    },
  }
}
