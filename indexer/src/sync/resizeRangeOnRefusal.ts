import type { RpcError } from '../rpc/RpcError.js'
import { type RangeState, shrunkRange } from './fetchLogsAdaptive.js'

/**
 * Resizes the chain's `eth_getLogs` range after a refusal of `[from, to]`, as the error's family
 * says (../shared/REALWORLD.md; ranges are inclusive, `to - from + 1` blocks):
 *
 * - `suggested-range`: the provider's range, from `from` to its suggested end (Alchemy, Infura,
 *   Tenderly); the range does not regrow before it is past `to`;
 * - `range-cap`: the cap becomes the range's `max` for good (QuickNode, BlockPI, thirdweb, geth,
 *   reth, …); a cap that was not the real one (a refusal within it, as from a provider whose
 *   message names no number and whose documented default was assumed) lowers `max` below the
 *   refused size and halves;
 * - `too-dense` and timeouts: shrink to the density (see {@link shrunkRange}), no regrowth
 *   before `to`.
 *
 * `filter-too-big` never resizes the range (a smaller range never helps: the caller splits the
 * filter), nor do fatal or "cannot serve it" errors.
 *
 * @param range The chain's range state (mutated).
 * @param error The refusal.
 * @param from First block of the refused call.
 * @param to Last block of the refused call.
 * @returns Whether to retry from `from` with the new `range.size`; false: the caller decides.
 * @example
 * ```ts
 * if (!resizeRangeOnRefusal(range, error, a, b)) throw error
 * ```
 */
export function resizeRangeOnRefusal(range: RangeState, error: RpcError, from: number, to: number): boolean {
  const blocks = to - from + 1
  if (error.kind !== 'range' && error.kind !== 'timeout') return false
  if (error.family === 'suggested-range' && error.suggestedRange !== undefined) {
    const { from: sFrom, to: sTo } = error.suggestedRange
    if (sFrom <= from && sTo >= from && sTo < to) {
      range.size = sTo - from + 1
      range.refusedTo = to
      return true
    }
  }
  if (error.family === 'range-cap' && error.cap !== undefined && error.cap >= 1) {
    if (blocks > error.cap) {
      range.max = Math.min(range.max, error.cap)
      range.size = Math.min(range.size, range.max, error.cap)
      if (range.size >= blocks) range.size = error.cap
      return true
    }
    if (blocks > 1) {
      range.max = Math.min(range.max, blocks - 1)
      range.size = Math.max(1, Math.floor(blocks / 2))
      return true
    }
    return false
  }
  if (blocks <= 1) return false
  range.size = shrunkRange(blocks, error.oversize)
  range.refusedTo = to
  return true
}
