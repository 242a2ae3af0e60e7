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

  it('takes the same steps on doubles as on bigints (same flows arc by arc)', () => {
    // Random networks with a shared shortfall reward far above 2^53 on the arcs into the sink
    // (doubles: costs over their gcd, reward shifted out), solved again with one unusable arc whose
    // cost exceeds 2^53 and one of cost 1 (force the bigint search).
    let seed = 7
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      // High bits: the low bits of this generator cycle quickly.
      return Math.floor((seed / 2147483648) * k)
    }
    let carried = 0
    for (let instance = 0; instance < 30; instance++) {
      const nodes = 4 + rand(6)
      const source = nodes
      const sink = nodes + 1
      const arcs: Array<[number, number, bigint, bigint]> = []
      for (let i = 0; i < nodes; i++) {
        if (i % 2 === 0) arcs.push([source, i, BigInt(1 + rand(50)), 0n])
        else arcs.push([i, sink, BigInt(1 + rand(50)), -(10n ** 30n)])
      }
      for (let k = 0; k < 3 * nodes; k++) {
        const from = rand(nodes)
        const to = rand(nodes)
        if (from !== to) arcs.push([from, to, BigInt(rand(40)), BigInt(rand(20)) * 10n ** 18n])
      }
      const solve = (forceBigint: boolean) => {
        const g = createFlowGraph(nodes + 2)
        const ids = arcs.map(([from, to, capacity, cost]) => addArc(g, from, to, capacity, cost))
        if (forceBigint) {
          addArc(g, 0, 1, 0n, 1n << 60n)
          addArc(g, 0, 1, 0n, 1n)
        }
        const result = minCostFlow(g, source, sink)
        return { ...result, flows: ids.map((id) => arcFlow(g, id)) }
      }
      const doubles = solve(false)
      const bigints = solve(true)
      expect(doubles.flows).toEqual(bigints.flows)
      expect(doubles.flow).toBe(bigints.flow)
      expect(doubles.cost).toBe(bigints.cost)
      expect(doubles.phases).toBe(bigints.phases)
      if (doubles.flow > 0n) carried++
    }
    expect(carried).toBeGreaterThan(20)
  })
})
