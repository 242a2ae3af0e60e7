import { describe, expect, it } from 'vitest'
import { solveFixedCharge } from './solveFixedCharge.js'

describe('solveFixedCharge', () => {
  it('prefers one fixed charge over two when it is cheaper in total', () => {
    // Node 0 gives 10; node 3 needs 10. Direct arcs 0-3 (fixed 50) vs 0-1 and 0-2 halves (fixed 20 +
    // 20, but capacity 5 each) then free arcs to 3. The LP relaxation splits; the optimum is 40.
    const solution = solveFixedCharge(
      {
        nodeCount: 4,
        supply: [10n, 0n, 0n, 0n],
        demand: [0n, 0n, 0n, 10n],
        arcs: [
          { from: 0, to: 3, capacity: 10n, unitCost: 0n, fixedCost: 50n, minFlow: 1n },
          { from: 0, to: 1, capacity: 5n, unitCost: 0n, fixedCost: 20n, minFlow: 1n },
          { from: 0, to: 2, capacity: 5n, unitCost: 0n, fixedCost: 20n, minFlow: 1n },
          { from: 1, to: 3, capacity: 10n, unitCost: 0n, fixedCost: 0n, minFlow: 1n },
          { from: 2, to: 3, capacity: 10n, unitCost: 0n, fixedCost: 0n, minFlow: 1n },
        ],
      },
      { maxBranchNodes: 100 },
    )
    expect(solution).toMatchObject({ shortfall: 0n, cost: 40n, exact: true, costLowerBound: 40n })
    expect(solution.flows).toEqual([0n, 5n, 5n, 5n, 5n])
  })

  it('respects minimum flows by overshooting the target rather than leaving a deficit', () => {
    const solution = solveFixedCharge(
      {
        nodeCount: 2,
        supply: [100n, 0n],
        demand: [0n, 3n],
        arcs: [{ from: 0, to: 1, capacity: 100n, unitCost: 1n, fixedCost: 0n, minFlow: 10n }],
      },
      { maxBranchNodes: 10 },
    )
    expect(solution).toMatchObject({ flows: [10n], shortfall: 0n, cost: 10n, exact: true })
  })

  it('reports a proven bound and no exactness when the budget runs out', () => {
    const arcs = Array.from({ length: 8 }, (_, i) => ({
      from: 0,
      to: 1 + (i % 4),
      capacity: 10n,
      unitCost: BigInt(i),
      fixedCost: 30n + BigInt(i * 7),
      minFlow: 1n,
    }))
    const network = {
      nodeCount: 5,
      supply: [40n, 0n, 0n, 0n, 0n],
      demand: [0n, 6n, 7n, 8n, 9n],
      arcs,
    }
    const exact = solveFixedCharge(network, { maxBranchNodes: 10_000 })
    const cut = solveFixedCharge(network, { maxBranchNodes: 0 })
    expect(exact.exact).toBe(true)
    expect(cut.cost).toBeGreaterThanOrEqual(exact.cost)
    expect(cut.costLowerBound).toBeLessThanOrEqual(exact.cost)
    if (!cut.exact) expect(cut.costLowerBound).toBeLessThan(cut.cost)
  })
})
