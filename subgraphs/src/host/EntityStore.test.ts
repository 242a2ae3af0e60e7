import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EntityStore, type StoredEntity } from './EntityStore.js'
import { loadSubgraphSchema } from './SubgraphSchema.js'

const tmp = mkdtempSync(join(tmpdir(), 'ballast-schema-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function store(): EntityStore {
  const file = join(tmp, 'schema.graphql')
  writeFileSync(
    file,
    `type Token @entity(immutable: false) { id: Bytes! symbol: String! supply: BigInt! tags: [String!]! note: String
       balances: [Balance!]! @derivedFrom(field: "token") }
     type Balance @entity(immutable: true) { id: Bytes! token: Token! amount: BigInt! }`,
  )
  return new EntityStore(loadSubgraphSchema(file))
}

const token = (fields: Record<string, StoredEntity extends Map<string, infer V> ? V : never>): StoredEntity =>
  new Map(Object.entries(fields))

const id = '0xaa'
const valid = token({
  id: { kind: 'Bytes', value: id },
  symbol: { kind: 'String', value: 'USDC' },
  supply: { kind: 'BigInt', value: 5n },
  tags: { kind: 'Array', value: [{ kind: 'String', value: 'stable' }] },
})

describe('EntityStore', () => {
  it('stores, merges updates and answers derived fields', () => {
    const s = store()
    s.set('Token', id, valid)
    s.set('Token', id, token({ supply: { kind: 'BigInt', value: 7n } }))
    s.set(
      'Balance',
      '0x01',
      token({
        id: { kind: 'Bytes', value: '0x01' },
        token: { kind: 'Bytes', value: id },
        amount: { kind: 'BigInt', value: 3n },
      }),
    )
    s.commit()
    expect(s.list('Token')).toEqual([{ id, symbol: 'USDC', supply: 7n, tags: ['stable'] }])
    expect(s.loadRelated('Token', id, 'balances').map((b) => b.get('amount'))).toEqual([
      { kind: 'BigInt', value: 3n },
    ])
  })

  it('keeps a rolled back run out of the store', () => {
    const s = store()
    s.set('Token', id, valid)
    expect(s.get('Token', id)).toBeDefined()
    s.rollback()
    expect(s.get('Token', id)).toBeUndefined()
  })

  it.each([
    ['an unknown field', token({ decimals: { kind: 'Int', value: 6 } }), 'Unknown field "decimals".'],
    [
      'a wrong kind',
      token({ supply: { kind: 'String', value: '5' } }),
      'Field "supply" (BigInt) got a String value.',
    ],
    [
      'a null required field',
      token({ symbol: { kind: 'Null' } }),
      'Field "symbol" is non-null but set to null.',
    ],
    [
      'a derived field',
      token({ balances: { kind: 'Array', value: [] } }),
      'Field "balances" is derived (@derivedFrom) and cannot be stored.',
    ],
    [
      'a list of the wrong kind',
      token({ tags: { kind: 'Array', value: [{ kind: 'Int', value: 1 }] } }),
      'Field "tags" (String[]) got a Int value.',
    ],
  ])('rejects %s, naming the field', (_, change, details) => {
    const s = store()
    const entity = new Map([...valid, ...change])
    expect(() => s.set('Token', id, entity)).toThrow(`Entity Token "${id}" does not match schema.graphql.`)
    try {
      s.set('Token', id, entity)
    } catch (error) {
      expect((error as { details: string }).details).toBe(details)
    }
  })

  it('rejects a missing required field, a mismatched id, an unknown type and a second write of an immutable entity', () => {
    const s = store()
    expect(() => s.set('Token', id, token({ id: { kind: 'Bytes', value: id } }))).toThrow(
      'does not match schema.graphql',
    )
    expect(() => s.set('Token', '0xbb', valid)).toThrow('does not match schema.graphql')
    expect(() => s.set('Pool', id, valid)).toThrow('Unknown entity type "Pool".')
    const balance = token({
      id: { kind: 'Bytes', value: '0x01' },
      token: { kind: 'Bytes', value: id },
      amount: { kind: 'BigInt', value: 3n },
    })
    s.set('Balance', '0x01', balance)
    s.commit()
    expect(() => s.set('Balance', '0x01', balance)).toThrow(
      'Immutable entity Balance "0x01" was written twice.',
    )
  })
})
