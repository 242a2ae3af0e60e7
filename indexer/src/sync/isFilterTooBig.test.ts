import { describe, expect, it } from 'vitest'
import { RpcError } from '../rpc/RpcError.js'
import { isFilterTooBig } from './isFilterTooBig.js'

describe('isFilterTooBig', () => {
  it('recognises the filter-size families of real providers, through an RpcError', () => {
    for (const message of [
      'exceed max addresses or topics per search position',
      'This query contains 5006 filters. The current limit is 5000.',
      'exceed max topics',
    ]) {
      expect(isFilterTooBig(new RpcError('eth_getLogs', 1, 'range', new Error(message))), message).toBe(true)
    }
  })
  it('leaves range and density errors to the range logic', () => {
    for (const message of ['query returned more than 10000 results', 'block range is too wide', 'timeout']) {
      expect(isFilterTooBig(new RpcError('eth_getLogs', 1, 'range', new Error(message))), message).toBe(false)
    }
  })
})
