import { BaseError } from '@ballast/sdk'
import { describe, expect, it } from 'vitest'
import { IndexerError } from './IndexerError.js'

describe('IndexerError', () => {
  it('is a BaseError that says whether a retry can help', () => {
    const error = new IndexerError('RPC request timed out.', {
      details: 'eth_getLogs on http://127.0.0.1:8545 took more than 10000 ms.',
      retryable: true,
    })
    expect(error).toBeInstanceOf(BaseError)
    expect(error.retryable).toBe(true)
    expect(error.message).toBe(
      'RPC request timed out.\n\nDetails: eth_getLogs on http://127.0.0.1:8545 took more than 10000 ms.',
    )
    expect(new IndexerError('Bad config.').retryable).toBe(false)
  })
})
