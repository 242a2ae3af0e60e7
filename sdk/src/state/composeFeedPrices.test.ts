import { describe, expect, it } from 'vitest'
import { composeFeedPrices } from './composeFeedPrices.js'

describe('composeFeedPrices', () => {
  it("multiplies in the second feed at its decimals, keeps the first's, the older time and the shorter heartbeat", () => {
    const stEthEth = {
      answer: 999_000_000_000_000_000n,
      decimals: 18,
      updatedAt: 100,
      maxAge: 86_400,
      history: [
        { answer: 10n ** 18n, updatedAt: 10 },
        { answer: 998_000_000_000_000_000n, updatedAt: 20 },
      ],
    }
    const ethUsd = {
      answer: 3_000n * 10n ** 8n,
      decimals: 8,
      updatedAt: 50,
      maxAge: 3_600,
      history: [
        { answer: 2_000n * 10n ** 8n, updatedAt: 20 },
        { answer: 2_500n * 10n ** 8n, updatedAt: 30 },
      ],
    }
    expect(composeFeedPrices(stEthEth, ethUsd)).toEqual({
      answer: 2_997n * 10n ** 18n,
      decimals: 18,
      updatedAt: 50,
      maxAge: 3_600,
      history: [{ answer: 1_996n * 10n ** 18n, updatedAt: 20 }],
    })
  })

  it('rounds down, and leaves out a heartbeat or history neither gives', () => {
    const composed = composeFeedPrices(
      { answer: 7n, decimals: 0, updatedAt: 5 },
      { answer: 15n, decimals: 1, updatedAt: 9 },
    )
    expect(composed).toEqual({ answer: 10n, decimals: 0, updatedAt: 5 })
  })
})
