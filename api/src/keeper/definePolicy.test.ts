import { describe, expect, it } from 'vitest'
import { definePolicy } from './definePolicy.js'
import type { KeeperPolicy } from './KeeperPolicy.js'
import { PolicyError } from './PolicyError.js'

const pool = `0x${'11'.repeat(32)}`
const safe = '0x00000000000000000000000000000000000000Aa'
const good: KeeperPolicy = {
  name: 'alpha treasury',
  pool,
  treasury: { 31337: safe, 31338: safe },
  triggers: [
    { id: 'thin', kind: 'liquidity-coverage-below', level: '1' },
    { kind: 'pooled-ratio-below', ratio: '1.25' },
  ],
  actions: [{ kind: 'rebalance', asset: 'USDC', when: ['thin'] }, { kind: 'alert' }],
  limits: {
    perActionUsd: '100000',
    perDayUsd: '250000.5',
    perRouteUsd: { '31337->31338': '50000' },
    cooldownSeconds: 3600,
    allowedRoutes: ['31337->31338'],
  },
}

function fieldOf(policy: unknown): string {
  try {
    definePolicy(policy as KeeperPolicy)
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError)
    return (error as PolicyError).field
  }
  throw new Error('the policy was accepted')
}

describe('definePolicy', () => {
  it('resolves decimal strings exactly and fills defaults', () => {
    const p = definePolicy(good)
    expect(p.treasury.get(31337)).toBe(safe.toLowerCase())
    expect(p.triggers.map((t) => t.id)).toEqual(['thin', 'pooled-ratio-below#1'])
    expect(p.triggers[1]).toMatchObject({ ratio: 1_250_000_000_000_000_000n })
    expect(p.limits.perDayUsd).toBe(250_000_500_000_000_000_000_000n)
    expect(p.limits.perRouteUsd.get('31337->31338')).toBe(50_000n * 10n ** 18n)
    expect(p.actions[0]).toMatchObject({
      id: 'rebalance#0',
      when: ['thin'],
      objective: 'cheapest',
      slippageBps: 0,
      minTransferUsd: 100n * 10n ** 18n,
    })
    // JSON in, the same policy out.
    expect(definePolicy(JSON.parse(JSON.stringify(good)))).toEqual(p)
  })

  it('names the bad field', () => {
    expect(fieldOf({ ...good, pool: '0x12' })).toBe('pool')
    expect(fieldOf({ ...good, treasury: {} })).toBe('treasury')
    expect(fieldOf({ ...good, treasury: { mainnet: safe } })).toBe('treasury.mainnet')
    expect(fieldOf({ ...good, triggers: [{ kind: 'ratio-low', ratio: '1' }] })).toBe('triggers[0].kind')
    expect(fieldOf({ ...good, triggers: [{ kind: 'pooled-ratio-below', ratio: 1.2 }] })).toBe(
      'triggers[0].ratio',
    )
    expect(fieldOf({ ...good, triggers: [{ kind: 'haircut-above', asset: 'WETH', haircut: '1.5' }] })).toBe(
      'triggers[0].haircut',
    )
    expect(fieldOf({ ...good, actions: [{ kind: 'rebalance', asset: 'USDC', when: ['nope'] }] })).toBe(
      'actions[0].when[0]',
    )
    expect(fieldOf({ ...good, actions: [{ kind: 'rebalance' }] })).toBe('actions[0].asset')
    expect(fieldOf({ ...good, limits: { ...good.limits, perDayUsd: '-1' } })).toBe('limits.perDayUsd')
    expect(fieldOf({ ...good, limits: { ...good.limits, allowedRoutes: ['31337->1'] } })).toBe(
      'limits.allowedRoutes[0]',
    )
    expect(fieldOf({ ...good, limits: { ...good.limits, cooldownSeconds: -5 } })).toBe(
      'limits.cooldownSeconds',
    )
  })

  it('resolves a governance action: target as a probability, Monte Carlo defaults, assets', () => {
    const p = definePolicy({
      ...good,
      actions: [
        { id: 'floors', kind: 'governance', target: '0.01' },
        {
          kind: 'governance',
          asset: ['WETH', 'WBTC'],
          target: '0.005',
          horizonDays: 5,
          paths: 2_000,
          seed: 9,
        },
      ],
    })
    expect(p.actions).toEqual([
      {
        id: 'floors',
        when: undefined,
        kind: 'governance',
        assets: undefined,
        target: 0.01,
        horizonDays: 10,
        paths: 10_000,
        seed: 1,
      },
      {
        id: 'governance#1',
        when: undefined,
        kind: 'governance',
        assets: ['WETH', 'WBTC'],
        target: 0.005,
        horizonDays: 5,
        paths: 2_000,
        seed: 9,
      },
    ])
  })

  it('names the bad field of a governance action', () => {
    const gov = (fields: Record<string, unknown>) => ({
      ...good,
      actions: [{ kind: 'governance', target: '0.01', ...fields }],
    })
    expect(fieldOf(gov({ target: undefined }))).toBe('actions[0].target')
    expect(fieldOf(gov({ target: 0.01 }))).toBe('actions[0].target')
    expect(fieldOf(gov({ target: '0' }))).toBe('actions[0].target')
    expect(fieldOf(gov({ target: '0.5' }))).toBe('actions[0].target')
    expect(fieldOf(gov({ asset: [] }))).toBe('actions[0].asset')
    expect(fieldOf(gov({ asset: ['WETH', ''] }))).toBe('actions[0].asset[1]')
    expect(fieldOf(gov({ horizonDays: 0 }))).toBe('actions[0].horizonDays')
    expect(fieldOf(gov({ paths: 50 }))).toBe('actions[0].paths')
    expect(fieldOf(gov({ paths: 1_000_000 }))).toBe('actions[0].paths')
    expect(fieldOf(gov({ seed: 1.5 }))).toBe('actions[0].seed')
    expect(() => definePolicy(gov({ target: '0.7' }) as KeeperPolicy)).toThrow(
      /actions\[0\].target must be a probability between 0 and 0.5[\s\S]*"0.01"/,
    )
  })

  it('resolves a rebalance action with swap venues and a composition limit', () => {
    const pair = '0x00000000000000000000000000000000000000Bb'
    const router = '0x00000000000000000000000000000000000000Cc'
    const p = definePolicy({
      ...good,
      actions: [
        {
          kind: 'rebalance',
          asset: 'USDC',
          venues: [
            { chainId: 31338, pair, router, assets: ['WETH', 'USDC'] },
            { id: 'fast', chainId: 31337, pair, router, assets: ['WBTC', 'USDC'], feeBps: 5 },
          ],
          composition: { maxVolatileShare: '0.4', stable: ['USDC', 'tUSD'] },
        },
      ],
      limits: { ...good.limits, allowedVenues: ['31338:WETH/USDC'] },
    })
    const action = p.actions[0]!
    expect(action.kind === 'rebalance' && action.venues).toEqual([
      {
        id: '31338:WETH/USDC',
        chainId: 31338,
        pair: pair.toLowerCase(),
        router: router.toLowerCase(),
        assets: ['WETH', 'USDC'],
        feeBps: 30,
      },
      {
        id: 'fast',
        chainId: 31337,
        pair: pair.toLowerCase(),
        router: router.toLowerCase(),
        assets: ['WBTC', 'USDC'],
        feeBps: 5,
      },
    ])
    expect(action.kind === 'rebalance' && action.composition).toEqual({
      maxVolatileShareBps: 4000n,
      stable: ['USDC', 'tUSD'],
      volatile: ['WETH', 'WBTC'],
      chainId: undefined,
    })
    expect(action.kind === 'rebalance' && action.swapDeadlineSeconds).toBe(3600)
    expect([...p.limits.allowedVenues!]).toEqual(['31338:WETH/USDC'])
    // Without venues: bridges only, every venue allowed.
    const plain = definePolicy(good).actions[0]!
    expect(plain.kind === 'rebalance' && [plain.venues, plain.composition]).toEqual([[], undefined])
    expect(definePolicy(good).limits.allowedVenues).toBeUndefined()
  })

  it('names the bad field of swap venues, the composition limit and allowed venues', () => {
    const venue = {
      chainId: 31337,
      pair: '0x00000000000000000000000000000000000000Bb',
      router: '0x00000000000000000000000000000000000000Cc',
      assets: ['WETH', 'USDC'],
    }
    const composition = { maxVolatileShare: '0.4', stable: ['USDC'] }
    const swaps = (fields: Record<string, unknown>) => ({
      ...good,
      actions: [{ kind: 'rebalance', asset: 'USDC', venues: [venue], composition, ...fields }],
    })
    expect(fieldOf(swaps({ venues: [] }))).toBe('actions[0].venues')
    expect(fieldOf(swaps({ venues: [{ ...venue, chainId: 1 }] }))).toBe('actions[0].venues[0].chainId')
    expect(fieldOf(swaps({ venues: [{ ...venue, pair: '0x12' }] }))).toBe('actions[0].venues[0].pair')
    expect(fieldOf(swaps({ venues: [{ ...venue, router: undefined }] }))).toBe('actions[0].venues[0].router')
    expect(fieldOf(swaps({ venues: [{ ...venue, assets: ['WETH', 'WETH'] }] }))).toBe(
      'actions[0].venues[0].assets',
    )
    expect(fieldOf(swaps({ venues: [{ ...venue, assets: ['WETH', 'USDC', 'WBTC'] }] }))).toBe(
      'actions[0].venues[0].assets',
    )
    expect(fieldOf(swaps({ venues: [{ ...venue, feeBps: 10_000 }] }))).toBe('actions[0].venues[0].feeBps')
    expect(fieldOf(swaps({ venues: [venue, venue] }))).toBe('actions[0].venues')
    expect(fieldOf(swaps({ composition: undefined }))).toBe('actions[0].composition')
    expect(fieldOf(swaps({ venues: undefined }))).toBe('actions[0].composition')
    expect(fieldOf(swaps({ composition: { ...composition, maxVolatileShare: 0.4 } }))).toBe(
      'actions[0].composition.maxVolatileShare',
    )
    expect(fieldOf(swaps({ composition: { ...composition, maxVolatileShare: '1.5' } }))).toBe(
      'actions[0].composition.maxVolatileShare',
    )
    expect(fieldOf(swaps({ composition: { ...composition, maxVolatileShare: '0.40001' } }))).toBe(
      'actions[0].composition.maxVolatileShare',
    )
    expect(fieldOf(swaps({ composition: { ...composition, stable: [] } }))).toBe(
      'actions[0].composition.stable',
    )
    expect(fieldOf(swaps({ composition: { ...composition, stable: ['USDC', 'WETH'] } }))).toBe(
      'actions[0].composition.stable',
    )
    expect(fieldOf(swaps({ composition: { ...composition, chainId: 5 } }))).toBe(
      'actions[0].composition.chainId',
    )
    expect(fieldOf(swaps({ swapDeadlineSeconds: 5 }))).toBe('actions[0].swapDeadlineSeconds')
    expect(fieldOf({ ...good, limits: { ...good.limits, allowedVenues: 'all' } })).toBe(
      'limits.allowedVenues',
    )
    expect(fieldOf({ ...good, limits: { ...good.limits, allowedVenues: [''] } })).toBe(
      'limits.allowedVenues[0]',
    )
  })

  it('says what is wrong and how to fix it', () => {
    expect(() =>
      definePolicy({ ...good, limits: { ...good.limits, perActionUsd: 100 as unknown as string } }),
    ).toThrow(/limits.perActionUsd must be a decimal string of dollars[\s\S]*JSON keeps them exact/)
  })
})
