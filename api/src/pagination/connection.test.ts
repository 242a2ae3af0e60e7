import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors/ApiError.js'
import { type Connection, connectionFromArray, encodeCursor, pageArgs } from './connection.js'

describe('connections', () => {
  it('visits every row exactly once across pages', () => {
    const rows = Array.from({ length: 23 }, (_, i) => ({ id: `k${String(i).padStart(2, '0')}` })).reverse()
    const seen: string[] = []
    let after: string | null = null
    for (let guard = 0; guard < 10; guard++) {
      const page: Connection<{ id: string }> = connectionFromArray(rows, pageArgs(5, after), (r) => r.id)
      seen.push(...page.nodes.map((n) => n.id))
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
    }
    expect(seen).toEqual(rows.map((r) => r.id).sort())
  })

  it('refuses first out of 1..100 and foreign cursors with a clear error', () => {
    expect(() => pageArgs(1_000_000, undefined)).toThrow(ApiError)
    expect(() => pageArgs(0, undefined)).toThrow(/out of range/)
    expect(() => pageArgs(5, 'not a cursor!')).toThrow(/Invalid cursor/)
    expect(pageArgs(5, encodeCursor('abc'))).toEqual({ limit: 5, afterKey: 'abc' })
  })
})
