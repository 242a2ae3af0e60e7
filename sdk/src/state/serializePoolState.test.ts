import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { examplePoolState } from './examplePoolState.js'
import { InvalidPoolStateError } from './InvalidPoolStateError.js'
import { parsePoolState, serializePoolState } from './serializePoolState.js'

describe('serializePoolState / parsePoolState', () => {
  it('round-trips the example state exactly, bigints as decimal strings', () => {
    const state = examplePoolState()
    const text = serializePoolState(state)
    expect(text).toContain('"blockNumber":"1000"')
    expect(text).toContain('"amount":"100000000000000000000"')
    expect(parsePoolState(text)).toEqual(state)
  })

  it('round-trips any amount, however large (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (amount) => {
        const state = examplePoolState() as ReturnType<typeof examplePoolState> & {
          members: { holdings: { amount: bigint }[] }[]
        }
        state.members[0]!.holdings[0]!.amount = amount
        expect(parsePoolState(serializePoolState(state)).members[0]?.holdings[0]?.amount).toBe(amount)
      }),
      { numRuns: 50 },
    )
  })

  it('names the bad field of hand-written JSON', () => {
    const text = serializePoolState(examplePoolState()).replace(
      '"amount":"600000000000"',
      '"amount":600000000000',
    )
    expect(() => parsePoolState(text)).toThrow('members[0].holdings[0].amount must be a bigint')
    const fractional = serializePoolState(examplePoolState()).replace(
      '"supply":"300000000000000000000000"',
      '"supply":"1.5"',
    )
    expect(() => parsePoolState(fractional)).toThrow('members[0].liabilities[1].supply must be a bigint')
    expect(() => parsePoolState('{"timestamp":')).toThrow(InvalidPoolStateError)
    expect(() => parsePoolState('{"timestamp":')).toThrow('Invalid pool state: json is not valid JSON.')
  })
})
