import { type RunningChains, startChains } from '@ballast/devnet'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { startCountingProxy } from '../../test/countingProxy.js'
import { defineConfig } from '../config/defineConfig.js'
import { BlockTimeUnknownError } from '../errors/BlockTimeUnknownError.js'
import { createBlockTimestampReader } from '../rpc/createBlockTimestampReader.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'
import { resolveAt } from './resolveAt.js'

// A real anvil chain of 30 blocks; the database says: indexed to 30, finalized to 27, headers
// stored for blocks 10 and 28..30 (a block with facts and the unfinalized ones), not for 15.
let running: RunningChains
beforeAll(async () => {
  running = await startChains({ count: 1 })
  await running.chains[0]!.test.mine({ blocks: 30 })
}, 60_000)
afterAll(async () => {
  await running?.stop()
})

/** The chain's own header time of a block (`eth_getBlockByNumber`). */
async function headerTime(block: number): Promise<number> {
  return Number((await running.chains[0]!.public.getBlock({ blockNumber: BigInt(block) })).timestamp)
}

for (const dialect of DIALECTS) {
  describe(`resolveAt at pinned blocks (${dialect})`, () => {
    let test: TestDatabase | undefined
    afterEach(async () => {
      await test?.cleanup()
      test = undefined
    })

    async function seed(rpcUrl: string) {
      test = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      const chainId = running.chains[0]!.chainId
      const config = defineConfig({
        chains: [{ chainId, rpcUrls: [rpcUrl], finalityDepth: 3, startBlock: 0 }],
        pools: [],
        assets: [],
      })
      const stored = [10, 28, 29, 30]
      await test.db
        .insertInto('blocks')
        .values(
          await Promise.all(
            stored.map(async (n) => ({
              chain_id: chainId,
              block_number: n,
              log_index: -1,
              hash: `0x${n}`,
              parent_hash: '',
              timestamp: await headerTime(n),
            })),
          ),
        )
        .execute()
      await test.db
        .insertInto('sync_state')
        .values({
          chain_id: chainId,
          block_number: 30,
          block_hash: '0x30',
          block_timestamp: await headerTime(30),
          finalized_block_number: 27,
          head_block_number: 30,
        })
        .execute()
      return { db: test.db, config, chainId }
    }

    it("carries the pinned block's own header time, read once from the chain when no header is stored", async () => {
      const proxy = await startCountingProxy(running.chains[0]!.rpcUrl)
      try {
        const { db, config, chainId } = await seed(proxy.url)
        const ctx = { db, config, blockTimestamp: createBlockTimestampReader(config) }
        // Block 15 has no stored header: the nearest stored one (10) would be 60 s early.
        const at15 = await resolveAt(ctx, { blocks: { [chainId]: 15 } })
        expect(at15.timestamp).toBe(await headerTime(15))
        expect(at15.timestamp).toBeGreaterThan(await headerTime(10))
        expect(at15.chains.get(chainId)).toEqual({
          chainId,
          blockNumber: 15,
          timestamp: await headerTime(15),
        })
        expect((await resolveAt(ctx, { blocks: { [chainId]: 15 } })).timestamp).toBe(await headerTime(15))
        expect(proxy.counts.methods.eth_getBlockByNumber).toBe(1) // cached: a finalized header never changes
        proxy.reset()
        // A stored header, the indexed block, and a block above it (read at the indexed block): no RPC.
        expect((await resolveAt(ctx, { blocks: { [chainId]: 10 } })).timestamp).toBe(await headerTime(10))
        expect((await resolveAt(ctx, { blocks: { [chainId]: 29 } })).timestamp).toBe(await headerTime(29))
        const above = await resolveAt(ctx, { blocks: { [chainId]: 99 } })
        expect(above.chains.get(chainId)?.blockNumber).toBe(30)
        expect(above.timestamp).toBe(await headerTime(30))
        expect(proxy.counts.methods.eth_getBlockByNumber).toBeUndefined()
      } finally {
        await proxy.close()
      }
    })

    it('refuses a pinned block whose time cannot be known, with the reason and a hint', async () => {
      const { db, config, chainId } = await seed(running.chains[0]!.rpcUrl)
      const withoutReader = resolveAt({ db, config }, { blocks: { [chainId]: 15 } })
      await expect(withoutReader).rejects.toBeInstanceOf(BlockTimeUnknownError)
      await expect(withoutReader).rejects.toThrow(
        [
          'The time of a pinned block is unknown.',
          '',
          `Details: Block 15 of chain ${chainId}: no header is stored and no block-time reader is configured.`,
          '',
          'Hint: Pass `blockTimestamp: createBlockTimestampReader(config)` in the query context, or ask by time (`at`).',
        ].join('\n'),
      )
      // An unfinalized block whose header is missing is not read from the node (it could be another fork's).
      await db.deleteFrom('blocks').where('block_number', '=', 28).execute()
      const ctx = { db, config, blockTimestamp: createBlockTimestampReader(config) }
      const unfinalized = await resolveAt(ctx, { blocks: { [chainId]: 28 } }).catch((e: unknown) => e)
      expect(unfinalized).toBeInstanceOf(BlockTimeUnknownError)
      expect((unfinalized as BlockTimeUnknownError).retryable).toBe(true)
      expect((unfinalized as Error).message).toContain('above the finalized block 27')
      // A chain without rpcUrls (read from a subgraph) cannot be asked.
      const subgraphConfig = defineConfig({
        chains: [
          {
            chainId,
            subgraph: { url: 'http://127.0.0.1:1/subgraphs/name/x' },
            finalityDepth: 3,
            startBlock: 0,
          },
        ],
        pools: [],
        assets: [],
      })
      const noRpc = resolveAt(
        { db, config: subgraphConfig, blockTimestamp: createBlockTimestampReader(subgraphConfig) },
        { blocks: { [chainId]: 15 } },
      )
      await expect(noRpc).rejects.toThrow(
        `Block 15 of chain ${chainId}: chain-${chainId} has no rpcUrls to read its header from.`,
      )
    })
  })
}
