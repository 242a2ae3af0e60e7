import { examplePoolState, type PoolState } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { recommendParameters } from '@ballast/sdk/risk'
import { type Address, decodeFunctionData, getAddress, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { recommendationFigures } from '../figures/riskFigures.js'
import { definePolicy } from './definePolicy.js'
import { type AssetInForce, planRiskProposals, quoteRiskProposals } from './proposeRiskUpdate.js'

const example = examplePoolState()
// The registry keys pools by bytes32 id.
const poolId = `0x${'ab'.repeat(32)}`
const base: PoolState = {
  ...example,
  pools: example.pools.map((p) => ({ ...p, id: poolId })),
  members: example.members.map((m) => ({ ...m, poolId })),
}
const DAY = 86_400
const E18 = 10n ** 18n
// WETH swings 9% a day, alternately up and down: its EWMA volatility term exceeds its 15% floor.
const state: PoolState = {
  ...base,
  assets: base.assets.map((a) =>
    a.kind === 'erc20' && a.symbol === 'WETH'
      ? {
          ...a,
          priceHistory: Array.from({ length: 40 }, (_, i) => ({
            answer: (a.price.answer * (i % 2 === 0 ? 100n : 109n)) / 100n,
            updatedAt: a.price.updatedAt - (39 - i) * DAY,
          })),
        }
      : a,
  ),
}
const registry = '0x00000000000000000000000000000000000000a1' as Address
const riskTimelock = '0x00000000000000000000000000000000000000b2' as Address
const token = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const abi = parseAbi([
  'function setRiskParameters(bytes32 poolId, address asset, uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)',
  'function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)',
])

const policy = definePolicy({
  name: 'floors',
  pool: poolId,
  treasury: { 31337: token(1) },
  triggers: [{ id: 'weth', kind: 'haircut-above', asset: 'WETH', haircut: '0.15' }],
  actions: [{ id: 'raise', kind: 'governance', target: '0.01', paths: 4_000, seed: 5, when: ['weth'] }],
  limits: { perActionUsd: '0', perDayUsd: '0', cooldownSeconds: 0 },
})
const action = policy.actions[0] as Extract<(typeof policy.actions)[number], { kind: 'governance' }>
const figures = recommendationFigures(
  { poolId, state },
  { target: 0.01, horizonDays: 10, paths: 4_000, seed: 5 },
)
// The sdk's own recommendation, independently of the figures the keeper reads.
const sdk = recommendParameters(state, { poolId, target: 0.01, paths: 4_000, seed: 5 })
const recommendedBps = (symbol: string) => {
  const r = sdk.haircutFloors.find((h) => h.subject === symbol)!.recommended
  return Number((r * 10_000n + E18 - 1n) / E18)
}

function inForce(assets: Record<string, AssetInForce>) {
  return [{ chainId: 31337, registry, riskTimelock, delay: 3_600, assets: new Map(Object.entries(assets)) }]
}

describe('planRiskProposals', () => {
  it('raises the floor of an asset whose volatility term exceeds it, quoting the model', () => {
    const haircut = evaluatePool(state, { poolId }).haircuts.find((h) => h.asset === 'WETH')!
    expect(haircut.haircut).toBeGreaterThan(haircut.floor)
    const wethBps = recommendedBps('WETH')
    expect(wethBps).toBeGreaterThan(1_500)
    const proposals = planRiskProposals(action, {
      policyName: policy.name,
      poolId,
      state,
      figures,
      inForce: inForce({
        WETH: { token: token(0xe1), floorBps: 1_500, thresholdBps: 8_000, horizon: DAY },
        // Already above any recommendation: left alone.
        WBTC: { token: token(0xb1), floorBps: 9_000, thresholdBps: 7_500, horizon: DAY },
      }),
    })
    expect(proposals.map((p) => [p.asset, p.currentFloorBps, p.haircutFloorBps])).toEqual([
      ['WETH', 1_500, wethBps],
    ])
    const [p] = proposals
    expect(p).toMatchObject({ chainId: 31337, registry, timelock: riskTimelock, delay: 3_600 })
    expect(decodeFunctionData({ abi, data: p!.call }).args).toEqual([
      poolId,
      token(0xe1),
      wethBps,
      8_000,
      DAY,
    ])
    expect(decodeFunctionData({ abi, data: p!.schedule })).toEqual({
      functionName: 'schedule',
      args: [getAddress(registry), 0n, p!.call, `0x${'0'.repeat(64)}`, p!.salt, 3_600n],
    })
    const quoted = quoteRiskProposals(proposals)
    const pct = (x: number) => `${x / 100}%`
    expect(quoted).toContain(`raise the WETH haircut floor on chain 31337 from 15% to ${pct(wethBps)}`)
    // The model's reasoning: probability at the floor in force and after, the haircut's volatility term.
    const reasoning = sdk.haircutFloors.find((h) => h.subject === 'WETH')!.reasoning
    expect(quoted).toContain(reasoning)
    expect(reasoning).toMatch(/at the current floor 15(\.0+)?%.*at the current haircut/)
  })

  it('keeps the state’s threshold and horizon where the registry has none in force; honours the asset list', () => {
    const none = { token: token(0xe1), floorBps: 0, thresholdBps: 0, horizon: 0 }
    const all = planRiskProposals(action, {
      policyName: policy.name,
      poolId,
      state,
      figures,
      inForce: inForce({ WETH: none }),
    })
    expect(decodeFunctionData({ abi, data: all[0]!.call }).args).toEqual([
      poolId,
      token(0xe1),
      recommendedBps('WETH'),
      8_000,
      DAY,
    ])
    const onlyWbtc = { ...action, assets: ['WBTC'] }
    expect(
      planRiskProposals(onlyWbtc, {
        policyName: policy.name,
        poolId,
        state,
        figures,
        inForce: inForce({ WETH: none }),
      }),
    ).toEqual([])
  })

  it('gives the same update the same operation id, another policy another one', () => {
    const input = {
      poolId,
      state,
      figures,
      inForce: inForce({ WETH: { token: token(0xe1), floorBps: 1_500, thresholdBps: 8_000, horizon: DAY } }),
    }
    const a = planRiskProposals(action, { ...input, policyName: 'floors' })[0]!
    expect(planRiskProposals(action, { ...input, policyName: 'floors' })[0]!.operationId).toBe(a.operationId)
    expect(planRiskProposals(action, { ...input, policyName: 'other' })[0]!.operationId).not.toBe(
      a.operationId,
    )
  })
})
