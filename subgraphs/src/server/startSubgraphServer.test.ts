import { join } from 'node:path'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EntityStore, type StoredEntity, type StoreValue } from '../host/EntityStore.js'
import { loadSubgraphSchema } from '../host/SubgraphSchema.js'
import { collectionName } from './createSubgraphGraphql.js'
import { type SubgraphServer, startSubgraphServer } from './startSubgraphServer.js'

// A real store (the subgraph's schema.graphql, the host's schema checks) written at several blocks,
// served over HTTP; the client side is plain fetch, as an indexer's subgraph source would use it.

const store = new EntityStore(loadSubgraphSchema(join(import.meta.dirname, '../../schema.graphql')))
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
const blocks = new Map(
  [10, 12, 15].map((n) => [BigInt(n), { hash: hash(n), timestamp: BigInt(1_700_000_000 + n) }]),
)
const source = {
  store,
  head: { number: 15n, hash: hash(15), timestamp: 1_700_000_015n },
  block: (n: bigint) => blocks.get(n),
  blockNumberOf: (h: Hex) => [...blocks].find(([, b]) => b.hash === h)?.[0],
}
const e = (fields: Record<string, StoreValue>): StoredEntity => new Map(Object.entries(fields))
const bytes = (value: string): StoreValue => ({ kind: 'Bytes', value: value as Hex })
const big = (value: bigint): StoreValue => ({ kind: 'BigInt', value })
const token = '0x00000000000000000000000000000000000000aa'
const holders = [1, 2, 3, 4, 5].map((i) => `0x${i.toString(16).padStart(40, '0')}`)
const balanceId = (holder: string) => `${token}${holder.slice(2)}`

function write(block: bigint, amounts: (bigint | undefined)[]) {
  amounts.forEach((amount, i) => {
    if (amount === undefined) return
    const holder = holders[i]!
    store.set(
      'Balance',
      balanceId(holder),
      e({
        id: bytes(balanceId(holder)),
        token: bytes(token),
        holder: bytes(holder),
        amount: big(amount),
        seededAtBlock: big(10n),
        updatedAtBlock: big(block),
      }),
    )
  })
  store.commit(block)
}

let server: SubgraphServer
async function query(q: string, variables?: Record<string, unknown>) {
  const res = await fetch(server.url, { method: 'POST', body: JSON.stringify({ query: q, variables }) })
  return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] }
}

beforeAll(async () => {
  store.set(
    'Token',
    token,
    e({
      id: bytes(token),
      kind: { kind: 'String', value: 'reserve' },
      symbol: { kind: 'String', value: 'USDC' },
      decimals: { kind: 'Int', value: 6 },
      totalSupply: big(1_000n),
      seededAtBlock: big(10n),
      updatedAtBlock: big(10n),
    }),
  )
  const member = `0x${'11'.repeat(64)}`
  store.set(
    'Pool',
    `0x${'11'.repeat(32)}`,
    e({
      id: bytes(`0x${'11'.repeat(32)}`),
      name: { kind: 'String', value: 'p' },
      minRatioBps: { kind: 'Int', value: 10_000 },
      targetRatioBps: { kind: 'Int', value: 12_000 },
      createdAtBlock: big(10n),
    }),
  )
  store.set(
    'Member',
    member,
    e({
      id: bytes(member),
      pool: bytes(`0x${'11'.repeat(32)}`),
      memberId: bytes(`0x${'11'.repeat(32)}`),
      name: { kind: 'String', value: 'm' },
      liabilityToken: bytes(token),
      active: { kind: 'Bool', value: true },
      joinedAtBlock: big(10n),
      joinedAtTimestamp: big(1_700_000_010n),
    }),
  )
  for (const h of holders)
    store.set('Holder', h, e({ id: bytes(h), member: bytes(member), active: { kind: 'Bool', value: true } }))
  write(10n, [100n, 200n, 300n, 400n, 500n])
  write(12n, [150n, undefined, 250n, undefined, undefined])
  write(15n, [90n, undefined, undefined, undefined, 0n])
  server = await startSubgraphServer(source)
})
afterAll(() => server?.stop())

async function paginate(block: Record<string, unknown>) {
  const out: { id: string; amount: string }[] = []
  let last = ''
  for (;;) {
    const { data, errors } = await query(
      'query($last: Bytes!, $block: Block_height) { balances(first: 2, orderBy: id, where: { id_gt: $last }, block: $block) { id amount } }',
      { last, block },
    )
    expect(errors).toBeUndefined()
    const page = data?.balances as { id: string; amount: string }[]
    out.push(...page)
    if (page.length < 2) return out
    last = page.at(-1)!.id
  }
}

describe('startSubgraphServer (graph-node query conventions)', () => {
  it('names collections as graph-node does', () => {
    expect(['Registry', 'PriceRound', 'OftSent', 'Balance'].map(collectionName)).toEqual([
      'registries',
      'priceRounds',
      'oftSents',
      'balances',
    ])
  })

  it('paginates by id_gt pinned to a block, with the entity versions of that block', async () => {
    expect((await paginate({ number: 12 })).map((b) => b.amount)).toEqual(['150', '200', '250', '400', '500'])
    expect((await paginate({ hash: hash(10) })).map((b) => b.amount)).toEqual([
      '100',
      '200',
      '300',
      '400',
      '500',
    ])
    expect((await paginate({ number_gte: 15 })).map((b) => b.amount)).toEqual([
      '90',
      '200',
      '250',
      '400',
      '0',
    ])
  })

  it('answers _meta with the indexed head, and refuses blocks past it', async () => {
    expect((await query('{ _meta { block { number hash timestamp } hasIndexingErrors } }')).data).toEqual({
      _meta: { block: { number: 15, hash: hash(15), timestamp: 1_700_000_015 }, hasIndexingErrors: false },
    })
    const { errors } = await query('{ balances(block: { number: 16 }) { id } }')
    expect(errors?.[0]?.message).toContain(
      'has only indexed up to block number 15 and data for block number 16',
    )
  })

  it('resolves references and derived fields, filters and orders', async () => {
    const { data } = await query(`{
      holder(id: "${holders[0]}", block: { number: 12 }) { id active balances { amount token { symbol decimals } } }
      balances(where: { amount_gte: "300" }, orderBy: amount, orderDirection: desc) { amount holder { id } }
    }`)
    expect(data).toEqual({
      holder: {
        id: holders[0],
        active: true,
        balances: [{ amount: '150', token: { symbol: 'USDC', decimals: 6 } }],
      },
      balances: [{ amount: '400', holder: { id: holders[3] } }],
    })
  })

  it('enforces graph-node limits and rejects unknown fields', async () => {
    expect((await query('{ balances(first: 1001) { id } }')).errors?.[0]?.message).toBe(
      'The `first` argument must be between 0 and 1000, but is 1001',
    )
    expect((await query('{ balances { nope } }')).errors?.[0]?.message).toContain('Cannot query field "nope"')
  })
})
