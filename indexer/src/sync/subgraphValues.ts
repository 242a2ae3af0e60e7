/** An entity reference as graph-node answers it (`{ id }`, or null when unset). */
export type Ref = { id: string } | null

/** The referenced entity's id ('' for none). */
export function ref(value: Ref): string {
  return value?.id ?? ''
}

/** Hex and addresses are stored lower-case, whatever case the subgraph answers in. */
export function lower<T extends string>(value: T): T {
  return value.toLowerCase() as T
}

/** Times beyond 2^53 s (never, in practice) are clamped: "effective never". */
export function safeSeconds(value: string): number {
  const n = BigInt(value)
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n)
}
