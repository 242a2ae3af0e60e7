import { afterEach, describe, expect, inject, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { claimLease, isLeaseRefusal, leaseOwner, releaseLease } from './chainLease.js'
import { createDatabase } from './createDatabase.js'

for (const dialect of DIALECTS) {
  describe(`chain leases on ${dialect}`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    it('grants a free chain to one owner, renews it for that owner only, and hands it over on release', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const [a, b] = [leaseOwner(), leaseOwner()]
      expect(a).not.toBe(b)
      expect(await claimLease(test.db, dialect, 1, a, 60_000)).toBeUndefined()
      expect(await claimLease(test.db, dialect, 1, b, 60_000)).toMatchObject({ owner: a })
      expect(await claimLease(test.db, dialect, 1, a, 60_000)).toBeUndefined() // renewal
      expect(await claimLease(test.db, dialect, 2, b, 60_000)).toBeUndefined() // another chain is free
      await releaseLease(test.db, 1, b) // not b's: nothing happens
      expect(await claimLease(test.db, dialect, 1, b, 60_000)).toMatchObject({ owner: a })
      await releaseLease(test.db, 1, a)
      expect(await claimLease(test.db, dialect, 1, b, 60_000)).toBeUndefined()
    })

    it('lets another owner take a chain once its lease has expired', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const [a, b] = [leaseOwner(), leaseOwner()]
      expect(await claimLease(test.db, dialect, 7, a, 300)).toBeUndefined()
      expect(await claimLease(test.db, dialect, 7, b, 300)).toMatchObject({ owner: a })
      await expect.poll(() => claimLease(test!.db, dialect, 7, b, 60_000), { timeout: 5_000 }).toBeUndefined()
      expect(await claimLease(test.db, dialect, 7, a, 300)).toMatchObject({ owner: b })
    })
  })
}

describe('chain leases on PostgreSQL: fencing', () => {
  let test: TestDatabase | undefined
  afterEach(async () => {
    await test?.cleanup()
    test = undefined
  })

  it('refuses a sync-state write from any process but the lease owner (so its whole step rolls back)', async () => {
    test = await createTestDatabase('postgres', inject('ballastPostgresUrl'), { schema: 'ballast' })
    const [owner, intruder] = [leaseOwner(), leaseOwner()]
    const writer = await createDatabase(test.config, { migrate: false, leaseOwner: owner })
    const other = await createDatabase(test.config, { migrate: false, leaseOwner: intruder })
    const anonymous = await createDatabase(test.config, { migrate: false })
    const row = (chainId: number, block: number) => ({
      chain_id: chainId,
      block_number: block,
      block_hash: `0x${block}`,
      block_timestamp: block,
      finalized_block_number: 0,
      head_block_number: block,
    })
    try {
      expect(await claimLease(writer.db, 'postgres', 1, owner, 60_000)).toBeUndefined()
      await writer.db.insertInto('sync_state').values(row(1, 10)).execute()
      // The intruder's step: a fact row, then its sync state, in one transaction.
      const step = other.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('blocks')
          .values({
            chain_id: 1,
            block_number: 11,
            log_index: 0,
            hash: '0x11',
            parent_hash: '0x10',
            timestamp: 11,
          })
          .execute()
        await trx.updateTable('sync_state').set({ block_number: 11 }).where('chain_id', '=', 1).execute()
      })
      const refused = await step.then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isLeaseRefusal(refused)).toBe(true)
      expect((refused as Error).message).toContain(
        `chain 1 is leased to ${owner}, not to this writer (${intruder})`,
      )
      expect(await writer.db.selectFrom('blocks').selectAll().execute()).toEqual([])
      await expect(
        anonymous.db.updateTable('sync_state').set({ block_number: 12 }).execute(),
      ).rejects.toThrow(/not to this writer \(no lease\)/)
      // The owner writes; a chain nobody leases is open to everyone (one-process deployments).
      await writer.db.updateTable('sync_state').set({ block_number: 11 }).where('chain_id', '=', 1).execute()
      await anonymous.db.insertInto('sync_state').values(row(2, 5)).execute()
      expect(
        await writer.db
          .selectFrom('sync_state')
          .select(['chain_id', 'block_number'])
          .orderBy('chain_id')
          .execute(),
      ).toEqual([
        { chain_id: 1, block_number: 11 },
        { chain_id: 2, block_number: 5 },
      ])
    } finally {
      await Promise.all([writer.destroy(), other.destroy(), anonymous.destroy()])
    }
  })
})
