import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BaseError } from '../errors/BaseError.js'
import { formatPlan } from './formatPlan.js'
import type { PlannerInput } from './PlannerInput.js'
import { PlannerInputError } from './plannerErrors.js'
import { planRebalance } from './planRebalance.js'
import { randomPlannerInput } from './randomPlannerInput.js'

const USD = 10n ** 18n
const usdc = (whole: bigint) => whole * 10n ** 6n

/** Three chains, USDC: ethereum has a surplus, arbitrum and optimism deficits. */
function threeChains(): PlannerInput {
  return {
    chains: [
      { chainId: 1, name: 'ethereum' },
      { chainId: 42161, name: 'arbitrum' },
      { chainId: 10, name: 'optimism' },
    ],
    assets: [{ symbol: 'USDC', decimals: 6, priceUsd: USD }],
    nodes: [
      { chainId: 1, asset: 'USDC', balance: usdc(1000n), target: usdc(500n) },
      { chainId: 42161, asset: 'USDC', balance: usdc(100n), target: usdc(300n) },
      { chainId: 10, asset: 'USDC', balance: usdc(100n), target: usdc(250n) },
    ],
    routes: [
      // 5 bps + $1 fixed, 60 s.
      {
        asset: 'USDC',
        from: { chainId: 1 },
        to: { chainId: 42161 },
        feeBps: 5n,
        fixedFeeUsd: USD,
        latencySeconds: 60,
      },
      {
        asset: 'USDC',
        from: { chainId: 1 },
        to: { chainId: 10 },
        feeBps: 5n,
        fixedFeeUsd: USD,
        latencySeconds: 600,
      },
      // Cheap but slow relay through arbitrum.
      {
        asset: 'USDC',
        from: { chainId: 42161 },
        to: { chainId: 10 },
        feePpm: 100n,
        fixedFeeUsd: USD / 10n,
        latencySeconds: 120,
      },
    ],
  }
}

describe('planRebalance', () => {
  it('meets every target at least cost, and reports before/after and a summary', () => {
    const plan = planRebalance(threeChains())
    expect(plan.feasible).toBe(true)
    // Via arbitrum: 350 to arbitrum ($1 + 0.175) then 150 on to optimism ($0.10 + 0.015) = $1.29,
    // cheaper than two direct transfers ($2 + 0.175).
    expect(plan.transfers.map((t) => [t.routeId, t.amount, t.wave])).toEqual([
      ['1 -> 42161', usdc(350n), 0],
      ['42161 -> 10', usdc(150n), 1],
    ])
    expect(plan.totalCostUsd).toBe(1_290_000_000_000_000_000n)
    expect(plan.slowestLegSeconds).toBe(120)
    expect(plan.totalTimeSeconds).toBe(180)
    expect(plan.nodes.map((n) => [n.chainName, n.after, n.coverageAfterBps])).toEqual([
      ['ethereum', usdc(650n), 13_000n],
      ['arbitrum', usdc(300n), 10_000n],
      ['optimism', usdc(250n), 10_000n],
    ])
    expect(plan.optimality).toEqual([expect.objectContaining({ asset: 'USDC', exact: true, gap: 0 })])
    expect(formatPlan(plan)).toBe(
      [
        'Rebalance plan (cheapest): all targets met; 2 transfers, cost $1.29, slowest leg 120 s, done after 180 s',
        '',
        'Transfers:',
        '  1. [wave 0] 350 USDC ethereum -> arbitrum (bridge, $1.18, 60 s)',
        '  2. [wave 1] 150 USDC arbitrum -> optimism (bridge, $0.12, 120 s)',
        '',
        'Chains (before -> after, target, coverage):',
        '  ethereum USDC: 1000 USDC -> 650 USDC, target 500 USDC, 200.00% -> 130.00%',
        '  arbitrum USDC: 100 USDC -> 300 USDC, target 300 USDC, 33.33% -> 100.00%',
        '  optimism USDC: 100 USDC -> 250 USDC, target 250 USDC, 40.00% -> 100.00%',
        '',
        'Optimality: proven optimal.',
      ].join('\n'),
    )
  })

  it('fastest minimises the slowest leg, then cost', () => {
    const plan = planRebalance(threeChains(), { objective: 'fastest' })
    // Optimism is reachable in 120 s via arbitrum; the direct 600 s route is not used.
    expect(plan.slowestLegSeconds).toBe(120)
    const input = threeChains()
    input.routes[2]!.latencySeconds = 900
    const direct = planRebalance(input, { objective: 'fastest' })
    expect(direct.slowestLegSeconds).toBe(600)
    expect(direct.transfers.map((t) => t.routeId)).toEqual(['1 -> 10', '1 -> 42161'])
    // cheapest would still relay through arbitrum.
    expect(planRebalance(input).slowestLegSeconds).toBe(900)
  })

  it('skips transfers under the minimum size', () => {
    const input = threeChains()
    input.nodes[2]!.balance = usdc(245n)
    const plan = planRebalance(input, { minTransfer: { USDC: usdc(10n) } })
    // Optimism's 5 USDC deficit is topped up with a 10 USDC transfer (the minimum), never less.
    for (const t of plan.transfers) expect(t.amount >= usdc(10n)).toBe(true)
    expect(plan.feasible).toBe(true)
    const usdMin = planRebalance(input, { minTransferUsd: 10n * USD })
    expect(usdMin.transfers.every((t) => t.amount >= usdc(10n))).toBe(true)
  })

  it('rounds amounts to the transfer unit (OFT dust)', () => {
    const input: PlannerInput = {
      chains: [{ chainId: 1 }, { chainId: 10 }],
      assets: [{ symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD, unit: 10n ** 12n }],
      nodes: [
        { chainId: 1, asset: 'WETH', balance: 10n ** 18n, target: 0n },
        { chainId: 10, asset: 'WETH', balance: 0n, target: 123_456_789_012_345n },
      ],
      routes: [{ asset: 'WETH', from: { chainId: 1 }, to: { chainId: 10 }, latencySeconds: 60 }],
    }
    const plan = planRebalance(input)
    // 123.456789012345e12 rounds up to 124 units of 1e12.
    expect(plan.transfers[0]!.amount).toBe(124_000_000_000_000n)
    expect(plan.transfers[0]!.amount % 10n ** 12n).toBe(0n)
    expect(plan.feasible).toBe(true)
  })

  it('nets members on one chain before bridging', () => {
    const input: PlannerInput = {
      chains: [{ chainId: 1 }, { chainId: 10 }],
      assets: [{ symbol: 'USDC', decimals: 6, priceUsd: USD }],
      nodes: [
        { chainId: 1, asset: 'USDC', member: 'a', balance: usdc(500n), target: usdc(200n) },
        { chainId: 1, asset: 'USDC', member: 'b', balance: usdc(0n), target: usdc(200n) },
        { chainId: 10, asset: 'USDC', member: 'a', balance: usdc(300n), target: usdc(100n) },
        { chainId: 10, asset: 'USDC', member: 'b', balance: usdc(0n), target: usdc(100n) },
      ],
      routes: [
        {
          asset: 'USDC',
          from: { chainId: 1, member: 'a' },
          to: { chainId: 1, member: 'b' },
          latencySeconds: 0,
        },
        {
          asset: 'USDC',
          from: { chainId: 10, member: 'a' },
          to: { chainId: 10, member: 'b' },
          latencySeconds: 0,
        },
        {
          asset: 'USDC',
          from: { chainId: 1, member: 'a' },
          to: { chainId: 10, member: 'b' },
          fixedFeeUsd: USD,
          latencySeconds: 60,
        },
        {
          asset: 'USDC',
          from: { chainId: 10, member: 'a' },
          to: { chainId: 1, member: 'b' },
          fixedFeeUsd: USD,
          latencySeconds: 60,
        },
      ],
    }
    const plan = planRebalance(input)
    expect(plan.feasible).toBe(true)
    expect(plan.transfers.every((t) => t.kind === 'internal')).toBe(true)
    expect(plan.netting).toEqual([
      expect.objectContaining({ nettedOnChain: usdc(300n), bridged: 0n, shortfall: 0n }),
    ])
    expect(plan.totalCostUsd).toBe(0n)
  })

  it('never sends an asset both ways between two chains, even when separate books would want it', () => {
    // Member a needs funds on chain 10 from chain 1; member b needs funds on chain 1 from chain 10;
    // no same-chain moves. Both transfers would cross: the plan picks one direction.
    const input: PlannerInput = {
      chains: [{ chainId: 1 }, { chainId: 10 }],
      assets: [{ symbol: 'USDC', decimals: 6, priceUsd: USD }],
      nodes: [
        { chainId: 1, asset: 'USDC', member: 'a', balance: usdc(100n), target: 0n },
        { chainId: 10, asset: 'USDC', member: 'a', balance: 0n, target: usdc(100n) },
        { chainId: 10, asset: 'USDC', member: 'b', balance: usdc(60n), target: 0n },
        { chainId: 1, asset: 'USDC', member: 'b', balance: 0n, target: usdc(60n) },
      ],
      routes: [
        {
          asset: 'USDC',
          from: { chainId: 1, member: 'a' },
          to: { chainId: 10, member: 'a' },
          latencySeconds: 60,
        },
        {
          asset: 'USDC',
          from: { chainId: 10, member: 'b' },
          to: { chainId: 1, member: 'b' },
          latencySeconds: 60,
        },
      ],
    }
    const plan = planRebalance(input)
    expect(plan.transfers).toHaveLength(1)
    expect(plan.transfers[0]!.amount).toBe(usdc(100n))
    expect(plan.feasible).toBe(false)
    expect(plan.diagnosis?.short).toEqual([
      { chainId: 1, chainName: '1', asset: 'USDC', member: 'b', shortfall: usdc(60n) },
    ])
  })

  it('property: no plan sends an asset both ways, and nodes never go under what they could give', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), (seed, fixedFees) => {
        const input = randomPlannerInput({ seed, fixedFees })
        // Zero fees everywhere make ties, the case where a solver could pick both directions.
        const free = { ...input, routes: input.routes.map((r) => ({ ...r, feePpm: 0n, fixedFeeUsd: 0n })) }
        for (const instance of [input, free]) {
          const plan = planRebalance(instance)
          const directions = new Set(
            plan.transfers
              .filter((t) => t.kind === 'bridge')
              .map((t) => `${t.asset}:${t.from.chainId}:${t.to.chainId}`),
          )
          for (const t of plan.transfers) {
            expect(
              directions.has(`${t.asset}:${t.to.chainId}:${t.from.chainId}`) && t.kind === 'bridge',
            ).toBe(false)
          }
          for (const n of plan.nodes) {
            // A node above target stays at or above it; one below never loses funds.
            if (n.before < n.target) expect(n.after >= n.before).toBe(true)
            else expect(n.after >= n.target).toBe(true)
          }
        }
      }),
      { numRuns: 60, seed: 42 },
    )
  })

  it('diagnoses infeasible targets: short nodes, missing surplus, binding capacity, no route', () => {
    const input = threeChains()
    input.chains = [...input.chains, { chainId: 8453, name: 'base' }]
    input.nodes = [...input.nodes, { chainId: 8453, asset: 'USDC', balance: 0n, target: usdc(50n) }]
    input.routes = [
      { ...input.routes[0]!, id: 'eth-arb', capacity: usdc(120n) },
      { ...input.routes[1]!, id: 'eth-op', capacity: 0n },
    ]
    const plan = planRebalance(input)
    expect(plan.feasible).toBe(false)
    expect(plan.transfers.map((t) => [t.routeId, t.amount])).toEqual([['eth-arb', usdc(120n)]])
    expect(plan.diagnosis!.short).toEqual([
      { chainId: 42161, chainName: 'arbitrum', asset: 'USDC', shortfall: usdc(80n) },
      { chainId: 10, chainName: 'optimism', asset: 'USDC', shortfall: usdc(150n) },
      { chainId: 8453, chainName: 'base', asset: 'USDC', shortfall: usdc(50n) },
    ])
    expect(plan.diagnosis!.reasons).toEqual([
      { kind: 'no-route', asset: 'USDC', chainId: 8453, chainName: 'base' },
      {
        kind: 'binding-capacity',
        asset: 'USDC',
        routeId: 'eth-arb',
        from: { chainId: 1 },
        to: { chainId: 42161 },
        capacity: usdc(120n),
      },
      // The exhausted route (remaining rate limit 0) binds too.
      {
        kind: 'binding-capacity',
        asset: 'USDC',
        routeId: 'eth-op',
        from: { chainId: 1 },
        to: { chainId: 10 },
        capacity: 0n,
      },
    ])
    const text = formatPlan(plan)
    expect(text).toContain('INFEASIBLE')
    expect(text).toContain('  arbitrum USDC: short 80 USDC')
    expect(text).toContain('  USDC: route eth-arb (ethereum -> arbitrum) is at capacity 120 USDC')
    expect(text).toContain('  USDC: no route reaches base')
    expect(text).toContain('  USDC: route eth-op (ethereum -> optimism) is at capacity 0 USDC')

    const poor = threeChains()
    poor.nodes[0]!.balance = usdc(600n)
    const scarce = planRebalance(poor)
    expect(scarce.diagnosis!.reasons).toContainEqual({
      kind: 'insufficient-surplus',
      asset: 'USDC',
      totalSurplus: usdc(100n),
      totalDeficit: usdc(350n),
    })
    expect(scarce.nodes.reduce((s, n) => s + n.shortfall, 0n)).toBe(usdc(250n))
  })

  it('rejects bad input with clear errors', () => {
    const cases: Array<[(input: PlannerInput) => void, string]> = [
      [
        (i) => {
          i.nodes[0]!.balance = -1n
        },
        'Negative balance.\n\nDetails: node 1/USDC has balance -1.\n\nHint: Balances and targets are base units >= 0.',
      ],
      [
        (i) => {
          i.nodes[1]!.chainId = 999
        },
        'Unknown chain.\n\nDetails: node 999/USDC refers to chain 999, which is not in input.chains (1, 42161, 10).\n\nHint: Add { chainId: 999 } to input.chains, or fix the chain id.',
      ],
      [
        (i) => {
          i.routes[0]!.to = { chainId: 10, member: 'x' }
        },
        'Route to an unknown node.\n\nDetails: route 1 -> 10/x (USDC) refers to node 10/USDC/x, which is not in input.nodes.\n\nHint: Add the node (balance 0n, target 0n for a pure relay), or fix the route.',
      ],
      [
        (i) => {
          i.routes[0]!.capacity = -5n
        },
        'Negative capacity.\n\nDetails: route 1 -> 42161 (USDC) has capacity -5.\n\nHint: Fees and capacities are >= 0 (a capacity of 0 means the route is exhausted).',
      ],
      [
        (i) => {
          i.routes[0]!.asset = 'DAI'
        },
        "Unknown asset.\n\nDetails: route 1 -> 42161 (DAI) refers to asset DAI, which is not in input.assets (USDC).\n\nHint: Add { symbol: 'DAI', decimals, priceUsd } to input.assets.",
      ],
      [
        (i) => {
          i.routes[0]!.latencySeconds = Number.NaN
        },
        'Invalid latency.\n\nDetails: route 1 -> 42161 (USDC) has latencySeconds NaN; expected a finite number >= 0.',
      ],
      [
        (i) => {
          i.routes[0]!.feePpm = 3n
        },
        'Both feeBps and feePpm set.\n\nDetails: route 1 -> 42161 (USDC) has feeBps 5 and feePpm 3.\n\nHint: Give the proportional fee once (1 bps = 100 ppm).',
      ],
    ]
    for (const [mutate, message] of cases) {
      const input = threeChains()
      mutate(input)
      let error: unknown
      try {
        planRebalance(input)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(PlannerInputError)
      expect(error).toBeInstanceOf(BaseError)
      expect((error as Error).message).toBe(message)
    }
    expect(() => planRebalance(threeChains(), { minTransfer: { USDC: -1n } })).toThrow(
      'Negative minimum transfer.',
    )
    expect(() => planRebalance(threeChains(), { maxBranchNodes: -1 })).toThrow(
      'Invalid branch-and-bound budget.',
    )
  })
})
