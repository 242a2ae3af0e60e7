import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createTestDatabaseTarget, type TestDatabaseTarget } from '../testing/createTestDatabase.js'
import { type ChangeEvent, type ChangeFeed, changeChannel, createChangeFeed } from './createChangeFeed.js'

/** Resolves with the next `count` events the feed delivers. */
function next(feed: ChangeFeed, count: number): Promise<ChangeEvent[]> {
  const got: ChangeEvent[] = []
  return new Promise((resolve) => {
    const stop = feed.subscribe((event) => {
      got.push(event)
      if (got.length === count) {
        stop()
        resolve(got)
      }
    })
  })
}

describe('createChangeFeed on PostgreSQL', () => {
  let target: TestDatabaseTarget | undefined
  const feeds: ChangeFeed[] = []
  afterEach(async () => {
    for (const feed of feeds.splice(0)) await feed.close()
    await target?.remove()
  })

  it('delivers a writer’s changes to every process on the same schema, in order, and none across schemas', async () => {
    target = await createTestDatabaseTarget('postgres', inject('ballastPostgresUrl'))
    const url = (target.config as { url: string }).url
    const [writer, replicaA, replicaB, otherSchema] = await Promise.all([
      createChangeFeed({ kind: 'postgres', url, schema: 'one' }),
      createChangeFeed({ kind: 'postgres', url, schema: 'one' }),
      createChangeFeed({ kind: 'postgres', url, schema: 'one' }),
      createChangeFeed({ kind: 'postgres', url, schema: 'two' }),
    ])
    feeds.push(writer, replicaA, replicaB, otherSchema)
    const crossed: ChangeEvent[] = []
    otherSchema.subscribe((event) => crossed.push(event))
    const events: ChangeEvent[] = [
      { type: 'blocks', chainId: 1, block: 10 },
      { type: 'rollback', chainId: 1, block: 8 },
      { type: 'blocks', chainId: 2, block: 5 },
    ]
    const a = next(replicaA, 3)
    const b = next(replicaB, 3)
    for (const event of events) writer.publish(event)
    expect(await a).toEqual(events)
    expect(await b).toEqual(events)
    // A marker on the other schema's channel, sent after, arrives after anything crossed would have.
    const marker = next(otherSchema, 1)
    const otherWriter = await createChangeFeed({ kind: 'postgres', url, schema: 'two' })
    feeds.push(otherWriter)
    otherWriter.publish({ type: 'blocks', chainId: 3, block: 1 })
    expect(await marker).toEqual([{ type: 'blocks', chainId: 3, block: 1 }])
    expect(crossed).toEqual([{ type: 'blocks', chainId: 3, block: 1 }])
  })

  it('listens again after its connection is killed', async () => {
    target = await createTestDatabaseTarget('postgres', inject('ballastPostgresUrl'))
    const url = (target.config as { url: string }).url
    const errors: Error[] = []
    const replica = await createChangeFeed({ kind: 'postgres', url, schema: 'one' }, (e) => errors.push(e))
    const writer = await createChangeFeed({ kind: 'postgres', url, schema: 'one' })
    feeds.push(replica, writer)
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen ${changeChannel('one')}'`,
      )
      expect(killed.rowCount).toBeGreaterThan(0)
    } finally {
      await admin.end()
    }
    await expect.poll(() => errors.length).toBeGreaterThan(0)
    // Once it listens again, a new change reaches it.
    await expect
      .poll(
        async () => {
          const got = next(replica, 1)
          writer.publish({ type: 'blocks', chainId: 1, block: 42 })
          return Promise.race([got, new Promise((resolve) => setTimeout(() => resolve(undefined), 300))])
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([{ type: 'blocks', chainId: 1, block: 42 }])
  })
})

describe('createChangeFeed on SQLite', () => {
  it('fans out in process', async () => {
    const feed = await createChangeFeed({ kind: 'sqlite', file: ':memory:' })
    const got = next(feed, 1)
    feed.publish({ type: 'rollback', chainId: 1, block: 3 })
    expect(await got).toEqual([{ type: 'rollback', chainId: 1, block: 3 }])
    await feed.close()
  })
})
