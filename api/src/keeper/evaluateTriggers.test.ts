import type { PoolState } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { describe, expect, it } from 'vitest'
import { examplePoolState } from '../testing/examplePoolState.js'
import { definePolicy } from './definePolicy.js'
import { evaluateTriggers } from './evaluateTriggers.js'
import type { TriggerPolicy } from './KeeperPolicy.js'

const WAD = 10n ** 18n
const t0 = 1_764_000_000
const base = examplePoolState(t0)
const poolId = base.pools[0]!.id

function fire(
  triggers: TriggerPolicy[],
  state: PoolState = base,
  inFlight = [] as Parameters<typeof evaluateTriggers>[1]['inFlight'],
) {
  const policy = definePolicy({
    name: 't',
    pool: poolId,
    treasury: { 31337: '0x00000000000000000000000000000000000000aa' },
    triggers,
    actions: [{ kind: 'alert' }],
    limits: { perActionUsd: '1', perDayUsd: '1', cooldownSeconds: 0 },
  })
  const evaluation = evaluatePool(state, { poolId })
  return {
    fired: evaluateTriggers(policy.triggers, { state, evaluation, inFlight, now: t0 + 600 }),
    evaluation,
  }
}

describe('evaluateTriggers', () => {
  it('compares the exact pooled and member ratios with their thresholds (equal does not fire)', () => {
    const evaluation = evaluatePool(base, { poolId })
    const ratio = evaluation.reserveRatio!
    const at = (x: bigint) => `${x / WAD}.${(x % WAD).toString().padStart(18, '0')}`
    expect(fire([{ kind: 'pooled-ratio-below', ratio: at(ratio) }]).fired).toEqual([])
    const above = fire([{ kind: 'pooled-ratio-below', ratio: at(ratio + 1n) }]).fired
    expect(above).toHaveLength(1)
    expect(above[0]!.reason).toContain(`pooled ratio ${at(ratio).replace(/0+$/, '')}`)
    const alpha = evaluation.members.find((m) => m.name === 'alpha-dollar')!
    const member = fire([
      { kind: 'member-ratio-below', member: alpha.memberId, ratio: at(alpha.reserveRatio! + 1n) },
    ]).fired
    expect(member.map((f) => f.kind)).toEqual(['member-ratio-below'])
  })

  it('liquidity coverage per chain with a minimum', () => {
    const state: PoolState = {
      ...base,
      pools: [
        {
          ...base.pools[0]!,
          liquidityTargets: [
            { chainId: 31337, minLiquidityUsd: 1_000_000n * WAD, targetLiquidityUsd: 1_200_000n * WAD },
            { chainId: 31338, minLiquidityUsd: 1n * WAD, targetLiquidityUsd: 1n * WAD },
          ],
        },
      ],
    }
    const { fired, evaluation } = fire([{ kind: 'liquidity-coverage-below', level: '1' }], state)
    const alpha = evaluation.chains.find((c) => c.chainId === 31337)!
    expect(alpha.liquidAdjustedReservesUsd).toBeLessThan(1_000_000n * WAD)
    expect(fired.map((f) => f.reason)).toEqual([
      expect.stringContaining('chain alpha (31337) liquidity coverage'),
    ])
    expect(fire([{ kind: 'liquidity-coverage-below', chainId: 31338, level: '1' }], state).fired).toEqual([])
  })

  it('volatile share, haircut, stale price and peg', () => {
    const evaluation = evaluatePool(base, { poolId })
    const weth = evaluation.assets.find((a) => a.asset === 'WETH')!
    const share = (weth.adjustedReservesUsd * WAD) / evaluation.adjustedReservesUsd
    expect(fire([{ kind: 'volatile-share-above', stable: ['USDC'], share: '0.1' }]).fired).toHaveLength(
      share > WAD / 10n ? 1 : 0,
    )
    expect(fire([{ kind: 'volatile-share-above', stable: ['USDC', 'WETH'], share: '0' }]).fired).toEqual([])
    expect(fire([{ kind: 'haircut-above', asset: 'WETH', haircut: '0.1' }]).fired[0]!.reason).toBe(
      'WETH haircut 0.15 is above 0.1 (set by its floor)',
    )
    expect(fire([{ kind: 'haircut-above', asset: 'WETH', haircut: '0.15' }]).fired).toEqual([])
    const stale: PoolState = {
      ...base,
      timestamp: t0 + 2 * 86_400,
      assets: base.assets.map((a) =>
        a.symbol === 'bUSD' && a.kind === 'erc20' ? { ...a, price: { ...a.price, answer: 97_000000n } } : a,
      ),
    }
    const fired = fire(
      [{ kind: 'stale-price' }, { kind: 'liability-off-peg', deviation: '0.02' }],
      stale,
    ).fired
    expect(fired.map((f) => f.kind)).toEqual(['stale-price', 'liability-off-peg'])
    expect(fired[1]!.reason).toBe('bUSD is at 0.97 USD, off its peg by more than 0.02')
    expect(fire([{ kind: 'liability-off-peg', deviation: '0.03' }], stale).fired).toEqual([])
  })

  it('transfers in flight longer than the limit', () => {
    const flight = { guid: '0x01', asset: 'USDC', srcChainId: 31337, dstChainId: 31338 }
    const { fired } = fire([{ kind: 'in-flight-longer-than', seconds: 300 }], base, [
      { ...flight, sentAt: t0 + 400 },
      { ...flight, guid: '0x02', sentAt: t0 },
    ])
    expect(fired.map((f) => f.reason)).toEqual([
      'transfer 0x02 (USDC, 31337 -> 31338) in flight for 600 s, longer than 300 s',
    ])
  })
})
