import { describe, expect, it } from 'vitest'
import { examplePoolState } from '../testing/examplePoolState.js'
import type { ApiDataSource } from './ApiDataSource.js'
import { createMemoryDataSource } from './createMemoryDataSource.js'
import { drainableDataSource } from './drainableDataSource.js'

describe('drainableDataSource', () => {
  it('closes only after the calls and held work in progress settled, then refuses new calls', async () => {
    const memory = createMemoryDataSource({ states: [examplePoolState(1_764_000_000)] })
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const slow: ApiDataSource = {
      ...memory,
      listPools: async () => {
        await gate
        return memory.listPools()
      },
    }
    const drain = drainableDataSource(slow)
    const pools = drain.dataSource.listPools()
    let heldDone = false
    void drain.hold(gate.then(() => (heldDone = true)))
    let closed = false
    const closing = drain.close().then(() => (closed = true))
    expect(drain.signal.aborted).toBe(true)
    // Still readable while draining: the request in progress may need its next read.
    await expect(drain.dataSource.syncMeta()).resolves.toEqual([])
    await Promise.resolve()
    expect(closed).toBe(false)
    release()
    await closing
    expect(heldDone).toBe(true)
    expect((await pools).length).toBe(1)
    await expect(drain.dataSource.listChains()).rejects.toThrow('The API is shutting down.')
    // Safe to call twice.
    await drain.close()
  })
})
