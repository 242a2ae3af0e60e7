import { describe, expect, it } from 'vitest'
import { evaluatePool } from '../math/evaluatePool.js'
import { WAD } from '../money/wad.js'
import { buildPoolState } from './buildPoolState.js'
import type { PoolFacts } from './PoolFacts.js'
import { validatePoolState } from './validatePoolState.js'

const usd = (dollars: bigint) => ({ answer: dollars * 10n ** 8n, decimals: 8, updatedAt: 1_000 })

function facts(overrides: Partial<PoolFacts> = {}): PoolFacts {
  return {
    timestamp: 1_000,
    blocks: [{ chainId: 1, blockNumber: 10n, timestamp: 1_000 }],
    chains: [{ chainId: 1, name: 'one' }],
    pool: { id: 'p', name: 'P', minRatioBps: 11_000, targetRatioBps: 12_000 },
    assets: [
      { symbol: 'USDC', decimals: 6, valuation: 'priced', price: usd(1n) },
      { symbol: 'WETH', decimals: 18, valuation: 'priced', price: { missing: 'feed has no answer yet' } },
      { symbol: 'svUSDC', decimals: 6, valuation: 'vault', underlying: 'USDC', assetsPerShare: 1_050_000n },
    ],
    members: [
      {
        id: 'm',
        name: 'M',
        liability: {
          symbol: 'mUSD',
          decimals: 6,
          supplies: [{ chainId: 1, supply: 1_000_000_000n, decimals: 6 }],
          price: { peg: { answer: 10n ** 8n, decimals: 8 } },
        },
        balances: [
          { chainId: 1, asset: 'USDC', holder: '0xa', amount: 600_000_000n, decimals: 6 },
          { chainId: 1, asset: 'USDC', holder: '0xb', amount: 400_000_000n, decimals: 6 },
          {
            chainId: 1,
            asset: 'svUSDC',
            holder: '0xa',
            amount: 100_000_000n,
            decimals: 6,
            observedAtBlock: 9n,
          },
          { chainId: 1, asset: 'WETH', holder: '0xa', amount: 10n ** 18n, decimals: 18 },
        ],
        inFlight: [],
      },
    ],
    riskUpdates: [
      {
        chainId: 1,
        asset: 'USDC',
        haircutFloorBps: 100,
        liquidationThresholdBps: 9_000,
        liquidationHorizon: 3_600,
        effectiveAt: 500,
        blockNumber: 5,
        logIndex: 0,
      },
      {
        chainId: 1,
        asset: 'USDC',
        haircutFloorBps: 9_999,
        liquidationThresholdBps: 9_000,
        liquidationHorizon: 3_600,
        effectiveAt: 2_000,
        blockNumber: 6,
        logIndex: 0,
      },
    ],
    configuredRisk: [
      { asset: 'svUSDC', haircutFloorBps: 200, liquidationThresholdBps: 8_000, liquidationHorizon: 86_400 },
    ],
    ...overrides,
  }
}

describe('buildPoolState', () => {
  it('values what it can, leaves out an unpriced asset and says why', () => {
    const state = validatePoolState(buildPoolState(facts()))
    const member = state.members[0]!
    expect(member.holdings).toEqual([
      { chainId: 1, asset: 'USDC', amount: 1_000_000_000n, decimals: 6 },
      { chainId: 1, asset: 'svUSDC', amount: 100_000_000n, decimals: 6, observedAtBlock: 9n },
    ])
    expect(state.degraded).toEqual([
      expect.objectContaining({ code: 'unpriced', asset: 'WETH', chainId: 1, poolId: 'p' }),
    ])
    expect(state.degraded?.[0]?.message).toContain('feed has no answer yet')
    const e = evaluatePool(state)
    expect(e.degraded.map((d) => d.code)).toEqual(['unpriced'])
    // 1,000 USDC at a 1% haircut + 100 shares at 1.05 USDC and a 2% haircut, over 1,000 mUSD.
    expect(e.adjustedReservesUsd).toBe(990n * WAD + (105n * WAD * 98n) / 100n)
  })

  it('takes risk parameters in force at the state time; the config fills in where no registry update is', () => {
    const state = buildPoolState(facts())
    const usdc = state.riskParameters.find((r) => r.asset === 'USDC')!
    expect(usdc.haircutFloor).toBe(WAD / 100n) // the 99.99% update applies only from t = 2,000
    expect(state.riskParameters.find((r) => r.asset === 'svUSDC')!.haircutFloor).toBe((2n * WAD) / 100n)
  })

  it('counts a held asset nobody assessed at a 100% haircut, and says so', () => {
    const state = buildPoolState(facts({ configuredRisk: [] }))
    expect(state.riskParameters.find((r) => r.asset === 'svUSDC')!.haircutFloor).toBe(WAD)
    expect(state.degraded?.map((d) => `${d.code}:${d.asset}`)).toContain('unassessed:svUSDC')
  })

  it('values a liability without a feed or peg at 1 USD only with an assumed-peg reason', () => {
    const f = facts()
    const member = { ...f.members[0]!, liability: { ...f.members[0]!.liability, price: undefined } }
    const state = buildPoolState({ ...f, members: [member] })
    expect(state.degraded?.map((d) => d.code)).toContain('assumed-peg')
    const peg = state.assets.find((a) => a.symbol === 'mUSD')!
    expect(peg.kind === 'erc20' && peg.price.answer).toBe(10n ** 8n)
  })

  it('leaves out a vault whose underlying is unpriced, and an unreadable balance', () => {
    const f = facts()
    const assets = f.assets.map((a) =>
      a.symbol === 'USDC' ? { ...a, price: { missing: 'no USDC feed answer' } } : a,
    )
    const member = {
      ...f.members[0]!,
      balances: [...f.members[0]!.balances, { chainId: 1, asset: 'USDC', missing: 'balanceOf reverted' }],
    }
    const state = buildPoolState({ ...f, assets, members: [member] })
    expect(state.members[0]!.holdings).toEqual([])
    const codes = state.degraded?.map((d) => `${d.code}:${d.asset}`)
    expect(codes).toEqual(expect.arrayContaining(['unpriced:USDC', 'unpriced:svUSDC', 'unpriced:WETH']))
    expect(state.degraded?.find((d) => d.asset === 'svUSDC')?.message).toContain('no USDC feed answer')
  })

  it('lists a price older than its heartbeat as stale', () => {
    const f = facts()
    const assets = f.assets.map((a) =>
      a.symbol === 'USDC' ? { ...a, price: { ...usd(1n), updatedAt: 100, maxAge: 600 } } : a,
    )
    const state = buildPoolState({ ...f, assets })
    expect(state.degraded?.find((d) => d.code === 'stale-price')?.asset).toBe('USDC')
    expect(evaluatePool(state).haircuts.find((h) => h.asset === 'USDC')?.stale).toBe(true)
  })
})

describe('buildPoolState: stale feeds under a liability or a vault share', () => {
  it('lists a liability price older than its own heartbeat as stale, and the liability is raised for it', () => {
    const f = facts()
    const stale = { answer: 10n ** 8n, decimals: 8, updatedAt: 100, maxAge: 600 }
    const member = { ...f.members[0]!, liability: { ...f.members[0]!.liability, price: stale } }
    const state = buildPoolState({ ...f, members: [member] })
    const reason = state.degraded?.find((d) => d.code === 'stale-price')
    expect(reason?.asset).toBe('mUSD')
    expect(reason?.message).toBe(
      "The price of liability mUSD of M is 900 s old, past its feed's heartbeat of 600 s.",
    )
    // 900 s is well within the default maxPriceAge of a day: the feed's own heartbeat ages it.
    expect(evaluatePool(state).liabilitiesUsd).toBe(1_100n * WAD)
  })

  it('does not flag a liability price within its heartbeat', () => {
    const f = facts()
    const fresh = { answer: 10n ** 8n, decimals: 8, updatedAt: 500, maxAge: 600 }
    const member = { ...f.members[0]!, liability: { ...f.members[0]!.liability, price: fresh } }
    const state = buildPoolState({ ...f, members: [member] })
    expect(state.degraded?.map((d) => d.code)).not.toContain('stale-price')
    expect(evaluatePool(state).liabilitiesUsd).toBe(1_000n * WAD)
  })

  it('lists a vault share whose underlying price is stale, naming both, when only the share is held', () => {
    const f = facts()
    const assets = f.assets.map((a) =>
      a.symbol === 'USDC' ? { ...a, price: { ...usd(1n), updatedAt: 100, maxAge: 600 } } : a,
    )
    const member = { ...f.members[0]!, balances: f.members[0]!.balances.filter((b) => b.asset === 'svUSDC') }
    const state = buildPoolState({ ...f, assets, members: [member] })
    const stale = state.degraded?.filter((d) => d.code === 'stale-price')
    expect(stale).toEqual([
      expect.objectContaining({
        asset: 'svUSDC',
        message: "The price of svUSDC's underlying USDC is 900 s old, past its feed's heartbeat of 600 s.",
      }),
    ])
    expect(evaluatePool(state).haircuts.find((h) => h.asset === 'svUSDC')?.stale).toBe(true)
  })
})
