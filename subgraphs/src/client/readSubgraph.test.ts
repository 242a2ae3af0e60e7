import { join } from 'node:path'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EntityStore, type StoredEntity, type StoreValue } from '../host/EntityStore.js'
import { loadSubgraphSchema } from '../host/SubgraphSchema.js'
import { type SubgraphServer, startSubgraphServer } from '../server/startSubgraphServer.js'
import { readSubgraph } from './readSubgraph.js'

const schema = loadSubgraphSchema(join(import.meta.dirname, '../../schema.graphql'))
const store = new EntityStore(schema)
const hash = (n: number, fork = 0) => `0x${(n * 1000 + fork).toString(16).padStart(64, '0')}` as Hex
const e = (fields: Record<string, StoreValue>): StoredEntity => new Map(Object.entries(fields))
const big = (value: bigint): StoreValue => ({ kind: 'BigInt', value })

function round(i: number, block: bigint) {
  const id = `0x${i.toString(16).padStart(8, '0')}` as Hex
  store.set(
    'PriceRound',
    id,
    e({
      id: { kind: 'Bytes', value: id },
      feed: { kind: 'Bytes', value: feed },
      answer: big(100_000_000n + BigInt(i)),
      roundId: big(BigInt(i)),
      updatedAt: big(1_700_000_000n + BigInt(i)),
      blockNumber: big(block),
      logIndex: big(0n),
    }),
  )
}

// A source whose head moves to a new fork of block 20 after the first `_meta`: the client's pinned
// hash then disappears (as when graph-node reverts a reorged block) and it must start over.
let fork = 0
let metaCalls = 0
const source = {
  store,
  get head() {
    metaCalls++
    if (metaCalls === 2) fork = 1
    return { number: 20n, hash: hash(20, fork), timestamp: 1_700_000_020n }
  },
  block: (n: bigint) => ({ hash: hash(Number(n), n === 20n ? fork : 0), timestamp: 1_700_000_000n + n }),
  blockNumberOf: (h: Hex) => (h === hash(20, fork) ? 20n : h === hash(10) ? 10n : undefined),
}

let server: SubgraphServer
const feed = '0x00000000000000000000000000000000000000fe'
beforeAll(async () => {
  store.set(
    'PriceFeed',
    feed,
    e({
      id: { kind: 'Bytes', value: feed },
      asset: { kind: 'String', value: 'USDC' },
      decimals: { kind: 'Int', value: 8 },
      answer: big(100_000_000n),
      roundId: big(0n),
      updatedAt: big(1_700_000_000n),
      updatedAtBlock: big(10n),
    }),
  )
  for (let i = 0; i < 25; i++) round(i, 10n)
  store.commit(10n)
  for (let i = 25; i < 30; i++) round(i, 20n)
  store.commit(20n)
  server = await startSubgraphServer(source)
})
afterAll(() => server?.stop())

describe('readSubgraph', () => {
  it('reads every entity at one pinned block across pages, starting over when the block is reorged out', async () => {
    const snapshot = await readSubgraph({ url: server.url, schema, pageSize: 7 })
    expect(fork).toBe(1)
    expect(snapshot.block).toEqual({ number: 20, hash: hash(20, 1) })
    const rounds = snapshot.entities.PriceRound!
    expect(rounds.map((r) => r.roundId)).toEqual(Array.from({ length: 30 }, (_, i) => String(i)))
    expect(rounds[0]).toEqual({
      id: '0x00000000',
      feed: { id: feed },
      answer: '100000000',
      roundId: '0',
      updatedAt: '1700000000',
      blockNumber: '10',
      logIndex: '0',
    })
    expect(snapshot.entities.Balance).toEqual([])
  })

  it('reads an older block when asked', async () => {
    const snapshot = await readSubgraph({ url: server.url, schema, blockNumber: 10, pageSize: 1000 })
    expect(snapshot.block.number).toBe(10)
    expect(snapshot.entities.PriceRound).toHaveLength(25)
  })
})
