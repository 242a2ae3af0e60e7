import { InvalidPoolStateError } from './InvalidPoolStateError.js'
import type { PoolState } from './PoolState.js'
import { validatePoolState } from './validatePoolState.js'

/** The `PoolState` fields that hold bigints (written as decimal strings in JSON). */
const BIGINT_FIELDS = new Set([
  'blockNumber',
  'observedAtBlock',
  'answer',
  'assetsPerShare',
  'reserve0',
  'reserve1',
  'totalSupply',
  'haircutFloor',
  'liquidationThreshold',
  'minRatio',
  'targetRatio',
  'minLiquidityUsd',
  'targetLiquidityUsd',
  'amount',
  'supply',
])

const INTEGER = /^-?\d+$/

/**
 * Writes a `PoolState` as JSON, every bigint as a string of its exact decimal digits (JSON numbers
 * would lose precision above 2^53). The inverse of `parsePoolState`.
 *
 * @param state - A pool state.
 * @param space - Indentation, as for `JSON.stringify`.
 * @returns JSON text.
 * @example
 * ```ts
 * serializePoolState(examplePoolState()) // '{"timestamp":1764000000,"blocks":[{"chainId":1,"blockNumber":"1000",...'
 * ```
 */
export function serializePoolState(state: PoolState, space?: number): string {
  return JSON.stringify(
    state,
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    space,
  )
}

/**
 * Reads a `PoolState` from JSON written by `serializePoolState` (or by hand): integer strings in
 * bigint fields become bigints, then the state is validated (`validatePoolState`).
 *
 * @param text - JSON text.
 * @returns The validated state; throws `InvalidPoolStateError` naming the bad field.
 * @example
 * ```ts
 * parsePoolState(serializePoolState(state)) // deep-equals state
 * ```
 */
export function parsePoolState(text: string): PoolState {
  let value: unknown
  try {
    value = JSON.parse(text, (key, v: unknown) =>
      BIGINT_FIELDS.has(key) && typeof v === 'string' && INTEGER.test(v) ? BigInt(v) : v,
    )
  } catch (cause) {
    // details carry the parser's own message (position of the syntax error)
    const message = cause instanceof Error ? cause.message : String(cause)
    throw new InvalidPoolStateError(
      'json',
      'is not valid JSON',
      message,
      'Pass the text serializePoolState wrote.',
    )
  }
  return validatePoolState(value)
}
