import { ResponseBodyTooLargeError } from 'viem'
import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './createRateLimiter.js'
import { classifyRpcError, RpcError } from './RpcError.js'

describe('classifyRpcError', () => {
  const rpcError = (message: string, code: number, extra: Record<string, unknown> = {}) =>
    new Error('RPC Request failed.', { cause: Object.assign(new Error(message), { code, ...extra }) })

  it('tells splitting, retrying and giving up apart', () => {
    expect(classifyRpcError(new Error('query returned more than 10000 results')).kind).toBe('range')
    expect(
      classifyRpcError(Object.assign(new Error('x'), { code: -32602, details: 'block range too large' }))
        .kind,
    ).toBe('range')
    expect(classifyRpcError(Object.assign(new Error('slow'), { name: 'TimeoutError' })).kind).toBe('timeout')
    expect(classifyRpcError(Object.assign(new Error('HTTP request failed.'), { status: 429 })).kind).toBe(
      'transient',
    )
    expect(
      classifyRpcError(new Error('outer', { cause: Object.assign(new Error('x'), { status: 503 }) })).kind,
    ).toBe('transient')
    expect(classifyRpcError(new Error('execution reverted')).kind).toBe('fatal')
    expect(classifyRpcError(Object.assign(new Error('Method not found'), { code: -32601 })).kind).toBe(
      'fatal',
    )
  })

  // The 25 messages of ../shared/REALWORLD.md, each with the family and numbers it must yield.
  const cases: [string, number, Partial<ReturnType<typeof classifyRpcError>>, Record<string, unknown>?][] = [
    [
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x0, 0xd043b8]',
      -32602,
      { family: 'suggested-range', suggestedRange: { from: 0, to: 0xd043b8 } },
    ],
    [
      'You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x123c9b2, 0x123cba5]',
      -32600,
      { family: 'suggested-range', suggestedRange: { from: 0x123c9b2, to: 0x123cba5 } },
    ],
    [
      'query returned more than 10000 results. Try with this block range [0xBDE5F8, 0x102DBCC].',
      -32005,
      { family: 'suggested-range', suggestedRange: { from: 0xbde5f8, to: 0x102dbcc }, limit: 10_000 },
      { data: { from: '0xBDE5F8', to: '0x102DBCC', limit: 10000 } },
    ],
    [
      'Query returned more than 20000 results. Try with this block range [0xa6bba9, 0xa8680d].',
      -32000,
      { family: 'suggested-range', suggestedRange: { from: 0xa6bba9, to: 0xa8680d }, limit: 20_000 },
    ],
    ['eth_getLogs is limited to a 10,000 range', -32614, { family: 'range-cap', cap: 10_000 }],
    [
      'eth_getLogs and eth_newFilter are limited to a 10,000 blocks range',
      -32614,
      { family: 'range-cap', cap: 10_000 },
    ],
    ['eth_getLogs is limited to a 1000 blocks range', -32000, { family: 'range-cap', cap: 1_000 }],
    [
      'eth_getLogs is limited to 1024 block range. Please check the parameter requirements at https://docs.blockpi.io/documentations/api-reference',
      -32602,
      { family: 'range-cap', cap: 1_024 },
    ],
    ['Maximum allowed number of requested blocks is 1000', -32005, { family: 'range-cap', cap: 1_000 }],
    ['exceed maximum block range: 50000', -32000, { family: 'range-cap', cap: 50_000 }],
    ['query exceeds max block range 100000', -32602, { family: 'range-cap', cap: 100_000 }],
    ['block range is too wide', -32600, { family: 'range-cap', cap: 3_000 }],
    ['Block range limit exceeded.', -32000, { family: 'range-cap', cap: 100 }],
    ['block range too large', -32000, { family: 'range-cap', cap: 2_000 }],
    ['logs matched by query exceeds limit of 10000', -32000, { family: 'too-dense', limit: 10_000 }],
    ['backend response too large', -32000, { family: 'too-dense' }],
    ['Block range is too large', -32000, { family: 'too-dense' }],
    ['query exceeds max results 20000', -32602, { family: 'too-dense', limit: 20_000 }],
    ['response size should not greater than 10000000 bytes', -32000, { family: 'too-dense' }],
    ['query timeout exceeded', -32005, { family: 'too-dense' }],
    ['no backend is currently healthy to serve traffic', -32011, { family: 'transient', retryable: true }],
    [
      'exceed max addresses or topics per search position',
      -32602,
      { family: 'filter-too-big', kind: 'filter' },
    ],
    [
      'This query contains 5006 filters. The current limit is 5000.',
      -32005,
      { family: 'filter-too-big', kind: 'filter', limit: 5_000 },
    ],
    ['exceed max topics', -32602, { family: 'filter-too-big', kind: 'filter' }],
    ['pruned history unavailable', 4444, { family: 'unavailable', kind: 'unavailable', retryable: false }],
    ['missing trie node 5d8c… (path ) state 0x… is not available', -32000, { family: 'unavailable' }],
    ['header not found', -32000, { family: 'unavailable' }],
  ]
  for (const [message, code, expected, extra] of cases) {
    it(`reads "${message.slice(0, 60)}" as ${expected.family}`, () => {
      const c = classifyRpcError(rpcError(message, code, extra))
      expect(c).toMatchObject(expected)
      if (c.family === 'range-cap' || c.family === 'suggested-range' || c.family === 'too-dense') {
        expect(c.kind).toBe('range')
      }
    })
  }

  it('reads an HTTP 413 with a JSON-RPC body (QuickNode) as a cap, not a fatal error', () => {
    const error = new Error('HTTP request failed.', {
      cause: Object.assign(new Error('eth_getLogs is limited to a 10,000 range'), {
        code: -32614,
        status: 413,
      }),
    })
    expect(classifyRpcError(error)).toMatchObject({ family: 'range-cap', cap: 10_000 })
  })

  it('takes a truncated body, a reset and a 429 with Retry-After as transient', () => {
    const truncated = new Error('HTTP request failed.', {
      cause: new SyntaxError('Unterminated string in JSON at position 1021'),
    })
    expect(classifyRpcError(truncated)).toMatchObject({ kind: 'transient', retryable: true })
    const reset = new Error('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(classifyRpcError(reset).kind).toBe('transient')
    const limited = Object.assign(new Error('HTTP request failed.'), {
      status: 429,
      headers: new Headers({ 'retry-after': '2' }),
    })
    expect(classifyRpcError(limited)).toMatchObject({ kind: 'transient', retryAfterMs: 2_000 })
    expect(classifyRpcError(new Error('unknown block')).family).toBe('head-race')
  })
})

describe('RpcError', () => {
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
