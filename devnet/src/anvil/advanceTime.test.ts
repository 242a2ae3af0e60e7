import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devnetBlockTime, type RunningChains, startChains } from '../chains/startChains.js'
import { advanceTime } from './advanceTime.js'

let running: RunningChains
beforeAll(async () => {
  running = await startChains({ count: 1 })
})
afterAll(() => running?.stop())

describe('advanceTime', () => {
  it('mines one block that much later, and later blocks follow at the usual interval', async () => {
    const chain = running.chains[0]!
    const before = await chain.public.getBlock({ blockTag: 'latest' })
    const year = 365n * 86_400n
    const after = await advanceTime(chain, year)
    expect(after.blockNumber).toBe(before.number + 1n)
    expect(after.timestamp).toBe(before.timestamp + year)
    await chain.test.mine({ blocks: 1 })
    const next = await chain.public.getBlock({ blockTag: 'latest' })
    expect(next.timestamp).toBe(after.timestamp + BigInt(devnetBlockTime))
  })

  it('refuses to go back', async () => {
    await expect(advanceTime(running.chains[0]!, 0n)).rejects.toThrow(/Time only moves forward/)
  })
})
