import { type Devnet, startDevnet } from '@ballast/devnet'
import { erc4626Abi, validatePoolState } from '@ballast/sdk'
import { type Address, erc20Abi, type Hex, parseAbiItem } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { configFromDevnetManifest } from '../config/configFromDevnetManifest.js'
import { defineConfig } from '../config/defineConfig.js'
import { getBalances } from '../queries/getBalances.js'
import { getMembers } from '../queries/getMembers.js'
import { getSupplies } from '../queries/getSupplies.js'
import { getInFlightTransfers } from '../queries/listBridgeTransfers.js'
import { loadPoolState } from '../queries/loadPoolState.js'
import { createTestDatabase, DIALECTS } from '../testing/createTestDatabase.js'
import { runIndexer } from './runIndexer.js'

const oftSent = parseAbiItem(
  'event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD)',
)
const oftReceived = parseAbiItem(
  'event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD)',
)

describe.each(['steady', 'crash'])('indexing the real devnet (%s scenario)', (scenarioName) => {
  let devnet: Devnet
  beforeAll(async () => {
    // Manual relay: after the history nothing moves, so chain reads and the index see one state.
    devnet = await startDevnet({ chains: 3, scenario: scenarioName, seed: 1, relay: 'manual' })
  }, 180_000)
  afterAll(async () => {
    await devnet?.stop()
  })

  for (const dialect of DIALECTS) {
    it(`equals balanceOf/totalSupply at the indexed blocks, to the wei (${dialect})`, async () => {
      const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
      try {
        const { manifest } = devnet
        const config = defineConfig(configFromDevnetManifest(manifest))
        await (await runIndexer({ config, database, untilSynced: true, logger: false, progress: false })).done
        const ctx = { db: database.db, config }
        const states = await database.db.selectFrom('sync_state').selectAll().execute()
        let compared = 0
        for (const chain of devnet.chains) {
          const block = BigInt(states.find((s) => s.chain_id === chain.chainId)?.block_number ?? -1)
          expect(block).toBe(await chain.public.getBlockNumber())
          const read = (
            address: Address,
            functionName: 'balanceOf' | 'totalSupply',
            args: readonly Address[] = [],
          ) =>
            chain.public.readContract({
              address,
              abi: erc20Abi,
              functionName,
              args,
              blockNumber: block,
            } as never) as Promise<bigint>

          // Reserve holders of every member: every asset token and vault share on this chain.
          const holders = manifest.pools.flatMap((p) =>
            p.members.flatMap((m) => m.holders[chain.chainId] ?? []),
          )
          const tokens = [
            ...manifest.assets
              .map((a) => a.tokens[chain.chainId]?.token)
              .filter((t): t is Address => t !== undefined),
            ...manifest.vaults.filter((v) => v.chainId === chain.chainId).map((v) => v.address),
          ]
          const indexed = await getBalances(ctx, { chainId: chain.chainId })
          for (const holder of holders) {
            for (const token of tokens) {
              const onChain = await read(token, 'balanceOf', [holder])
              const got = indexed.find(
                (b) => b.token === token.toLowerCase() && b.holder === holder.toLowerCase(),
              )
              expect(got?.amount ?? 0n, `${chain.name} ${token} ${holder}`).toBe(onChain)
              compared++
            }
          }
          // Liability tokens and vault shares: supply; vaults: total assets (their underlying balance).
          const supplies = await getSupplies(ctx, { chainId: chain.chainId })
          const liabilityTokens = manifest.pools.flatMap((p) =>
            p.members
              .map((m) => m.liability.tokens[chain.chainId])
              .filter((t): t is Address => t !== undefined),
          )
          for (const token of [
            ...liabilityTokens,
            ...manifest.vaults.filter((v) => v.chainId === chain.chainId).map((v) => v.address),
          ]) {
            const got = supplies.find((s) => s.token === token.toLowerCase())
            expect(got?.supply ?? 0n, `${chain.name} supply ${token}`).toBe(await read(token, 'totalSupply'))
            compared++
          }
          for (const vault of manifest.vaults.filter((v) => v.chainId === chain.chainId)) {
            const totalAssets = (await chain.public.readContract({
              address: vault.address,
              abi: erc4626Abi,
              functionName: 'totalAssets',
              blockNumber: block,
            })) as bigint
            const underlying = manifest.assets.find((a) => a.symbol === vault.asset)?.tokens[chain.chainId]
              ?.token as Address
            const [got] = await getBalances(ctx, {
              chainId: chain.chainId,
              token: underlying,
              holders: [vault.address],
            })
            expect(got?.amount ?? 0n).toBe(totalAssets)
          }
        }
        expect(compared).toBeGreaterThan(10)

        // In flight = OFTSent whose guid has no OFTReceived on any chain, read straight from the chains.
        const sent = new Map<Hex, bigint>()
        const received = new Set<Hex>()
        for (const chain of devnet.chains) {
          const fromBlock = BigInt(manifest.chains.find((c) => c.chainId === chain.chainId)?.deployBlock ?? 0)
          for (const log of await chain.public.getLogs({ event: oftSent, fromBlock }))
            sent.set(log.args.guid as Hex, log.args.amountReceivedLD as bigint)
          for (const log of await chain.public.getLogs({ event: oftReceived, fromBlock }))
            received.add(log.args.guid as Hex)
        }
        const expectedInFlight = [...sent.keys()].filter((g) => !received.has(g)).sort()
        const inFlight = await getInFlightTransfers(ctx)
        expect(inFlight.map((t) => t.guid).sort()).toEqual(expectedInFlight)
        expect(sent.size).toBeGreaterThan(0)

        // Members joined mid-history are members from their join block only.
        let statedMembers = 0
        for (const pool of manifest.pools) {
          for (const member of pool.members) {
            for (const [chainId, joinedAt] of Object.entries(member.joinedAt)) {
              const before = await getMembers(ctx, pool.id, { at: { blocks: { [chainId]: joinedAt - 1 } } })
              const from = await getMembers(ctx, pool.id, { at: { blocks: { [chainId]: joinedAt } } })
              const on = (list: typeof before) =>
                list.some(
                  (m) =>
                    m.memberId === member.id.toLowerCase() &&
                    m.chains.some((c) => c.chainId === Number(chainId)),
                )
              expect(on(before), `${member.name} before ${joinedAt}`).toBe(false)
              expect(on(from), `${member.name} at ${joinedAt}`).toBe(true)
            }
          }
          const state = validatePoolState(await loadPoolState(ctx, pool.id))
          const current = await getMembers(ctx, pool.id)
          expect(state.members.map((m) => m.id)).toEqual(current.map((m) => m.memberId))
          statedMembers += state.members.length
        }
        expect(statedMembers).toBeGreaterThan(0)
        // A member that left is a member up to the block before its MemberLeft, not from it on.
        const left = await database.db
          .selectFrom('member_events')
          .selectAll()
          .where('kind', '=', 'left')
          .execute()
        for (const row of left) {
          const on = async (block: number) =>
            (await getMembers(ctx, row.pool_id as Hex, { at: { blocks: { [row.chain_id]: block } } })).some(
              (m) => m.memberId === row.member_id && m.chains.some((c) => c.chainId === row.chain_id),
            )
          expect(await on(row.block_number - 1)).toBe(true)
          expect(await on(row.block_number)).toBe(false)
        }
        if (scenarioName === 'crash') expect(left.length).toBeGreaterThan(0)
      } finally {
        await database.cleanup()
      }
    }, 120_000)
  }
})
