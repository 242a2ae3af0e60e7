import type { PlannedSwap, PlannedTransfer, RebalancePlan } from '@ballast/sdk/planner'
import { describe, expect, it } from 'vitest'
import { checkLimits } from './checkLimits.js'
import { definePolicy } from './definePolicy.js'
import type { LimitsPolicy } from './KeeperPolicy.js'

const WAD = 10n ** 18n
const transfer = (from: number, to: number, usdc: number) =>
  ({
    asset: 'USDC',
    from: { chainId: from },
    to: { chainId: to },
    amount: BigInt(usdc) * 1_000_000n,
    wave: 0,
  }) as PlannedTransfer
const plan = (...transfers: PlannedTransfer[]) => ({ transfers }) as unknown as RebalancePlan
const swap = (venueId: string, weth: bigint) =>
  ({ venueId, chainId: 1, assetIn: 'WETH', assetOut: 'USDC', amountIn: weth, wave: 0 }) as PlannedSwap
const withSwaps = (swaps: PlannedSwap[], ...transfers: PlannedTransfer[]) =>
  ({ transfers, swaps }) as unknown as RebalancePlan

function check(
  limits: Partial<LimitsPolicy>,
  p: RebalancePlan,
  past: { actionId: string; at: number; movedUsd: bigint }[] = [],
) {
  const policy = definePolicy({
    name: 't',
    pool: `0x${'11'.repeat(32)}`,
    treasury: {
      1: '0x00000000000000000000000000000000000000aa',
      2: '0x00000000000000000000000000000000000000aa',
    },
    triggers: [{ kind: 'stale-price' }],
    actions: [{ kind: 'alert' }],
    limits: { perActionUsd: '1000', perDayUsd: '2000', cooldownSeconds: 600, ...limits },
  })
  return checkLimits(p, {
    limits: policy.limits,
    // USDC a hair above 1 USD: values round up, so a limit is never passed by rounding.
    assets: new Map([
      ['USDC', { priceUsd: WAD + 1n, decimals: 6 }],
      ['WETH', { priceUsd: 3000n * WAD, decimals: 18 }],
    ]),
    actionId: 'a',
    past,
    now: 100_000,
  })
}

describe('checkLimits', () => {
  it('passes a plan within every limit and reports the USD it moves (rounded up)', () => {
    const dust = { ...transfer(2, 1, 0), amount: 1n }
    // 500 USDC at 1e18 + 1 (exact), and one base unit: 10^12 + 10^-6, rounded up to 10^12 + 1.
    expect(check({}, plan(transfer(1, 2, 400), transfer(2, 1, 100), dust))).toEqual({
      ok: true,
      movedUsd: 500n * WAD + 500n + 10n ** 12n + 1n,
    })
  })

  it('names the limit hit', () => {
    expect(check({}, plan(transfer(1, 2, 1000)))).toMatchObject({ ok: false, limit: 'perActionUsd' })
    expect(check({ perRouteUsd: { '1->2': '300' } }, plan(transfer(1, 2, 400)))).toMatchObject({
      ok: false,
      limit: 'perRouteUsd.1->2',
      reason: 'route 1->2 would move 400.0000000000000004 USD, over 300 USD',
    })
    expect(check({ perAssetUsd: { USDC: '10' } }, plan(transfer(1, 2, 400)))).toMatchObject({
      limit: 'perAssetUsd.USDC',
    })
    expect(check({ allowedRoutes: ['2->1'] }, plan(transfer(1, 2, 400)))).toMatchObject({
      limit: 'allowedRoutes',
    })
    expect(
      check({}, plan(transfer(1, 2, 400)), [{ actionId: 'a', at: 100_000 - 599, movedUsd: 1n }]),
    ).toMatchObject({
      limit: 'cooldownSeconds',
    })
    // Outside the cooldown, but the rolling 24 hours already hold 1,700 USD.
    expect(
      check({}, plan(transfer(1, 2, 400)), [{ actionId: 'a', at: 100_000 - 3_600, movedUsd: 1_700n * WAD }]),
    ).toMatchObject({
      limit: 'perDayUsd',
    })
    // A day and a second ago no longer counts.
    expect(
      check({}, plan(transfer(1, 2, 400)), [{ actionId: 'a', at: 100_000 - 86_401, movedUsd: 1_700n * WAD }])
        .ok,
    ).toBe(true)
  })

  it('counts the USD a swap sells per asset, per action and per day, and refuses a venue not allowed', () => {
    // 0.1 WETH at 3,000 USD sold, plus 400 USDC bridged: 700 USD.
    const tenth = 10n ** 17n
    expect(check({}, withSwaps([swap('v', tenth)], transfer(1, 2, 400)))).toEqual({
      ok: true,
      movedUsd: 700n * WAD + 400n,
    })
    expect(check({ perAssetUsd: { WETH: '299' } }, withSwaps([swap('v', tenth)]))).toMatchObject({
      limit: 'perAssetUsd.WETH',
      reason: 'WETH would move 300 USD, over 299 USD',
    })
    expect(check({}, withSwaps([swap('v', 3n * tenth)], transfer(1, 2, 400)))).toMatchObject({
      limit: 'perActionUsd',
    })
    expect(
      check({}, withSwaps([swap('v', tenth)]), [{ actionId: 'b', at: 100_000 - 60, movedUsd: 1_800n * WAD }]),
    ).toMatchObject({ limit: 'perDayUsd' })
    expect(check({ allowedVenues: ['w'] }, withSwaps([swap('v', tenth)]))).toMatchObject({
      ok: false,
      limit: 'allowedVenues',
      reason: 'venue v is not allowed',
    })
    expect(check({ allowedVenues: ['v'] }, withSwaps([swap('v', tenth)])).ok).toBe(true)
  })
})
