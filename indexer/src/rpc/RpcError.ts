import { IndexerError } from '../errors/IndexerError.js'

/** Why an RPC call failed, as far as the sync loop cares (what to do next). */
export type RpcErrorKind =
  /** Too many results, response too large, or range too wide: shrink the `eth_getLogs` range. */
  | 'range'
  /** Too many addresses or topics in one filter: split the filter; a smaller range never helps. */
  | 'filter'
  /** The node cannot serve it (pruned history, no archive state): try another URL, never this one again. */
  | 'unavailable'
  /** Timed out: retry, and for `eth_getLogs` also shrink the range. */
  | 'timeout'
  /** Rate limited (429), a transient server or network fault, a head race: back off and retry. */
  | 'transient'
  /** Anything else (bad params, method missing, a revert): retrying will not help. */
  | 'fatal'

/**
 * The message family of a failed call, after ../shared/REALWORLD.md's list of provider messages:
 * the providers disagree on codes (-32005, -32602, -32000 all mean "too many" somewhere), so the
 * message's shape decides, with the numbers it carries.
 */
export type RpcErrorFamily =
  /** The provider says which range would work (Alchemy, Infura, Tenderly): use it. */
  | 'suggested-range'
  /** The provider states a block-range cap (QuickNode, BlockPI, thirdweb, geth, reth, …): learn it. */
  | 'range-cap'
  /** Too many logs or bytes, no number to go by (Arbitrum, Optimism, reth, 1RPC): shrink by density. */
  | 'too-dense'
  /** Too many addresses or topics per position (geth, Infura, Alchemy, dRPC): split the filter. */
  | 'filter-too-big'
  /** Pruned history, missing trie node, header not found, code 4444: another URL may serve it. */
  | 'unavailable'
  /** The block asked for is past what this node (behind a load balancer) has seen yet: retry. */
  | 'head-race'
  | 'timeout'
  | 'transient'
  | 'fatal'

/** What {@link classifyRpcError} read off an error. */
export type RpcErrorClass = {
  family: RpcErrorFamily
  kind: RpcErrorKind
  /** Whether the same call (possibly resized, split, or on another URL) can succeed. */
  retryable: boolean
  /** `suggested-range`: the inclusive range the provider proposed. */
  suggestedRange?: { from: number; to: number } | undefined
  /** `range-cap`: the largest inclusive block range the endpoint serves. */
  cap?: number | undefined
  /** `range`/`filter` families: a results or filter-size limit the provider named. */
  limit?: number | undefined
  /** A 429's `Retry-After`, in ms. */
  retryAfterMs?: number | undefined
  /** What the operator can do about it (for `unavailable` and `fatal`). */
  hint?: string | undefined
}

/**
 * A JSON-RPC call failed (after retries, if retryable). `kind` tells the caller what to do next;
 * `family` and the numbers (`suggestedRange`, `cap`, `limit`) how; `retryable` is true for
 * everything but `fatal` and `unavailable`.
 *
 * @example
 * ```ts
 * if (error instanceof RpcError && error.kind === 'range') splitRange()
 * ```
 */
export class RpcError extends IndexerError {
  override name = 'RpcError'
  readonly kind: RpcErrorKind
  readonly family: RpcErrorFamily
  readonly suggestedRange: { from: number; to: number } | undefined
  readonly cap: number | undefined
  readonly limit: number | undefined
  /**
   * How many times too large the response was, when the client refused it by its declared size
   * (viem's `ResponseBodyTooLargeError` after a `Content-Length` above the limit): lets a caller
   * shrink an `eth_getLogs` range to fit in one step instead of halving it repeatedly.
   */
  readonly oversize: number | undefined

  /**
   * @param method The JSON-RPC method.
   * @param chainId The chain.
   * @param kind What to do next (or a full {@link RpcErrorClass}).
   * @param cause What the transport threw.
   * @param where Which endpoint answered (a redacted URL), for the details.
   */
  constructor(
    method: string,
    chainId: number,
    kind: RpcErrorKind | RpcErrorClass,
    cause: unknown,
    where?: string | undefined,
  ) {
    const c: RpcErrorClass =
      typeof kind === 'string'
        ? {
            family:
              kind === 'range'
                ? 'too-dense'
                : kind === 'filter'
                  ? 'filter-too-big'
                  : kind === 'unavailable'
                    ? 'unavailable'
                    : kind,
            kind,
            retryable: kind !== 'fatal' && kind !== 'unavailable',
          }
        : kind
    const hints =
      c.hint !== undefined
        ? [c.hint]
        : c.kind === 'fatal'
          ? ['Check the RPC URLs of the chain in the config.']
          : undefined
    super(`RPC call ${method} failed on chain ${chainId} (${c.kind}).`, {
      details: where === undefined ? messageOf(cause) : `${messageOf(cause)} (at ${where})`,
      metaMessages: hints,
      cause,
      retryable: c.retryable,
    })
    this.kind = c.kind
    this.family = c.family
    this.suggestedRange = c.suggestedRange
    this.cap = c.cap
    this.limit = c.limit
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
/** A number as providers write it: `10,000`, `10000`, `2K`. */
const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?\b`
/** `[0x0, 0xd043b8]`, `[0xBDE5F8, 0x102DBCC]`: a suggested inclusive range. */
const SUGGESTED = /\[\s*(0x[0-9a-fA-F]+|\d+)\s*,\s*(0x[0-9a-fA-F]+|\d+)\s*\]/
/**
 * Block-range caps with a number: "limited to a 10,000 range", "limited to a 1000 blocks range",
 * "limited to 1024 block range", "Maximum allowed number of requested blocks is 1000", "exceed
 * maximum block range: 50000", "query exceeds max block range 100000", "up to a 500 block range".
 */
const CAP_PATTERNS = [
  new RegExp(String.raw`limited to (?:a )?${NUMBER}\s*(?:blocks? )?range`, 'i'),
  new RegExp(`maximum allowed number of (?:requested )?blocks is ${NUMBER}`, 'i'),
  new RegExp(String.raw`max(?:imum)? block range:?\s*${NUMBER}`, 'i'),
  new RegExp(String.raw`up to an? ${NUMBER}\s*blocks? range`, 'i'),
]
/**
 * Caps stated without a number, with what the provider is documented to allow (REALWORLD.md):
 * Ankr "block range is too wide" (3,000), Chainstack "Block range limit exceeded." (100 on the
 * developer plan), Base's public "block range too large" (about 2,000).
 */
const CAP_DEFAULTS: readonly [RegExp, number][] = [
  [/block range is too wide/i, 3_000],
  [/block range limit exceeded/i, 100],
  [/block range too large/i, 2_000],
]
/** Too many logs or bytes, no range to go by. */
const TOO_DENSE =
  /exceeds limit of|backend response too large|block range is too large|exceeds max results|response size should not|response size exceeded|query returned more than|more than \d[\d,]* (?:results|logs)|too many (?:results|logs)|query timeout exceeded|logs? limit|response too large/i
/** The results limit named by a too-dense message ("more than 10000 results", "max results 20000"). */
const RESULTS_LIMIT = /(?:more than|limit of|max results|cap of)\s*(\d[\d,]*)(?:k|K)?/i
const FILTER_TOO_BIG =
  /exceed max addresses or topics|max(?:imum)? (?:number of )?addresses|contains \d[\d,]* filters|exceed max topics|too many (?:addresses|topics)/i
const FILTER_LIMIT = /current limit is (\d[\d,]*)/i
const UNAVAILABLE =
  /pruned history|history (?:is )?unavailable|missing trie node|header not found|state (?:is )?not available|required historical state|historical state .* not available/i
const HEAD_RACE =
  /block range extends beyond current head|beyond (?:the )?current head|unknown block|cannot be found|block (?:is )?not (?:yet )?(?:found|available)|after last accepted block|requested block .* (?:future|not yet)|from block .* greater than|invalid block range/i
/** A body that was cut short or is not JSON at all: a proxy or the network broke it. */
const MALFORMED =
  /Unterminated|Unexpected (?:end|token|non-whitespace)|in JSON at position|JSON\.parse|is not valid JSON|Bad control character|Expected .* after/i

/**
 * Classifies an error thrown by a viem transport (or a test proxy) by its message family first
 * (with the numbers it carries: a suggested range, a range cap, a results limit), then by its
 * JSON-RPC code, HTTP status and class name. A parser reads the family's shape, not whole strings,
 * so a provider's rewording within a family still classifies.
 *
 * @param error Anything thrown by `transport.request`.
 * @returns The family, what to do next, and the numbers.
 * @example
 * ```ts
 * classifyRpcError(new Error('eth_getLogs is limited to a 10,000 range')) // { family: 'range-cap', cap: 10000, … }
 * ```
 */
export function classifyRpcError(error: unknown): RpcErrorClass {
  const chain = causeChain(error)
  const text = chain.map(messageOf).join(' | ')
  const codes = chain.map((e) => (e as { code?: unknown }).code).filter((c) => typeof c === 'number')
  const status = chain.map((e) => (e as { status?: unknown }).status).find((s) => typeof s === 'number') as
    | number
    | undefined
  // The EVM said no (a revert, an invalid opcode, out of gas): deterministic, never retry.
  if (EVM_FAILURE.test(text)) return { family: 'fatal', kind: 'fatal', retryable: false }
  if (FILTER_TOO_BIG.test(text)) {
    return { family: 'filter-too-big', kind: 'filter', retryable: true, limit: numberIn(FILTER_LIMIT, text) }
  }
  const suggested = suggestedRangeOf(chain, text)
  if (suggested !== undefined) {
    return {
      family: 'suggested-range',
      kind: 'range',
      retryable: true,
      suggestedRange: suggested,
      limit: numberIn(RESULTS_LIMIT, text),
    }
  }
  for (const pattern of CAP_PATTERNS) {
    const m = pattern.exec(text)
    if (m !== null)
      return { family: 'range-cap', kind: 'range', retryable: true, cap: parseNumber(m[1], m[2]) }
  }
  if (TOO_DENSE.test(text) || chain.some((e) => (e as Error).name === 'ResponseBodyTooLargeError')) {
    return { family: 'too-dense', kind: 'range', retryable: true, limit: numberIn(RESULTS_LIMIT, text) }
  }
  for (const [pattern, cap] of CAP_DEFAULTS) {
    if (pattern.test(text)) return { family: 'range-cap', kind: 'range', retryable: true, cap }
  }
  if (codes.includes(4444) || UNAVAILABLE.test(text)) {
    return {
      family: 'unavailable',
      kind: 'unavailable',
      retryable: false,
      hint: 'This node does not keep that history or state: add an archive node URL to the chain, or set a later startBlock.',
    }
  }
  if (HEAD_RACE.test(text)) return { family: 'head-race', kind: 'transient', retryable: true }
  for (const e of chain) {
    const name = (e as Error).name
    if (name === 'TimeoutError' || name === 'AbortError')
      return { family: 'timeout', kind: 'timeout', retryable: true }
  }
  const transient = { family: 'transient', kind: 'transient', retryable: true } as const
  if (status !== undefined && (status === 429 || status === 408 || status >= 500)) {
    return { ...transient, retryAfterMs: retryAfterOf(chain) }
  }
  if (codes.some((c) => c === 429 || c === -32603 || c === -32005 || c === -1 || c === -32000))
    return transient
  if (/timed? ?out|took too long/i.test(text)) return { family: 'timeout', kind: 'timeout', retryable: true }
  // A body cut short (or HTML from a proxy) is the transport's fault, not the request's.
  if (chain.some((e) => (e as Error).name === 'SyntaxError') || MALFORMED.test(text)) return transient
  if (
    /fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|other side closed|terminated|network|rate limit|429|internal error|no backend|temporarily|try again/i.test(
      text,
    )
  ) {
    return transient
  }
  // Any other 4xx over HTTP with no JSON-RPC error (413 without a known message, 403): the
  // endpoint refuses it; another URL may not.
  if (status !== undefined && status >= 400) return { family: 'fatal', kind: 'fatal', retryable: false }
  return { family: 'fatal', kind: 'fatal', retryable: false }
}

/** The suggested range, from the message (`[0x.., 0x..]`) or Infura's `data: { from, to }`. */
function suggestedRangeOf(chain: unknown[], text: string): { from: number; to: number } | undefined {
  for (const e of chain) {
    const data = (e as { data?: unknown }).data as { from?: unknown; to?: unknown } | undefined
    if (typeof data === 'object' && data !== null && data.from !== undefined && data.to !== undefined) {
      const from = Number(data.from)
      const to = Number(data.to)
      if (Number.isSafeInteger(from) && Number.isSafeInteger(to) && to >= from) return { from, to }
    }
  }
  if (!/range|try with|should work/i.test(text)) return undefined
  const m = SUGGESTED.exec(text)
  if (m === null) return undefined
  const from = Number(m[1])
  const to = Number(m[2])
  return Number.isSafeInteger(from) && Number.isSafeInteger(to) && to >= from ? { from, to } : undefined
}

/** A 429's `Retry-After` (seconds, or an HTTP date), in ms. */
function retryAfterOf(chain: unknown[]): number | undefined {
  for (const e of chain) {
    const headers = (e as { headers?: unknown }).headers
    if (!(headers instanceof Headers)) continue
    const value = headers.get('retry-after')
    if (value === null) continue
    const seconds = Number(value)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const date = Date.parse(value)
    if (Number.isFinite(date)) return Math.max(0, date - Date.now())
  }
  return undefined
}

function numberIn(pattern: RegExp, text: string): number | undefined {
  const m = pattern.exec(text)
  return m === null ? undefined : parseNumber(m[1], undefined)
}

function parseNumber(digits: string | undefined, suffix: string | undefined): number | undefined {
  if (digits === undefined) return undefined
  const n = Number(digits.replaceAll(',', ''))
  const scale = suffix === undefined ? 1 : /k/i.test(suffix) ? 1_000 : 1_000_000
  return Number.isFinite(n) ? Math.round(n * scale) : undefined
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
