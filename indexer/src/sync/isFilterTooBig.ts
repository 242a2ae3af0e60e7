/**
 * Provider messages saying that a filter (its address list or a topic OR-list) is too big, which a
 * smaller block range never fixes (../shared/REALWORLD.md: geth, Alchemy and dRPC's "exceed max
 * addresses or topics per search position", Infura's "This query contains 5006 filters").
 * The one place this indexer part recognises them; the RPC layer's classifier may take it over.
 */
const FILTER_TOO_BIG =
  /max addresses or topics|contains \d+ filters|exceed max topics|too many (addresses|topics)/i

/**
 * Whether an `eth_getLogs` failure is a "filter too big" refusal (see {@link FILTER_TOO_BIG}).
 *
 * @param error What the call threw (its cause chain is read).
 * @returns True when the filter must be split, not the range.
 * @example
 * ```ts
 * isFilterTooBig(new Error('exceed max addresses or topics per search position')) // true
 * ```
 */
export function isFilterTooBig(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e !== undefined && e !== null && i < 8; e = (e as Error).cause, i++) {
    const { message, details } = e as { message?: unknown; details?: unknown }
    if (typeof message === 'string' && FILTER_TOO_BIG.test(message)) return true
    if (typeof details === 'string' && FILTER_TOO_BIG.test(details)) return true
  }
  return false
}
