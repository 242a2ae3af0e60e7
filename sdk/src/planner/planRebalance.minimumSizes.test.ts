import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PlannerInput, PlannerRoute } from './PlannerInput.js'
import { planRebalance } from './planRebalance.js'
import type { RebalancePlan } from './RebalancePlan.js'
import { randomPlannerInput } from './randomPlannerInput.js'

const USD = 10n ** 18n
const X = { symbol: 'X', decimals: 0, priceUsd: USD }
const shortfallOf = (plan: RebalancePlan) => plan.nodes.reduce((s, n) => s + n.shortfall, 0n)

/** Chains 1-3 and asset X (unit as given): one node per chain with (balance, target), 60 s routes. */
function threeChains(
  unit: bigint,
  books: [bigint, bigint][],
  routes: [number, number, number][],
): PlannerInput {
  return {
    chains: [{ chainId: 1 }, { chainId: 2 }, { chainId: 3 }],
    assets: [{ ...X, unit }],
    nodes: books.map(([balance, target], i) => ({ chainId: i + 1, asset: 'X', balance, target })),
    routes: routes.map(([from, to, latencySeconds]) => ({
      asset: 'X',
      from: { chainId: from },
      to: { chainId: to },
      latencySeconds,
    })),
  }
}

/**
 * Replays a plan wave by wave and in time, and fails when a sender does not hold what it sends:
 * at the start of each wave (balances plus everything delivered by earlier waves, less what was
 * sent), and at each transfer's own start time (`deliveredAfterSeconds - latencySeconds`: only
 * deliveries by then count), so a schedule that understates the time fails too.
 */
function expectExecutable(input: PlannerInput, plan: RebalancePlan) {
  const key = (chainId: number, asset: string, member?: string) => `${chainId}:${asset}:${member ?? ''}`
  const balance = new Map(input.nodes.map((n) => [key(n.chainId, n.asset, n.member), n.balance]))
  const held = new Map(balance)
  const waves = [...new Set(plan.transfers.map((t) => t.wave))].sort((a, b) => a - b)
  for (const wave of waves) {
    const inWave = plan.transfers.filter((t) => t.wave === wave)
    const sends = new Map<string, bigint>()
    for (const t of inWave) {
      const from = key(t.from.chainId, t.asset, t.from.member)
      sends.set(from, (sends.get(from) ?? 0n) + t.amount)
    }
    for (const [from, amount] of sends) {
      expect(held.get(from)!, `wave ${wave}: ${from} sends ${amount}`).toBeGreaterThanOrEqual(amount)
    }
    for (const t of inWave) {
      const from = key(t.from.chainId, t.asset, t.from.member)
      const to = key(t.to.chainId, t.asset, t.to.member)
      held.set(from, held.get(from)! - t.amount)
      held.set(to, held.get(to)! + t.amount)
    }
  }
  for (const t of plan.transfers) {
    const from = key(t.from.chainId, t.asset, t.from.member)
    const start = t.deliveredAfterSeconds - t.latencySeconds
    let atStart = balance.get(from)!
    for (const u of plan.transfers) {
      if (key(u.to.chainId, u.asset, u.to.member) === from && u.wave < t.wave) {
        // An inflow the transfer's wave relies on must be delivered by its start.
        expect(
          u.deliveredAfterSeconds,
          `${t.routeId} starts before ${u.routeId} delivers`,
        ).toBeLessThanOrEqual(start)
      }
      if (key(u.to.chainId, u.asset, u.to.member) === from && u.deliveredAfterSeconds <= start) {
        atStart += u.amount
      }
      if (key(u.from.chainId, u.asset, u.from.member) === from && u.wave <= t.wave) atStart -= u.amount
    }
    expect(atStart, `${t.routeId} at ${start} s`).toBeGreaterThanOrEqual(0n)
  }
  expect(plan.totalTimeSeconds).toBe(plan.transfers.reduce((m, t) => Math.max(m, t.deliveredAfterSeconds), 0))
}

describe('planRebalance with minimum sizes (issue 16)', () => {
  it('netting keeps the members separate enough to send more than the net surplus', () => {
    // Member a on chain 1 has 10, member b there needs 8, member a on chain 2 needs 100; free moves
    // both ways between a and b, a bridge (1, a) -> (2, a), minimum 5. Bridging all 10 leaves 98
    // short; settling b first leaves 100.
    const input: PlannerInput = {
      chains: [{ chainId: 1 }, { chainId: 2 }],
      assets: [X],
      nodes: [
        { chainId: 1, asset: 'X', member: 'a', balance: 10n, target: 0n },
        { chainId: 1, asset: 'X', member: 'b', balance: 0n, target: 8n },
        { chainId: 2, asset: 'X', member: 'a', balance: 0n, target: 100n },
      ],
      routes: [
        { asset: 'X', from: { chainId: 1, member: 'a' }, to: { chainId: 1, member: 'b' }, latencySeconds: 0 },
        { asset: 'X', from: { chainId: 1, member: 'b' }, to: { chainId: 1, member: 'a' }, latencySeconds: 0 },
        {
          asset: 'X',
          from: { chainId: 1, member: 'a' },
          to: { chainId: 2, member: 'a' },
          latencySeconds: 60,
        },
      ],
    }
    const plan = planRebalance(input, { minTransfer: { X: 5n } })
    // Any split of the 10 between b and the bridge (at least 5) leaves 98 short; all are optimal.
    const bridged = plan.transfers.find((t) => t.kind === 'bridge')
    expect(bridged?.amount).toBeGreaterThanOrEqual(5n)
    expect(shortfallOf(plan)).toBe(98n)
    expect(plan.optimality).toEqual([expect.objectContaining({ exact: true })])
    expectExecutable(input, plan)
  })

  it('never plans a circle no sender can start, and an unreachable surplus changes nothing', () => {
    // Chain 1 has 19, chain 2 needs 19, chain 3 is an empty relay; routes 1 -> 2 -> 3 -> 1 at
    // 100 ppm, minimum 100. The circle 2 -> 3 -> 1 -> 2 balances on paper but nobody holds 100.
    // Chain 4 has 200 and no routes.
    const relay = (withChain4: boolean): PlannerInput => ({
      chains: [{ chainId: 1 }, { chainId: 2 }, { chainId: 3 }, ...(withChain4 ? [{ chainId: 4 }] : [])],
      assets: [X],
      nodes: [
        { chainId: 1, asset: 'X', balance: 19n, target: 0n },
        { chainId: 2, asset: 'X', balance: 0n, target: 19n },
        { chainId: 3, asset: 'X', balance: 0n, target: 0n },
        ...(withChain4 ? [{ chainId: 4, asset: 'X', balance: 200n, target: 0n }] : []),
      ],
      routes: (
        [
          [1, 2],
          [2, 3],
          [3, 1],
        ] as const
      ).map(
        ([from, to]): PlannerRoute => ({
          asset: 'X',
          from: { chainId: from },
          to: { chainId: to },
          feePpm: 100n,
          latencySeconds: 60,
        }),
      ),
    })
    for (const withChain4 of [true, false]) {
      const input = relay(withChain4)
      const plan = planRebalance(input, { minTransfer: { X: 100n } })
      expect(plan.transfers).toEqual([])
      expect(plan.totalTimeSeconds).toBe(0)
      expect(shortfallOf(plan)).toBe(19n)
      expect(plan.diagnosis!.reasons).toContainEqual({
        kind: 'min-transfer',
        asset: 'X',
        minTransfer: 100n,
        shortfall: 19n,
      })
      expect(plan.optimality).toEqual([expect.objectContaining({ exact: true })])
    }
  })

  it('a relay that must wait for its inflow is timed after it', () => {
    // 1 -> 3 -> 2 with minimum 20: chain 3 forwards what it receives, so it runs in wave 1 and is
    // delivered after both legs.
    const input = threeChains(
      1n,
      [
        [50n, 0n],
        [0n, 30n],
        [0n, 0n],
      ],
      [
        [1, 3, 60],
        [3, 2, 120],
      ],
    )
    const plan = planRebalance(input, { minTransfer: { X: 20n } })
    expect(plan.transfers.map((t) => [t.routeId, t.amount, t.wave, t.deliveredAfterSeconds])).toEqual([
      ['1 -> 3', 30n, 0, 60],
      ['3 -> 2', 30n, 1, 180],
    ])
    expect(plan.totalTimeSeconds).toBe(180)
    expectExecutable(input, plan)
  })

  it('the total cost is the sum of the transfers, and the shortfall is least in tokens', () => {
    // Unit 10, one unit available, deficits of 1 and 10 tokens: filling the 10 leaves 1 short.
    const input = threeChains(
      10n,
      [
        [10n, 0n],
        [0n, 1n],
        [0n, 10n],
      ],
      [
        [1, 2, 60],
        [1, 3, 60],
      ],
    )
    const plan = planRebalance(input)
    expect(plan.transfers.map((t) => [t.routeId, t.amount])).toEqual([['1 -> 3', 10n]])
    expect(shortfallOf(plan)).toBe(1n)

    // Costs rounded up per transfer: 3 transfers of 1 token at 1 ppm of 1 USD each cost 1e12 (wei of
    // USD) exactly; the total is their sum, not the rounding of the summed scaled cost.
    for (let seed = 1; seed <= 40; seed++) {
      const random = randomPlannerInput({ seed, fixedFees: seed % 2 === 0 })
      random.assets = random.assets.map((a) => ({ ...a, decimals: 6, priceUsd: 1_000_000_007n }))
      const p = planRebalance(random)
      expect(p.totalCostUsd).toBe(p.transfers.reduce((s, t) => s + t.costUsd, 0n))
      expect(p.optimality.reduce((s, o) => s + o.costUsd, 0n)).toBe(p.totalCostUsd)
    }
  })

  it('property: plans with minimum sizes are executable wave by wave and in time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        fc.integer({ min: 2, max: 300 }),
        (seed, fixedFees, min) => {
          const input = randomPlannerInput({ seed, fixedFees })
          const minTransfer = Object.fromEntries(input.assets.map((a) => [a.symbol, BigInt(min)]))
          const plan = planRebalance(input, { minTransfer })
          for (const t of plan.transfers)
            if (t.kind === 'bridge') expect(t.amount).toBeGreaterThanOrEqual(min)
          expectExecutable(input, plan)
          expect(plan.totalCostUsd).toBe(plan.transfers.reduce((s, t) => s + t.costUsd, 0n))
        },
      ),
      { numRuns: 150 },
    )
  })
})
