import { describe, expect, expectTypeOf, it } from 'vitest'
import { BallastClientError } from './BallastClientError.js'
import { createBallastClient } from './createBallastClient.js'
import { PoolHealthDocument, PoolsDocument } from './generated/operations.js'
import type { ResultOf } from './TypedDocument.js'

// Type tests: `tsc -p sdk/tsconfig.test.json` (part of `npm test`) fails if a wrong field or a
// wrong variable type-checks. The functions are compiled, never run.
async function typeTests() {
  const client = createBallastClient({ url: 'http://127.0.0.1:4000/graphql' })
  const { pool } = await client.request(PoolHealthDocument, { id: '0x01' })
  expectTypeOf(pool.reserveRatio).toEqualTypeOf<string | null>()
  expectTypeOf(pool.at).toEqualTypeOf<number>()
  expectTypeOf(pool.members.nodes[0]!.name).toEqualTypeOf<string>()
  // @ts-expect-error: the PoolHealth operation has no field `reserveRatioo`
  pool.reserveRatioo
  // @ts-expect-error: `members` is not selected by the Pools operation
  ;(await client.request(PoolsDocument)).pools.nodes[0]!.members
  // @ts-expect-error: `id` is required
  await client.request(PoolHealthDocument, {})
  // @ts-expect-error: `at` is a Timestamp (unix seconds), not a string
  await client.request(PoolHealthDocument, { id: '0x01', at: '2026-01-01' })
  // Variables may be omitted when none is required.
  expectTypeOf<ResultOf<typeof PoolsDocument>['pools']['totalCount']>().toEqualTypeOf<number>()
}

describe('createBallastClient', () => {
  it('has typed documents (see typeTests, checked by tsc)', () => {
    expect(typeof typeTests).toBe('function')
    expect(PoolHealthDocument.operationName).toBe('PoolHealth')
    expect(PoolHealthDocument.variablesRequired).toBe(true)
    expect(PoolsDocument.variablesRequired).toBe(false)
  })

  it('turns a network failure into a BallastClientError with a hint', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused by the OS.
    const client = createBallastClient({ url: 'http://127.0.0.1:1/graphql' })
    const error = await client.request(PoolsDocument).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BallastClientError)
    expect((error as BallastClientError).message).toBe(
      'Cannot reach the Ballast API.\n\nDetails: POST http://127.0.0.1:1/graphql failed.\n\nHint: Is `ballast start` running, and is the URL right?',
    )
  })
})
