import { ResponseBodyTooLargeError } from 'viem'
import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './createRateLimiter.js'
import { classifyRpcError, RpcError } from './RpcError.js'

describe('classifyRpcError', () => {
  it('tells splitting, retrying and giving up apart', () => {
    expect(classifyRpcError(new Error('query returned more than 10000 results'))).toBe('range')
    expect(
      classifyRpcError(Object.assign(new Error('x'), { code: -32602, details: 'block range too large' })),
    ).toBe('range')
    expect(classifyRpcError(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).toBe('timeout')
    expect(classifyRpcError(Object.assign(new Error('HTTP request failed.'), { status: 429 }))).toBe(
      'transient',
    )
    expect(
      classifyRpcError(new Error('outer', { cause: Object.assign(new Error('x'), { status: 503 }) })),
    ).toBe('transient')
    expect(classifyRpcError(new Error('execution reverted'))).toBe('fatal')
    expect(classifyRpcError(Object.assign(new Error('Method not found'), { code: -32601 }))).toBe('fatal')
  })

  it('renders an RpcError that says whether a retry helps', () => {
    const error = new RpcError('eth_getLogs', 1, 'range', new Error('query returned more than 10000 results'))
    expect(error.retryable).toBe(true)
    expect(error.message).toBe(
      'RPC call eth_getLogs failed on chain 1 (range).\n\nDetails: query returned more than 10000 results',
    )
    expect(new RpcError('eth_call', 1, 'fatal', new Error('bad')).retryable).toBe(false)
  })

  it('tells how many times too large a refused response was, through the cause chain', () => {
    const refused = new Error('HTTP request failed.', {
      cause: new ResponseBodyTooLargeError({ maxSize: 1_000, size: 2_500 }),
    })
    expect(new RpcError('eth_getLogs', 1, 'range', refused).oversize).toBe(2.5)
    expect(new RpcError('eth_getLogs', 1, 'range', new Error('too many results')).oversize).toBeUndefined()
  })
})

describe('createRateLimiter', () => {
  it('hands out at most a burst of one second, then paces', async () => {
    const limiter = createRateLimiter(20)
    const start = performance.now()
    for (let i = 0; i < 30; i++) await limiter.acquire()
    // 20 at once, the next 10 at 20/s: at least ~0.5 s (loose bound: timers only ever run late).
    expect(performance.now() - start).toBeGreaterThanOrEqual(450)
  })
})
