import { describe, expect, it } from 'vitest'
import { addArc, arcFlow, createFlowGraph, minCostFlow } from './minCostFlow.js'

describe('minCostFlow', () => {
  it('sends along the cheapest paths first and stops when paths stop paying', () => {
    // 0 = source, 3 = sink; two paths 0-1-3 (cost 1 + 1) and 0-2-3 (cost 5 + 1); reward -4 on the
    // last arcs, so only the cheap path pays (2 - 4 < 0) and the dear one does not (6 - 4 > 0).
    const g = createFlowGraph(4)
    const a01 = addArc(g, 0, 1, 7n, 1n)
    const a02 = addArc(g, 0, 2, 7n, 5n)
    const a13 = addArc(g, 1, 3, 5n, 1n - 4n)
    const a23 = addArc(g, 2, 3, 5n, 1n - 4n)
    const result = minCostFlow(g, 0, 3)
    expect(result.flow).toBe(5n)
    expect(result.cost).toBe(5n * (2n - 4n))
    expect([arcFlow(g, a01), arcFlow(g, a02), arcFlow(g, a13), arcFlow(g, a23)]).toEqual([5n, 0n, 5n, 0n])
  })

  it('reroutes through residual arcs to reach the optimum', () => {
    // Classic instance where the first shortest path must be partly undone.
    const g = createFlowGraph(4)
    addArc(g, 0, 1, 1n, -10n)
    addArc(g, 0, 2, 1n, -10n)
    const mid = addArc(g, 1, 2, 1n, 0n)
    addArc(g, 1, 3, 1n, 5n)
    addArc(g, 2, 3, 1n, 0n)
    const result = minCostFlow(g, 0, 3)
    expect(result.flow).toBe(2n)
    expect(result.cost).toBe(-20n + 5n)
    expect(arcFlow(g, mid)).toBe(0n)
  })

  it('is exact on amounts beyond 2^53 and uint256', () => {
    const big = (1n << 255n) + 12345n
    const g = createFlowGraph(3)
    addArc(g, 0, 1, big, 0n)
    const a = addArc(g, 1, 2, big - 1n, -3n)
    const result = minCostFlow(g, 0, 2)
    expect(result.flow).toBe(big - 1n)
    expect(result.cost).toBe(-3n * (big - 1n))
    expect(arcFlow(g, a)).toBe(big - 1n)
  })
})
