import { classifyRpcError } from '../rpc/RpcError.js'

/**
 * Provider messages saying that a filter (its address list or a topic OR-list) is too big, which a
 * smaller block range never fixes (../shared/REALWORLD.md: geth, Alchemy and dRPC's "exceed max
 * addresses or topics per search position", Infura's "This query contains 5006 filters").
 * The RPC layer's classifier names the family (`filter-too-big`); these patterns also catch a
 * refusal that reaches the sync loop without an `RpcError` around it (a test proxy, a wrapper).
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
  if (classifyRpcError(error).family === 'filter-too-big') return true
  for (let e: unknown = error, i = 0; e !== undefined && e !== null && i < 8; e = (e as Error).cause, i++) {
    const { message, details } = e as { message?: unknown; details?: unknown }
    if (typeof message === 'string' && FILTER_TOO_BIG.test(message)) return true
    if (typeof details === 'string' && FILTER_TOO_BIG.test(details)) return true
  }
  return false
}
