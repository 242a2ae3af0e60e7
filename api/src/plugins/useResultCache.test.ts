import { describe, expect, it, vi } from 'vitest'
import { createApi } from '../createApi.js'
import type { ApiDataSource, ChainSyncMeta } from '../dataSource/ApiDataSource.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { examplePoolState } from '../testing/examplePoolState.js'
import { withMemoizedJson } from './useResultCache.js'

describe('useResultCache', () => {
  it('reuses a result until the indexed heads move', async () => {
    const t0 = 1_764_000_000
    const states = [examplePoolState(t0)]
    let meta: ChainSyncMeta[] = [
      {
        chainId: 31337,
        name: 'alpha',
        indexedBlock: 1n,
        indexedTimestamp: t0,
        finalizedBlock: 0n,
        headBlock: 1n,
      },
    ]
    const memory = createMemoryDataSource({ states, syncMeta: () => meta })
    let loads = 0
    let journal = ''
    const dataSource: ApiDataSource = {
      ...memory,
      keeperJournalVersion: async () => journal,
      loadPoolStates: (r) => {
        loads++
        return memory.loadPoolStates(r)
      },
    }
    const api = createApi({ dataSource, logging: false, resultCache: { maxAgeMs: 0, maxEntries: 10 } })
    const ask = async () => {
      const res = await api.fetch('http://ballast/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ pool(id: "0x${'11'.repeat(32)}") { at } }` }),
      })
      return ((await res.json()) as { data: { pool: { at: number } } }).data.pool.at
    }
    expect(await ask()).toBe(t0)
    expect(await ask()).toBe(t0)
    expect(loads).toBe(1)
    states.push(examplePoolState(t0 + 60))
    meta = [{ ...meta[0]!, indexedBlock: 2n, headBlock: 2n }]
    expect(await ask()).toBe(t0 + 60)
    expect(loads).toBe(2)
    // A reorg re-indexed to the same height: only the indexed block's hash tells it apart.
    states.push(examplePoolState(t0 + 120))
    meta = [{ ...meta[0]!, indexedBlockHash: `0x${'ab'.repeat(32)}` }]
    expect(await ask()).toBe(t0 + 120)
    expect(loads).toBe(3)
    // The keeper's journal is not a chain fact: a new decision at the same heads is a new answer.
    journal = 'decision 1'
    states.push(examplePoolState(t0 + 180))
    expect(await ask()).toBe(t0 + 180)
    expect(loads).toBe(4)
    expect(await ask()).toBe(t0 + 180)
    expect(loads).toBe(4)
  })

  it('re-reads the heads on the request after a change is reported, not maxAgeMs later', async () => {
    const t0 = 1_764_000_000
    const states = [examplePoolState(t0)]
    let meta: ChainSyncMeta[] = [
      {
        chainId: 31337,
        name: 'alpha',
        indexedBlock: 1n,
        indexedTimestamp: t0,
        finalizedBlock: 0n,
        headBlock: 1n,
      },
    ]
    const dataSource = createMemoryDataSource({ states, syncMeta: () => meta })
    const listeners = new Set<() => void>()
    const api = createApi({
      dataSource,
      logging: false,
      resultCache: { maxAgeMs: 3_600_000, maxEntries: 10 },
      changes: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    })
    const ask = async () => {
      const res = await api.fetch('http://ballast/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ pool(id: "0x${'11'.repeat(32)}") { at } }` }),
      })
      return ((await res.json()) as { data: { pool: { at: number } } }).data.pool.at
    }
    expect(await ask()).toBe(t0)
    states.push(examplePoolState(t0 + 60))
    meta = [{ ...meta[0]!, indexedBlock: 2n, headBlock: 2n }]
    // Within maxAgeMs and nothing reported: the cached answer.
    expect(await ask()).toBe(t0)
    expect(listeners.size).toBe(1)
    for (const listener of listeners) listener()
    expect(await ask()).toBe(t0 + 60)
  })

  it('serializes a cached result once, however often it is served', () => {
    const cached = withMemoizedJson({ data: { pool: { at: 1 } } })
    const spy = vi.spyOn(JSON, 'stringify')
    try {
      const first = cached.stringify(cached)
      const second = cached.stringify(cached)
      expect(first).toBe('{"data":{"pool":{"at":1}}}')
      expect(second).toBe(first)
      expect(spy).toHaveBeenCalledTimes(1)
    } finally {
      spy.mockRestore()
    }
  })
})
