import { describe, expect, it } from 'vitest'
import { WAD } from '../money/wad.js'
import { examplePoolState } from '../state/examplePoolState.js'
import { liquidityCoverage } from './liquidityCoverage.js'

const usd = (x: number) => BigInt(x) * 10n ** 18n

describe('liquidityCoverage (hand-computed on the example state)', () => {
  const redemptions = [{ chainId: 1, amountsUsd: [usd(10_000), usd(20_000), usd(5_000)] }]

  it('forecasts outflows by EWMA, floored by the stressed run-off', () => {
    const [c1, c2] = liquidityCoverage(examplePoolState(), { redemptions })
    // EWMA: 10,000 -> 0.94 * 10,000 + 0.06 * 20,000 = 10,600 -> 0.94 * 10,600 + 0.06 * 5,000 = 10,264
    expect(c1?.ewmaOutflowUsd).toBe(usd(10_264))
    expect(c1?.forecastOutflowUsd).toBe(usd(307_920))
    expect(c1?.stressedOutflowUsd).toBe(usd(50_000))
    expect(c1?.outflowUsd).toBe(usd(307_920))
    // 828,000 / 307,920 = 2.689010132501948...
    expect(c1?.coverageRatio).toBe(2_689_010_132_501_948_558n)
    expect(c1?.covered).toBe(true)
    // chain 2: no history, 10% of 610,000 liabilities; only 255,000 liquid (the vault is not)
    expect(c2?.outflowUsd).toBe(usd(61_000))
    expect(c2?.coverageRatio).toBe(4_180_327_868_852_459_016n)
  })

  it('net issuance forecasts no outflow; a high run-off uncovers a chain', () => {
    const [c1, c2] = liquidityCoverage(examplePoolState(), {
      redemptions: [{ chainId: 1, amountsUsd: [-usd(50_000)] }],
      runOffRate: WAD / 2n,
    })
    expect(c1?.forecastOutflowUsd).toBe(0n)
    expect(c1?.outflowUsd).toBe(usd(250_000))
    // chain 2: 255,000 / 305,000 = 0.836... < 1
    expect(c2?.covered).toBe(false)
  })

  it('zero liabilities and no history: nothing to cover', () => {
    const state = examplePoolState() as ReturnType<typeof examplePoolState> & {
      members: { liabilities: unknown[]; inFlight: unknown[] }[]
    }
    for (const m of state.members) {
      m.liabilities = []
      m.inFlight = []
    }
    const [c1] = liquidityCoverage(state)
    expect(c1?.coverageRatio).toBeNull()
    expect(c1?.covered).toBe(true)
  })

  it('rejects bad options', () => {
    const s = examplePoolState()
    expect(() => liquidityCoverage(s, { redemptions: [{ chainId: 9, amountsUsd: [] }] })).toThrow(
      'Redemptions for an unknown chain.',
    )
    expect(() => liquidityCoverage(s, { horizonPeriods: 0 })).toThrow('Invalid horizonPeriods.')
    expect(() => liquidityCoverage(s, { runOffRate: -1n })).toThrow('Invalid runOffRate.')
    expect(() => liquidityCoverage(s, { redemptionLambda: WAD + 1n })).toThrow('Invalid redemptionLambda.')
  })
})
