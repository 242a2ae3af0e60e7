import { afterEach, describe, expect, inject, it } from 'vitest'
import { defineConfig } from '../config/defineConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { encodeUint256 } from '../storage/uint256.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { listBridgeTransfers } from './listBridgeTransfers.js'

const OFT = '0x000000000000000000000000000000000000a003'
const config = defineConfig({
  chains: [
    { chainId: 1, eid: 101, rpcUrls: ['http://127.0.0.1:1'], finalityDepth: 1, startBlock: 0 },
    { chainId: 2, eid: 102, rpcUrls: ['http://127.0.0.1:2'], finalityDepth: 1, startBlock: 0 },
  ],
  pools: [{ id: `0x${'01'.repeat(32)}`, registries: { 1: OFT } }],
  assets: [{ symbol: 'USDC', decimals: 6, tokens: { 1: OFT }, ofts: { 1: OFT, 2: OFT } }],
})
const guid = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

for (const dialect of DIALECTS) {
  describe(`listBridgeTransfers (${dialect})`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    it('pages sent and delivered transfers in a stable order, as of a block', async () => {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const { db } = test
      // Five transfers 1 -> 2 at blocks 10..14; the first three are received on chain 2 at 20..22.
      await db
        .insertInto('oft_sent')
        .values(
          [0, 1, 2, 3, 4].map((i) => ({
            chain_id: 1,
            block_number: 10 + i,
            log_index: 0,
            tx_hash: `0x${i}`,
            oft: OFT,
            guid: guid(i),
            dst_eid: 102,
            from_address: '0xf',
            amount_sent: encodeUint256(100n + BigInt(i)),
            amount_received: encodeUint256(100n + BigInt(i)),
          })),
        )
        .execute()
      await db
        .insertInto('oft_received')
        .values(
          [0, 1, 2].map((i) => ({
            chain_id: 2,
            block_number: 20 + i,
            log_index: 0,
            tx_hash: `0xr${i}`,
            oft: OFT,
            guid: guid(i),
            src_eid: 101,
            to_address: '0xt',
            amount_received: encodeUint256(100n + BigInt(i)),
          })),
        )
        .execute()
      const state = (chainId: number, block: number) => ({
        chain_id: chainId,
        block_number: block,
        block_hash: '0x',
        block_timestamp: 1,
        finalized_block_number: 0,
        head_block_number: block,
      })
      await db
        .insertInto('sync_state')
        .values([state(1, 14), state(2, 22)])
        .execute()
      const ctx = { db, config }

      const page1 = await listBridgeTransfers(ctx, { first: 2 })
      expect(page1.items.map((t) => [t.guid, t.status])).toEqual([
        [guid(0), 'delivered'],
        [guid(1), 'delivered'],
      ])
      expect(page1.hasNextPage).toBe(true)
      const page2 = await listBridgeTransfers(ctx, { first: 2, after: page1.endCursor })
      const page3 = await listBridgeTransfers(ctx, { first: 2, after: page2.endCursor })
      expect([...page2.items, ...page3.items].map((t) => t.guid)).toEqual([guid(2), guid(3), guid(4)])
      expect(page3.hasNextPage).toBe(false)
      expect(page1.items[0]).toMatchObject({
        srcChainId: 1,
        dstChainId: 2,
        asset: 'USDC',
        amountReceived: 100n,
        deliveredBlock: 20,
      })

      const inFlight = await listBridgeTransfers(ctx, { status: 'sent' })
      expect(inFlight.items.map((t) => t.guid)).toEqual([guid(3), guid(4)])
      // As of block 21 on chain 2, the third delivery has not happened yet.
      const earlier = await listBridgeTransfers(ctx, { status: 'sent', at: { blocks: { 2: 21 } } })
      expect(earlier.items.map((t) => t.guid)).toEqual([guid(2), guid(3), guid(4)])
      const delivered = await listBridgeTransfers(ctx, { status: 'delivered', at: { blocks: { 2: 21 } } })
      expect(delivered.items.map((t) => t.guid)).toEqual([guid(0), guid(1)])

      await expect(listBridgeTransfers(ctx, { first: 0 })).rejects.toThrow(IndexerError)
      await expect(listBridgeTransfers(ctx, { after: 'nonsense' })).rejects.toThrow('Invalid cursor.')
    })
  })
}
