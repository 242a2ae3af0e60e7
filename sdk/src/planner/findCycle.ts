import type { FixedChargeNetwork } from './FixedChargeNetwork.js'

/**
 * A directed cycle of arcs with flow (arc indices in order), or `undefined` when the flows are
 * acyclic. Iterative depth-first search with three colours.
 *
 * @param network - the network
 * @param flows - flow per arc
 * @returns the arcs of one cycle in order, or `undefined`
 * @example
 * ```ts
 * findCycle(network, flows) // e.g. [3, 7, 1]: arcs 3 -> 7 -> 1 -> back to 3's tail
 * ```
 */
export function findCycle(network: FixedChargeNetwork, flows: readonly bigint[]): number[] | undefined {
  const n = network.nodeCount
  const first = new Int32Array(n).fill(-1)
  const next = new Int32Array(network.arcs.length)
  let any = false
  network.arcs.forEach((a, r) => {
    if (flows[r]! <= 0n) return
    any = true
    next[r] = first[a.from]!
    first[a.from] = r
  })
  if (!any) return undefined
  // 0 unvisited, 1 on the stack, 2 done; `via` is the arc that reached a node on the stack.
  const colour = new Uint8Array(n)
  const cursor = new Int32Array(n)
  const via = new Int32Array(n).fill(-1)
  for (let root = 0; root < n; root++) {
    if (colour[root] !== 0 || first[root] === -1) continue
    const stack = [root]
    colour[root] = 1
    cursor[root] = first[root]!
    while (stack.length > 0) {
      const u = stack[stack.length - 1]!
      const r = cursor[u]!
      if (r === -1) {
        colour[u] = 2
        stack.pop()
        continue
      }
      cursor[u] = next[r]!
      const v = network.arcs[r]!.to
      if (colour[v] === 1) {
        // Back arc u -> v: the cycle is v ... u -> v along `via`.
        const cycle = [r]
        for (let w = u; w !== v; w = network.arcs[via[w]!]!.from) cycle.push(via[w]!)
        return cycle.reverse()
      }
      if (colour[v] === 0) {
        colour[v] = 1
        via[v] = r
        cursor[v] = first[v]!
        stack.push(v)
      }
    }
  }
  return undefined
}
