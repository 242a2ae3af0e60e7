import { type Address, type Hex, pad } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildLogFilters, split } from './buildLogFilters.js'
import { TOPICS } from './decodeLog.js'

const address = (i: number): Address => `0x${i.toString(16).padStart(40, '0')}` as Address
const ZERO = pad('0x0000000000000000000000000000000000000000')

describe('buildLogFilters', () => {
  it('asks for the holders’ transfers from and to them, supplies’ mints and burns, and events by address', () => {
    const token = address(1)
    const holder = address(2)
    const feed = address(3)
    const filters = buildLogFilters(
      {
        balances: [{ tokens: [token], holders: [holder] }],
        supplies: [address(4)],
        events: [{ address: [feed], topics: [TOPICS.AnswerUpdated] }],
      },
      1_000,
    )
    expect(filters).toEqual([
      { address: [token], topics: [TOPICS.Transfer, [pad(holder)]] },
      { address: [token], topics: [TOPICS.Transfer, null, [pad(holder)]] },
      { address: [address(4)], topics: [TOPICS.Transfer, ZERO] },
      { address: [address(4)], topics: [TOPICS.Transfer, null, ZERO] },
      { address: [feed], topics: [[TOPICS.AnswerUpdated]] },
    ])
  })

  it('cuts address lists and topic OR-lists to the cap, covering every pair exactly once', () => {
    const tokens = Array.from({ length: 3 }, (_, i) => address(10 + i))
    const holders = Array.from({ length: 2_500 }, (_, i) => address(1_000 + i))
    const filters = buildLogFilters({ balances: [{ tokens, holders }], supplies: [], events: [] }, 1_000)
    // 3 holder pieces (1000, 1000, 500) x 2 positions; 3 tokens fit in one address list.
    expect(filters).toHaveLength(6)
    const pairs = new Set<string>()
    for (const f of filters) {
      const list = (f.topics?.[1] ?? f.topics?.[2]) as Hex[]
      expect(list.length).toBeLessThanOrEqual(1_000)
      expect(f.address.length).toBeLessThanOrEqual(1_000)
      const position = f.topics?.[1] === null ? 'to' : 'from'
      for (const t of f.address) for (const h of list) pairs.add(`${position}:${t}:${h}`)
    }
    expect(pairs.size).toBe(2 * 3 * 2_500)
  })

  it('splits a filter into the product of its pieces', () => {
    const filter = {
      address: [address(1), address(2), address(3)],
      topics: [TOPICS.Transfer, [ZERO, pad(address(9))]],
    }
    const pieces = split(filter, 2)
    expect(pieces).toEqual([
      { address: [address(1), address(2)], topics: [TOPICS.Transfer, [ZERO, pad(address(9))]] },
      { address: [address(3)], topics: [TOPICS.Transfer, [ZERO, pad(address(9))]] },
    ])
    expect(split(filter, 1)).toHaveLength(6)
  })
})
