import { describe, expect, it } from 'vitest'
import { loadTest } from './loadTest.js'

describe('loadTest', () => {
  it('issues exactly the bounded number of requests, never more than `concurrency` at once', async () => {
    let calls = 0
    let inFlight = 0
    let maxInFlight = 0
    const figures = await loadTest(
      async () => {
        calls++
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((resolve) => setImmediate(resolve))
        inFlight--
      },
      { requests: 57, concurrency: 4 },
    )
    expect(calls).toBe(57)
    expect(maxInFlight).toBe(4)
    expect(figures.p50Ms).toBeLessThanOrEqual(figures.p95Ms)
    expect(figures.p95Ms).toBeLessThanOrEqual(figures.p99Ms)
    expect(figures.perSecond).toBeGreaterThan(0)
  })

  it('fails when a request fails', async () => {
    await expect(
      loadTest(async () => Promise.reject(new Error('HTTP 500')), { requests: 3, concurrency: 2 }),
    ).rejects.toThrow('HTTP 500')
  })
})
