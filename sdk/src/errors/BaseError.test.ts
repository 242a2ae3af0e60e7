import { describe, expect, it } from 'vitest'
import { BaseError } from './BaseError.js'

describe('BaseError', () => {
  it('renders the short message, details and hints', () => {
    const cause = new Error('root')
    const error = new BaseError('Price is stale.', {
      details: 'WETH price is 7200 s old; max age is 3600 s.',
      metaMessages: ['Refresh the feed.', 'Or raise maxPriceAge.'],
      cause,
    })
    expect(error.message).toBe(
      'Price is stale.\n\nDetails: WETH price is 7200 s old; max age is 3600 s.\n\nHint: Refresh the feed.\nHint: Or raise maxPriceAge.',
    )
    expect(error.shortMessage).toBe('Price is stale.')
    expect(error.cause).toBe(cause)
    expect(error).toBeInstanceOf(Error)
  })

  it('keeps subclasses distinguishable by name', () => {
    class UnknownPoolError extends BaseError {
      override name = 'UnknownPoolError'
    }
    const error = new UnknownPoolError('Unknown pool "x".')
    expect(error.name).toBe('UnknownPoolError')
    expect(error.message).toBe('Unknown pool "x".')
    expect(error).toBeInstanceOf(BaseError)
  })
})
