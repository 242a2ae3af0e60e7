import { loadArtifact } from '@ballast/devnet'
import {
  type Address,
  encodeDeployData,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  hexToBigInt,
  keccak256,
  numberToHex,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type CountingProxy, startCountingProxy } from '../../test/countingProxy.js'
import { startTestChain, type TestChain } from '../../test/testChain.js'
import { defineConfig } from '../config/defineConfig.js'
import { getBalances } from '../queries/getBalances.js'
import { bloomMayMatch } from '../rpc/bloomMayMatch.js'
import { createTestDatabase } from '../testing/createTestDatabase.js'
import { runIndexer } from './runIndexer.js'

const CHAIN_ID = 32_171
// anvil's first three dev accounts (unlocked): the token owner, the tracked holder, a stranger.
const OWNER: Address = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const HOLDER: Address = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const STRANGER: Address = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'
const TRANSFER_TOPIC = keccak256(toHex('Transfer(address,address,uint256)'))

type Receipt = { contractAddress: Address | null; blockNumber: Hex; blockHash: Hex }

/**
 * The realtime sync against a node that answers `eth_getLogs` by number range without the logs of
 * its newest block (header there, receipts not yet: REALWORLD.md), as behind a load balancer.
 */
describe('realtime sync through a lagging node', () => {
  let chain: TestChain
  let proxy: CountingProxy
  let token: Address
  let liability: Address
  const artifact = loadArtifact('DevnetToken')
  const send = async (from: Address, to: Address | undefined, data: Hex): Promise<Receipt> => {
    const hash = await chain.request<Hex>('eth_sendTransaction', [
      { from, ...(to === undefined ? {} : { to }), data, gas: numberToHex(3_000_000) },
    ])
    // anvil mines the transaction right after answering: its receipt is polled for.
    const deadline = performance.now() + 10_000
    for (;;) {
      const receipt = await chain.request<Receipt | null>('eth_getTransactionReceipt', [hash])
      if (receipt !== null) return receipt
      if (performance.now() > deadline) throw new Error(`no receipt for ${hash}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const deployToken = async (symbol: string) => {
    const data = encodeDeployData({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: [symbol, symbol, 6, OWNER],
    })
    return (await send(OWNER, undefined, data)).contractAddress as Address
  }
  const call = (to: Address, from: Address, functionName: string, args: unknown[]) =>
    send(from, to, encodeFunctionData({ abi: artifact.abi, functionName, args } as never))
  const balanceOf = async (holder: Address, block: number) =>
    hexToBigInt(
      await chain.request<Hex>('eth_call', [
        { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }) },
        numberToHex(block),
      ]),
    )

  beforeAll(async () => {
    chain = await startTestChain(CHAIN_ID)
    token = await deployToken('rUSD')
    liability = await deployToken('mUSD')
    await call(token, OWNER, 'mint', [HOLDER, 1_000_000n])
    await call(token, OWNER, 'mint', [STRANGER, 1_000_000n])
    await call(liability, OWNER, 'mint', [HOLDER, 5n])
    await chain.mine(3)
    proxy = await startCountingProxy(chain.rpcUrl)
  })
  afterAll(async () => {
    await proxy?.close()
    await chain?.stop()
  })

  it("loses no tracked transfer of the newest blocks, and re-reads by hash only blocks whose bloom may hold the holder's logs", async () => {
    const database = await createTestDatabase('sqlite', inject('ballastPostgresUrl'))
    const config = defineConfig({
      chains: [
        { chainId: CHAIN_ID, rpcUrls: [proxy.url], finalityDepth: 2, startBlock: 0, pollingInterval: 50 },
      ],
      pools: [
        {
          id: keccak256(toHex('pool')),
          name: 'pool',
          members: [
            {
              id: keccak256(toHex('member')),
              name: 'member',
              liabilityTokens: { [CHAIN_ID]: liability },
              holders: { [CHAIN_ID]: [HOLDER] },
            },
          ],
        },
      ],
      assets: [{ symbol: 'rUSD', decimals: 6, tokens: { [CHAIN_ID]: token } }],
      snapshotInterval: 0,
    })
    const indexer = await runIndexer({ config, database, logger: false, progress: false })
    const indexedTo = async (block: number) => {
      const deadline = performance.now() + 15_000
      while ((indexer.status()[0]?.indexed ?? -1) < block) {
        if (performance.now() > deadline) throw new Error(`block ${block} not indexed`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    const holderBlocks: Hex[] = []
    const strangerBlocks: Hex[] = []
    try {
      await indexer.synced
      await indexedTo(await chain.head())
      proxy.reset()
      proxy.laggingBlocks = 1
      // Each transfer is the newest block when the sync reads it (anvil mines one per transaction).
      for (const [from, to, value, blocks] of [
        [HOLDER, STRANGER, 7n, holderBlocks],
        [STRANGER, OWNER, 11n, strangerBlocks],
        [STRANGER, HOLDER, 13n, holderBlocks],
        [STRANGER, OWNER, 17n, strangerBlocks],
        [HOLDER, OWNER, 19n, holderBlocks],
      ] as const) {
        const receipt = await call(token, from, 'transfer', [to, value])
        blocks.push(receipt.blockHash)
        await indexedTo(Number(receipt.blockNumber))
      }
      await chain.mine(1)
      await indexedTo(await chain.head())
    } finally {
      proxy.laggingBlocks = 0
      await indexer.stop()
    }
    try {
      // The node did hide the holder's transfers from the number-range answers...
      expect(proxy.counts.dropped).toBeGreaterThanOrEqual(holderBlocks.length)
      // ...and the indexed balance is still the chain's at the indexed head: none was lost.
      const state = await database.db.selectFrom('sync_state').selectAll().executeTakeFirstOrThrow()
      const head = Number(state.block_number)
      expect(head).toBe(await chain.head())
      const balances = await getBalances({ db: database.db, config }, { chainId: CHAIN_ID })
      const indexed = balances.find((b) => b.token === token.toLowerCase() && b.holder === HOLDER)?.amount
      const onChain = await balanceOf(HOLDER, head)
      expect(onChain).toBe(1_000_000n - 7n + 13n - 19n)
      expect(indexed).toBe(onChain)

      // Re-reads by hash: every holder block (its bloom may match), no stranger's block (same token,
      // same event, but the holder's topic is not in its bloom), and nothing else.
      const holderTopic = `0x${HOLDER.slice(2).padStart(64, '0')}` as Hex
      for (const hash of strangerBlocks) {
        const header = await chain.request<{ logsBloom: Hex }>('eth_getBlockByHash', [hash, false])
        expect(bloomMayMatch(header.logsBloom, { address: [token], topics: [TRANSFER_TOPIC] })).toBe(true)
        expect(
          bloomMayMatch(header.logsBloom, { address: [token], topics: [TRANSFER_TOPIC, [holderTopic]] }),
        ).toBe(false)
      }
      const asked = new Set(proxy.counts.byHash)
      expect([...asked].sort()).toEqual([...holderBlocks].sort())
      for (const hash of strangerBlocks) expect(asked.has(hash)).toBe(false)
    } finally {
      await database.cleanup()
    }
  }, 60_000)
})
