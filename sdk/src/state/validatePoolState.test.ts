import { describe, expect, it } from 'vitest'
import { examplePoolState } from './examplePoolState.js'
import { InvalidPoolStateError } from './InvalidPoolStateError.js'
import type { PoolState } from './PoolState.js'
import { validatePoolState } from './validatePoolState.js'

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> }

function broken(edit: (s: Mutable<PoolState>) => void): unknown {
  const state = examplePoolState() as Mutable<PoolState>
  edit(state)
  return state
}

function errorOf(value: unknown): InvalidPoolStateError {
  try {
    validatePoolState(value)
  } catch (error) {
    if (error instanceof InvalidPoolStateError) return error
    throw error
  }
  throw new Error('expected validatePoolState to throw')
}

describe('validatePoolState', () => {
  it('accepts the example state and returns it', () => {
    const state = examplePoolState()
    expect(validatePoolState(state)).toBe(state)
  })

  it('renders a message naming the field, its value and a hint', () => {
    const error = errorOf(broken((s) => (s.members[0]!.holdings[1]!.amount = -5n)))
    expect(error.message).toBe(
      'Invalid pool state: members[0].holdings[1].amount must not be negative.\n\nDetails: members[0].holdings[1].amount = -5n\n\nHint: Amounts, supplies and ratios are >= 0.',
    )
    expect(error.path).toBe('members[0].holdings[1].amount')
    expect(error.name).toBe('InvalidPoolStateError')
  })

  const cases: [string, (s: Mutable<PoolState>) => void, string, string][] = [
    ['a non-object', () => {}, 'state', 'must be an object'],
    ['a float timestamp', (s) => (s.timestamp = 1.5), 'timestamp', 'non-negative integer'],
    [
      'an amount as a number',
      (s) => ((s.members[1]!.holdings[0] as { amount: unknown }).amount = 5),
      'members[1].holdings[0].amount',
      'must be a bigint',
    ],
    [
      'NaN decimals',
      (s) => (s.assets[0]!.decimals = Number.NaN),
      'assets[0].decimals',
      'integer from 0 to 77',
    ],
    [
      'decimals 78',
      (s) => (s.members[0]!.liabilities[0]!.decimals = 78),
      'members[0].liabilities[0].decimals',
      'integer from 0 to 77',
    ],
    [
      'a zero price',
      (s) => ((s.assets[1] as { price: { answer: bigint } }).price.answer = 0n),
      'assets[1].price.answer',
      'must be positive',
    ],
    [
      'a negative price',
      (s) => ((s.assets[1] as { price: { answer: bigint } }).price.answer = -1n),
      'assets[1].price.answer',
      'must not be negative',
    ],
    [
      'a haircut above 100%',
      (s) => (s.riskParameters[1]!.haircutFloor = 10n ** 18n + 1n),
      'riskParameters[1].haircutFloor',
      'at most 1e18',
    ],
    [
      'a zero horizon',
      (s) => (s.riskParameters[0]!.liquidationHorizon = 0),
      'riskParameters[0].liquidationHorizon',
      'positive number of seconds',
    ],
    [
      'an infinite horizon',
      (s) => (s.riskParameters[0]!.liquidationHorizon = Number.POSITIVE_INFINITY),
      'riskParameters[0].liquidationHorizon',
      'positive',
    ],
    [
      'an unknown chain',
      (s) => (s.members[0]!.holdings[0]!.chainId = 99),
      'members[0].holdings[0].chainId',
      'not a chain of the state',
    ],
    [
      'an unknown asset',
      (s) => (s.members[0]!.holdings[0]!.asset = 'DOGE'),
      'members[0].holdings[0].asset',
      'not an asset of the state',
    ],
    [
      'an asset without risk parameters',
      (s) => (s.members[0]!.holdings[0]!.asset = 'bUSD'),
      'members[0].holdings[0].asset',
      'no risk parameters',
    ],
    [
      'an unknown pool',
      (s) => (s.members[1]!.poolId = 'other'),
      'members[1].poolId',
      'not a pool of the state',
    ],
    ['a duplicate member', (s) => (s.members[1]!.id = 'alpha'), 'members[1].id', 'duplicate'],
    ['a duplicate symbol', (s) => (s.assets[1]!.symbol = 'USDC'), 'assets[1].symbol', 'duplicate'],
    ['a duplicate chain', (s) => (s.chains[1]!.chainId = 1), 'chains[1].chainId', 'duplicate'],
    ['a duplicate block', (s) => (s.blocks[1]!.chainId = 1), 'blocks[1].chainId', 'duplicate'],
    ['target below min', (s) => (s.pools[0]!.targetRatio = 1n), 'pools[0].targetRatio', 'below minRatio'],
    [
      'an unknown kind',
      (s) => ((s.assets[0] as { kind: string }).kind = 'erc721'),
      'assets[0].kind',
      'not a known asset kind',
    ],
    [
      'a vault over a vault',
      (s) => ((s.assets[4] as { underlying: string }).underlying = 'svUSDC'),
      'assets[4].underlying',
      'not an erc20 asset',
    ],
    [
      'a liability asset that is a vault',
      (s) => (s.members[0]!.liabilityAsset = 'svUSDC'),
      'members[0].liabilityAsset',
      'not an erc20 asset',
    ],
    [
      'members not an array',
      (s) => ((s as { members: unknown }).members = {}),
      'members',
      'must be an array',
    ],
    ['an empty name', (s) => (s.pools[0]!.name = ''), 'pools[0].name', 'non-empty string'],
    [
      'a negative in-flight amount',
      (s) => (s.members[0]!.inFlight[0]!.amount = -1n),
      'members[0].inFlight[0].amount',
      'must not be negative',
    ],
    [
      'history out of order',
      (s) =>
        ((s.assets[1] as { priceHistory?: unknown }).priceHistory = [
          { answer: 1n, updatedAt: 10 },
          { answer: 1n, updatedAt: 5 },
        ]),
      'assets[1].priceHistory[1].updatedAt',
      'goes back in time',
    ],
    [
      'liquidity target min above target',
      (s) => (s.pools[0]!.liquidityTargets[0]!.minLiquidityUsd = 10n ** 40n),
      'pools[0].liquidityTargets[0].targetLiquidityUsd',
      'below minLiquidityUsd',
    ],
  ]
  for (const [name, edit, path, problem] of cases) {
    it(`rejects ${name} at ${path}`, () => {
      const value = name === 'a non-object' ? null : broken(edit)
      const error = errorOf(value)
      expect(error.path).toBe(path)
      expect(error.shortMessage).toContain(problem)
    })
  }

  it('accepts a state with no liabilities and no reserves', () => {
    const state = broken((s) => {
      s.members[0]!.holdings = []
      s.members[0]!.liabilities = []
      s.members[0]!.inFlight = []
    })
    expect(validatePoolState(state)).toBe(state)
  })
})
