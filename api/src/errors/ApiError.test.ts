import { BaseError } from '@ballast/sdk'
import { describe, expect, it } from 'vitest'
import { ApiError } from './ApiError.js'

describe('ApiError', () => {
  it('renders short message, details and hints, and keeps its code', () => {
    const error = new ApiError('Unknown pool.', {
      code: 'NOT_FOUND',
      details: 'No pool has id 0x01.',
      metaMessages: ['List pools with `{ pools { nodes { id } } }`.'],
    })
    expect(error).toBeInstanceOf(BaseError)
    expect(error.name).toBe('ApiError')
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe(
      'Unknown pool.\n\nDetails: No pool has id 0x01.\n\nHint: List pools with `{ pools { nodes { id } } }`.',
    )
  })

  it('defaults to BAD_USER_INPUT', () => {
    expect(new ApiError('Bad argument.').code).toBe('BAD_USER_INPUT')
  })
})
