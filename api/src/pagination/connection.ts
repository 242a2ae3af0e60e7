import { ApiError } from '../errors/ApiError.js'

/** Largest `first` a client may ask for on any connection. */
export const maxPageSize = 100

/** A page of a connection, in the Relay shape. */
export type Connection<T> = {
  edges: { cursor: string; node: T }[]
  nodes: T[]
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}

/** Validated paging arguments: how many rows, and the sort key to start after. */
export type PageArgs = { limit: number; afterKey: string | undefined }

/**
 * Opaque cursor of a row: base64url of its sort key. Opaque so clients do not build cursors by
 * hand and the key format can change.
 *
 * @param key - the row's unique sort key.
 * @returns the cursor string.
 * @example
 * ```ts
 * encodeCursor('0xab') // 'MHhhYg'
 * ```
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url')
}

/**
 * Checks `first` (1..maxPageSize) and decodes `after`.
 *
 * @param first - rows asked for (default applied by the schema).
 * @param after - cursor from a previous page's `endCursor`.
 * @returns the limit and the sort key to start after.
 * @example
 * ```ts
 * pageArgs(20, undefined) // { limit: 20, afterKey: undefined }
 * ```
 */
export function pageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  const limit = first ?? 20
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new ApiError('`first` is out of range.', {
      details: `first: ${limit}; allowed 1 to ${maxPageSize}.`,
      metaMessages: ['Page through longer lists with `after: pageInfo.endCursor`.'],
    })
  }
  if (after === null || after === undefined) return { limit, afterKey: undefined }
  const afterKey = Buffer.from(after, 'base64url').toString('utf8')
  if (after.length === 0 || encodeCursor(afterKey) !== after) {
    throw new ApiError('Invalid cursor.', {
      details: `after: ${JSON.stringify(after)} is not a cursor this API issued.`,
      metaMessages: ['Pass `pageInfo.endCursor` from the previous page unchanged.'],
    })
  }
  return { limit, afterKey }
}

/**
 * Builds a connection from rows already sorted by key, fetched with one extra row (limit + 1) so
 * `hasNextPage` needs no count query.
 *
 * @param rows - up to limit + 1 rows in key order, all after the cursor.
 * @param limit - the page size.
 * @param keyOf - the row's unique sort key.
 * @returns the connection page.
 * @example
 * ```ts
 * connectionFromRows([{ id: 'a' }, { id: 'b' }], 1, (r) => r.id).pageInfo.hasNextPage // true
 * ```
 */
export function connectionFromRows<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => string,
): Connection<T> {
  const page = rows.slice(0, limit)
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }))
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  }
}

/**
 * Pages through a small list held in memory (members of a pool, pools): sorts by key, skips to
 * the cursor and takes a page.
 *
 * @param all - every row.
 * @param args - validated paging arguments.
 * @param keyOf - the row's unique sort key.
 * @returns the connection page.
 * @example
 * ```ts
 * connectionFromArray([{ id: 'b' }, { id: 'a' }], { limit: 1, afterKey: 'a' }, (r) => r.id).nodes // [{ id: 'b' }]
 * ```
 */
export function connectionFromArray<T>(
  all: readonly T[],
  args: PageArgs,
  keyOf: (row: T) => string,
): Connection<T> {
  const sorted = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  const after = args.afterKey
  const start = after === undefined ? sorted : sorted.filter((row) => keyOf(row) > after)
  return connectionFromRows(start.slice(0, args.limit + 1), args.limit, keyOf)
}
