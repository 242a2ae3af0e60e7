import type { PlannerRoute } from './PlannerInput.js'

/** The id of a route: its own, or `chainId[/member] -> chainId[/member]`. */
export function routeIdOf(r: PlannerRoute): string {
  if (r.id !== undefined) return r.id
  const end = (e: { chainId: number; member?: string | undefined }) =>
    `${e.chainId}${e.member === undefined ? '' : `/${e.member}`}`
  return `${end(r.from)} -> ${end(r.to)}`
}

/** A route's kind: its own, or `bridge` between chains and `internal` on one chain. */
export function routeKind(r: PlannerRoute): 'bridge' | 'internal' {
  return r.kind ?? (r.from.chainId === r.to.chainId ? 'internal' : 'bridge')
}

/** A route's proportional fee in parts per million (`feePpm`, or `feeBps * 100`). */
export function routeFeePpm(r: PlannerRoute): bigint {
  return r.feePpm ?? (r.feeBps === undefined ? 0n : r.feeBps * 100n)
}
