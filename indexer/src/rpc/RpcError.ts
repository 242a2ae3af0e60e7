import { IndexerError } from '../errors/IndexerError.js'

/** Why an RPC call failed, as far as the sync loop cares. */
export type RpcErrorKind =
  /** Too many results, response too large, or range too wide: split the `eth_getLogs` range. */
  | 'range'
  /** Timed out: retry, and for `eth_getLogs` also shrink the range. */
  | 'timeout'
  /** Rate limited (429) or a transient server error (5xx, -32603, network): back off and retry. */
  | 'transient'
  /** Anything else (bad params, method missing): retrying will not help. */
  | 'fatal'

/**
 * A JSON-RPC call failed (after retries, if retryable). `kind` tells the caller what to do next;
 * `retryable` is true for everything but `fatal`.
 *
 * @example
 * ```ts
 * if (error instanceof RpcError && error.kind === 'range') splitRange()
 * ```
 */
export class RpcError extends IndexerError {
  override name = 'RpcError'
  readonly kind: RpcErrorKind
  /**
   * How many times too large the response was, when the client refused it by its declared size
   * (viem's `ResponseBodyTooLargeError` after a `Content-Length` above the limit): lets a caller
   * shrink an `eth_getLogs` range to fit in one step instead of halving it repeatedly.
   */
  readonly oversize: number | undefined

  constructor(method: string, chainId: number, kind: RpcErrorKind, cause: unknown) {
    super(`RPC call ${method} failed on chain ${chainId} (${kind}).`, {
      details: messageOf(cause),
      metaMessages: kind === 'fatal' ? ['Check the RPC URLs of the chain in the config.'] : undefined,
      cause,
      retryable: kind !== 'fatal',
    })
    this.kind = kind
    this.oversize = oversizeOf(cause)
  }
}

/** `size / maxSize` of a `ResponseBodyTooLargeError` in the cause chain, when above 1. */
function oversizeOf(error: unknown): number | undefined {
  for (const e of causeChain(error)) {
    const { name, size, maxSize } = e as { name?: unknown; size?: unknown; maxSize?: unknown }
    if (name === 'ResponseBodyTooLargeError' && typeof size === 'number' && typeof maxSize === 'number') {
      return maxSize > 0 && size > maxSize ? size / maxSize : undefined
    }
  }
  return undefined
}

/** The error and its causes, outermost first (at most 8: a cycle cannot loop). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; e = (e as Error).cause) {
    chain.push(e)
  }
  return chain
}

const EVM_FAILURE = /execution reverted|EVM error|\brevert|invalid opcode|out of gas|OutOfGas|InvalidOperand/i
const RANGE =
  /too many|more than \d+ (results|logs)|limit exceeded|exceed|block range|range (is )?too (large|wide|big)|response (size|too large)|query returned|logs? limit/i

/**
 * Classifies an error thrown by a viem transport (or the fault-injecting proxy of the tests) by
 * its JSON-RPC code, HTTP status, class name and message: providers disagree on codes for
 * "too many results" (-32005, -32602, -32000), so the message decides for those.
 *
 * @param error Anything thrown by `transport.request`.
 * @returns The kind of failure.
 * @example
 * ```ts
 * classifyRpcError(new Error('query returned more than 10000 results')) // 'range'
 * ```
 */
export function classifyRpcError(error: unknown): RpcErrorKind {
  const chain = causeChain(error)
  const text = chain.map(messageOf).join(' | ')
  // The EVM said no (a revert, an invalid opcode, out of gas): deterministic, never retry.
  if (EVM_FAILURE.test(text)) return 'fatal'
  if (RANGE.test(text)) return 'range'
  for (const e of chain) {
    const name = (e as Error).name
    if (name === 'TimeoutError' || name === 'AbortError') return 'timeout'
    const status = (e as { status?: unknown }).status
    if (typeof status === 'number' && (status === 429 || status === 408 || status >= 500)) return 'transient'
    const code = (e as { code?: unknown }).code
    if (code === 429 || code === -32603 || code === -32005 || code === -1 || code === -32000)
      return 'transient'
  }
  if (/timed? ?out|took too long/i.test(text)) return 'timeout'
  if (
    /fetch failed|ECONNRESET|ECONNREFUSED|socket hang up|network|rate limit|429|internal error/i.test(text)
  ) {
    return 'transient'
  }
  return 'fatal'
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const short = (error as { shortMessage?: unknown }).shortMessage
    const details = (error as { details?: unknown }).details
    return [typeof short === 'string' ? short : error.message, typeof details === 'string' ? details : '']
      .filter((s) => s !== '')
      .join(': ')
  }
  return String(error)
}
