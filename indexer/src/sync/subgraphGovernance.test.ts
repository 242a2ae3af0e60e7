import { encodeFunctionData, type Hex, keccak256, pad, toHex } from 'viem'
import { afterEach, describe, expect, it } from 'vitest'
import { defineConfig } from '../config/defineConfig.js'
import { registryGovernanceAbi } from '../governance/governanceAbi.js'
import { createTestDatabase, type TestDatabase } from '../testing/createTestDatabase.js'
import type { SubgraphBlock, SubgraphClient } from './createSubgraphClient.js'
import { createSubgraphSync } from './createSubgraphSync.js'

// The subgraph sync's governance rows from a deployment's entities, against a client that answers
// as graph-node would (the end-to-end agreement with RPC is the subgraphs package's parity test):
// what it keeps, what it drops, and a deployment from before the governance entities.

const CHAIN = 31337
const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const
const REGISTRY = a(1)
const ATTESTATION = a(2)
const TIMELOCK = a(3)
const POOL = keccak256(toHex('pool'))
const MEMBER = keccak256(toHex('member'))
const ASSET = a(4)
const tx = (n: number) => pad(toHex(n)) as Hex
const block = (n: number): SubgraphBlock => ({
  number: n,
  hash: pad(toHex(1_000 + n)),
  timestamp: 1_000 + 12 * n,
})

const config = defineConfig({
  chains: [
    {
      chainId: CHAIN,
      finalityDepth: 2,
      startBlock: 0,
      subgraph: { url: 'http://127.0.0.1:9/subgraphs/name/ballast/devnet' },
    },
  ],
  pools: [{ id: POOL, registries: { [CHAIN]: REGISTRY }, attestations: { [CHAIN]: ATTESTATION } }],
  assets: [{ symbol: 'USDC', decimals: 6, tokens: { [CHAIN]: ASSET } }],
})

const riskCall = encodeFunctionData({
  abi: registryGovernanceAbi,
  functionName: 'setRiskParameters',
  args: [POOL, ASSET, 1_500, 8_000, 3_600],
})
const op = (n: number, kind: string, registry: string, extra: Record<string, unknown>) => ({
  id: tx(n),
  timelock: { id: TIMELOCK, registry },
  operationId: pad(toHex(`op-${n}`)),
  kind,
  index: null,
  target: null,
  data: null,
  delay: null,
  blockNumber: String(n),
  logIndex: '1',
  transactionHash: tx(n),
  ...extra,
})
const statement = (n: number, contract: string) => ({
  id: tx(n),
  contract,
  pool: POOL,
  attester: a(9),
  liabilityRoot: pad(toHex('root')),
  totalLiabilities: '1000',
  adjustedReserves: '1250',
  pooledRatioWad: '1250000000000000000',
  asOf: '1000',
  chainIds: [String(CHAIN)],
  blockNumbers: ['2'],
  blockNumber: String(n),
  logIndex: '0',
  transactionHash: tx(n),
})
const entities: Record<string, Record<string, unknown>[]> = {
  Registry: [{ id: REGISTRY }],
  HolderAcknowledgement: [
    { id: tx(3), pool: POOL, memberId: MEMBER, holder: a(7), blockNumber: '3', logIndex: '0' },
  ],
  TimelockOperation: [
    op(4, 'scheduled', REGISTRY, { index: '0', target: REGISTRY, data: riskCall, delay: '600' }),
    op(5, 'cancelled', REGISTRY, { operationId: pad(toHex('op-4')) }),
    // A timelock of another registry than the configured one.
    op(6, 'scheduled', a(99), { index: '0', target: a(99), data: riskCall, delay: '600' }),
  ],
  Attestation: [statement(5, ATTESTATION), statement(6, a(98))],
}

/** A deployment at head 10 holding `entities`; `governance: false` is one without those types. */
function fakeClient(governance: boolean): SubgraphClient & { asked: string[] } {
  const asked: string[] = []
  return {
    url: 'fake',
    asked,
    query: async <T>() =>
      (governance
        ? {
            a: { name: 'HolderAcknowledgement' },
            t: { name: 'TimelockOperation' },
            s: { name: 'Attestation' },
          }
        : { a: null, t: null, s: null }) as T,
    head: async () => block(10),
    blocks: async (numbers) => new Map(numbers.filter((n) => n <= 10).map((n) => [n, block(n)])),
    all: async <T extends { id: string }>(
      entity: string,
      _fields: string,
      _hash: string,
      where: Record<string, string | number> = {},
    ) => {
      asked.push(entity)
      const from = Number(where.blockNumber_gt ?? -1)
      return (entities[entity] ?? []).filter(
        (e) => e.blockNumber === undefined || Number(e.blockNumber) > from,
      ) as T[]
    },
  }
}

let database: TestDatabase | undefined
afterEach(async () => {
  await database?.cleanup()
  database = undefined
})

async function sync(governance: boolean) {
  database = await createTestDatabase('sqlite')
  const client = fakeClient(governance)
  const s = createSubgraphSync({ config, chain: config.chains[0]!, db: database.db, client })
  while ((await s.step()) === 'progress') {}
  const rows = async (
    table: 'holder_acknowledgements' | 'timelock_operations' | 'attestations',
  ): Promise<Record<string, unknown>[]> =>
    (
      await database!.db
        .selectFrom(table as 'timelock_operations')
        .selectAll()
        .orderBy('block_number')
        .execute()
    ).map((r) => ({ ...r, chain_id: Number(r.chain_id), block_number: Number(r.block_number) }))
  return {
    asked: client.asked,
    acknowledgements: await rows('holder_acknowledgements'),
    operations: await rows('timelock_operations'),
    attestations: await rows('attestations'),
  }
}

describe('subgraph sync: governance', () => {
  it("stores the registry's acknowledgements, its timelocks' calls decoded, and the configured attestation's statements", async () => {
    const { acknowledgements, operations, attestations } = await sync(true)
    expect(acknowledgements).toEqual([
      {
        chain_id: CHAIN,
        block_number: 3,
        log_index: 0,
        registry: REGISTRY,
        pool_id: POOL,
        member_id: MEMBER,
        holder: a(7),
      },
    ])
    const common = {
      chain_id: CHAIN,
      log_index: 1,
      timelock: TIMELOCK,
      registry: REGISTRY,
      operation_id: pad(toHex('op-4')),
    }
    expect(operations).toEqual([
      {
        ...common,
        block_number: 4,
        tx_hash: tx(4),
        call_index: 0,
        kind: 'scheduled',
        change_kind: 'setRiskParameters',
        pool_id: POOL,
        asset: ASSET,
        member_id: null,
        change_values: JSON.stringify({
          haircutFloorBps: '1500',
          liquidationThresholdBps: '8000',
          liquidationHorizon: '3600',
        }),
        delay: 600,
      },
      {
        ...common,
        block_number: 5,
        tx_hash: tx(5),
        call_index: -1,
        kind: 'cancelled',
        change_kind: null,
        pool_id: null,
        asset: null,
        member_id: null,
        change_values: null,
        delay: null,
      },
    ])
    expect(attestations.map((r) => [r.contract, r.block_number, r.chain_ids, r.block_numbers])).toEqual([
      [ATTESTATION, 5, JSON.stringify([String(CHAIN)]), JSON.stringify(['2'])],
    ])
  })

  it('reads no governance entity from a deployment older than them, and still syncs', async () => {
    const { asked, acknowledgements, operations, attestations } = await sync(false)
    expect(asked).toContain('Balance')
    expect(
      asked.filter((e) => ['HolderAcknowledgement', 'TimelockOperation', 'Attestation'].includes(e)),
    ).toEqual([])
    expect([acknowledgements, operations, attestations]).toEqual([[], [], []])
  })
})
