import type { PlannerNode } from './PlannerInput.js'
import type { PlannedTransfer } from './RebalancePlan.js'

/**
 * Orders transfers for execution and times them: a transfer out of a node that needs inflows to
 * cover it (its own surplus is smaller than what it sends) waits for those inflows.
 *
 * @param transfers - the transfers, timed and sorted in place
 * @param fromOf - position in `nodes` of each transfer's start
 * @param toOf - position in `nodes` of each transfer's end
 * @param nodes - the input nodes
 */
export function scheduleTransfers(
  transfers: PlannedTransfer[],
  fromOf: readonly number[],
  toOf: readonly number[],
  nodes: readonly PlannerNode[],
): void {
  const count = transfers.length
  const outflow = new Map<number, bigint>()
  // Transfers into each node, as linked lists over transfer indices (-1 ends a list).
  const firstInto = new Map<number, number>()
  const nextInto = new Int32Array(count)
  for (let t = count - 1; t >= 0; t--) {
    const from = fromOf[t]!
    outflow.set(from, (outflow.get(from) ?? 0n) + transfers[t]!.amount)
    const to = toOf[t]!
    nextInto[t] = firstInto.get(to) ?? -1
    firstInto.set(to, t)
  }
  // Whether a node's transfers wait for its inflows (computed once per node).
  const waits = new Map<number, boolean>()
  // 0 new, 1 being visited, 2 done.
  const state = new Uint8Array(count)
  const visit = (t: number): void => {
    if (state[t] === 2) return
    // The solver returns acyclic plans only (`solveFixedCharge`): a cycle here is a bug, and a
    // schedule through it would claim waves that cannot run.
    if (state[t] === 1) throw new Error('unreachable: a planned transfer waits on itself (cyclic plan)')
    state[t] = 1
    const transfer = transfers[t]!
    const from = fromOf[t]!
    let wait = waits.get(from)
    if (wait === undefined) {
      const node = nodes[from]!
      const own = node.balance > node.target ? node.balance - node.target : 0n
      wait = outflow.get(from)! > own
      waits.set(from, wait)
    }
    let start = 0
    let wave = 0
    if (wait) {
      for (let u = firstInto.get(from) ?? -1; u !== -1; u = nextInto[u]!) {
        visit(u)
        const inflow = transfers[u]!
        start = Math.max(start, inflow.deliveredAfterSeconds)
        wave = Math.max(wave, inflow.wave + 1)
      }
    }
    transfer.wave = wave
    transfer.deliveredAfterSeconds = start + transfer.latencySeconds
    state[t] = 2
  }
  for (let t = 0; t < count; t++) visit(t)
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  transfers.sort((x, y) => x.wave - y.wave || byText(x.asset, y.asset) || byText(x.routeId, y.routeId))
}
