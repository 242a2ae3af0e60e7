import { buildSchema, type GraphQLSchema, graphql } from 'graphql'
import type { Hex } from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import type { EntityStore, StoredEntity, StoreValue } from '../host/EntityStore.js'
import type { SchemaEntity, SchemaField } from '../host/SubgraphSchema.js'

/** What the endpoint serves: the store and the blocks it can be pinned to. */
export type SubgraphGraphqlSource = {
  store: EntityStore
  /** The last indexed block. */
  head: { number: bigint; hash: Hex; timestamp: bigint } | undefined
  block(number: bigint): { hash: Hex; timestamp: bigint } | undefined
  blockNumberOf(hash: Hex): bigint | undefined
}

/** graph-node's limits on list queries. */
export const MAX_FIRST = 1000
export const MAX_SKIP = 5000

const scalarSdl: Record<string, string> = {
  ID: 'ID',
  String: 'String',
  Int: 'Int',
  Boolean: 'Boolean',
  Bytes: 'Bytes',
  BigInt: 'BigInt',
  BigDecimal: 'BigDecimal',
  Int8: 'Int8',
  Timestamp: 'Timestamp',
}
const comparable = new Set(['ID', 'String', 'Int', 'Bytes', 'BigInt', 'BigDecimal', 'Int8', 'Timestamp'])

/**
 * graph-node's collection field name: lower-camel, pluralised (`PriceRound` -> `priceRounds`,
 * `Registry` -> `registries`).
 *
 * @param entity An entity type name.
 * @returns The list query's name.
 * @example
 * ```ts
 * collectionName('Registry') // 'registries'
 * ```
 */
export function collectionName(entity: string): string {
  const single = entity[0]!.toLowerCase() + entity.slice(1)
  if (/[^aeiou]y$/.test(single)) return `${single.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(single)) return `${single}es`
  return `${single}s`
}

const singleName = (entity: string) => entity[0]!.toLowerCase() + entity.slice(1)

function fieldSdl(field: SchemaField): string {
  const base = scalarSdl[field.type] ?? field.type
  if (field.list) return `[${base}!]${field.nonNull || field.derivedFrom ? '!' : ''}`
  return `${base}${field.nonNull ? '!' : ''}`
}

/** The SDL graph-node would serve for these entities (the subset of its API Ballast reads). */
function sdl(entities: readonly SchemaEntity[], enums: ReadonlySet<string>): string {
  const out = [
    'scalar Bytes',
    'scalar BigInt',
    'scalar BigDecimal',
    'scalar Int8',
    'scalar Timestamp',
    'enum OrderDirection { asc desc }',
    'input Block_height { hash: Bytes number: Int number_gte: Int }',
    'type _Block_ { hash: Bytes number: Int! timestamp: Int }',
    'type _Meta_ { block: _Block_! deployment: String! hasIndexingErrors: Boolean! }',
  ]
  for (const e of enums) out.push(`scalar ${e}`)
  const query: string[] = []
  for (const entity of entities) {
    const fields = [...entity.fields.values()]
    out.push(`type ${entity.name} { ${fields.map((f) => `${f.name}: ${fieldSdl(f)}`).join(' ')} }`)
    const filters = fields
      .filter((f) => !f.list && !f.derivedFrom)
      .flatMap((f) => {
        const type = comparable.has(f.type)
          ? (scalarSdl[f.type] ?? 'String')
          : f.type === 'Boolean'
            ? 'Boolean'
            : 'String'
        const ops = comparable.has(f.type) ? ['', '_not', '_gt', '_lt', '_gte', '_lte'] : ['', '_not']
        return [...ops.map((op) => `${f.name}${op}: ${type}`), `${f.name}_in: [${type}!]`]
      })
    out.push(`input ${entity.name}_filter { ${filters.join(' ')} }`)
    const orderable = fields.filter((f) => !f.list && !f.derivedFrom).map((f) => f.name)
    out.push(`enum ${entity.name}_orderBy { ${orderable.join(' ')} }`)
    query.push(
      `${singleName(entity.name)}(id: ID!, block: Block_height): ${entity.name}`,
      `${collectionName(entity.name)}(skip: Int = 0, first: Int = 100, orderBy: ${entity.name}_orderBy, orderDirection: OrderDirection, where: ${entity.name}_filter, block: Block_height): [${entity.name}!]!`,
    )
  }
  query.push('_meta(block: Block_height): _Meta_')
  out.push(`type Query { ${query.join(' ')} }`)
  return out.join('\n')
}

/** graph-node's JSON form of a value: BigInt, BigDecimal, Int8 and Timestamp as strings, Bytes as hex. */
function toJson(value: StoreValue): unknown {
  switch (value.kind) {
    case 'Null':
      return null
    case 'Array':
      return value.value.map(toJson)
    case 'BigInt':
    case 'Int8':
    case 'Timestamp':
      return value.value.toString()
    default:
      return value.value
  }
}

function compare(a: StoreValue | undefined, b: StoreValue | undefined): number {
  const x = a && 'value' in a ? a.value : undefined
  const y = b && 'value' in b ? b.value : undefined
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1
  if (a?.kind === 'BigDecimal') return Math.sign(Number(x) - Number(y))
  return x < y ? -1 : x > y ? 1 : 0
}

/** Parses a filter argument into the field's store value (GraphQL gives BigInt/Bytes as strings). */
function parseArg(field: SchemaField | undefined, raw: unknown): StoreValue {
  const type = field?.type ?? 'ID'
  if (type === 'BigInt' || type === 'Int8' || type === 'Timestamp')
    return { kind: 'BigInt', value: BigInt(String(raw)) }
  if (type === 'Int') return { kind: 'Int', value: Number(raw) }
  if (type === 'Boolean') return { kind: 'Bool', value: Boolean(raw) }
  if (type === 'BigDecimal') return { kind: 'BigDecimal', value: String(raw) }
  return { kind: 'String', value: String(raw).toLowerCase() }
}

/** A field's value for comparisons (Bytes and references compared as lowercase strings). */
function storeValue(
  entity: StoredEntity,
  field: SchemaField | undefined,
  name: string,
): StoreValue | undefined {
  const value = entity.get(name)
  if (!value || value.kind === 'Null') return undefined
  if (value.kind === 'Bytes' || value.kind === 'String')
    return { kind: 'String', value: value.value.toLowerCase() }
  if ((field?.type === 'Int8' || field?.type === 'Timestamp') && 'value' in value) {
    return { kind: 'BigInt', value: value.value as bigint }
  }
  return value
}

function matches(entity: StoredEntity, type: SchemaEntity, where: Record<string, unknown>): boolean {
  for (const [key, raw] of Object.entries(where)) {
    const match = /^(.*?)(_not|_gt|_lt|_gte|_lte|_in)?$/.exec(key)!
    const name = match[1]!
    const op = match[2] ?? ''
    const field = type.fields.get(name)
    const actual = storeValue(entity, field, name)
    if (op === '_in') {
      if (!(raw as unknown[]).some((r) => compare(actual, parseArg(field, r)) === 0)) return false
      continue
    }
    const c = compare(actual, parseArg(field, raw))
    const ok =
      op === ''
        ? c === 0
        : op === '_not'
          ? c !== 0
          : op === '_gt'
            ? c > 0
            : op === '_lt'
              ? c < 0
              : op === '_gte'
                ? c >= 0
                : c <= 0
    if (!ok) return false
  }
  return true
}

/**
 * A GraphQL endpoint over a test host's store with graph-node's query conventions: `entity(id)`,
 * `entities(first, skip, where, orderBy, orderDirection)`, every query pinnable with
 * `block: { number | hash | number_gte }` (answers from the entity versions at that block; a block
 * past the indexed head is an error, as in graph-node), and `_meta { block { number hash timestamp } }`.
 * BigInt, Int8 and BigDecimal come back as strings, Bytes as hex. It is the stand-in for a
 * graph-node endpoint in tests (graph-node itself does not run here).
 *
 * @param source The store and its blocks (a `SubgraphHost`).
 * @returns The executable schema and an `execute(query, variables)`.
 * @example
 * ```ts
 * const api = createSubgraphGraphql(host)
 * await api.execute('{ balances(first: 10, where: { id_gt: "0x" }, block: { number: 42 }) { id amount } }')
 * ```
 */
export function createSubgraphGraphql(source: SubgraphGraphqlSource): {
  schema: GraphQLSchema
  execute: (
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<{ data?: unknown; errors?: { message: string }[] }>
} {
  const entities = [...source.store.schema.entities.values()]
  const schema = buildSchema(sdl(entities, source.store.schema.enums))

  const pin = (block: { number?: number; hash?: Hex; number_gte?: number } | undefined): bigint => {
    const head = source.head
    if (!head) throw new SubgraphError('The subgraph has not indexed any block yet.')
    if (!block) return head.number
    if (block.hash !== undefined) {
      const number = source.blockNumberOf(block.hash)
      if (number === undefined) throw new SubgraphError(`no block with that hash found: ${block.hash}`)
      return number
    }
    const wanted = BigInt(block.number ?? block.number_gte ?? Number(head.number))
    if (wanted > head.number) {
      throw new SubgraphError(
        `Failed to decode \`block.number\` value: \`subgraph has only indexed up to block number ${head.number} and data for block number ${wanted} is therefore not yet available\``,
      )
    }
    return block.number_gte !== undefined ? head.number : wanted
  }

  const byName = new Map(entities.map((e) => [e.name, e]))
  const view = (type: SchemaEntity, entity: StoredEntity, block: bigint): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const field of type.fields.values()) {
      const target = byName.get(field.type)
      if (field.derivedFrom && target) {
        const id = String(toJson(entity.get('id')!)).toLowerCase()
        out[field.name] = () =>
          source.store
            .allAt(target.name, block)
            .filter(([, e]) => {
              const ref = e.get(field.derivedFrom!)
              const refs = ref?.kind === 'Array' ? ref.value : ref ? [ref] : []
              return refs.some((r) => 'value' in r && String(r.value).toLowerCase() === id)
            })
            .map(([, e]) => view(target, e, block))
      } else if (target) {
        const value = entity.get(field.name)
        const ids = !value || value.kind === 'Null' ? [] : value.kind === 'Array' ? value.value : [value]
        const resolve = (v: StoreValue) => {
          const e = 'value' in v ? source.store.getAt(target.name, String(v.value), block) : undefined
          return e ? view(target, e, block) : null
        }
        out[field.name] = () =>
          field.list ? ids.map(resolve).filter((x) => x !== null) : ids[0] ? resolve(ids[0]) : null
      } else {
        const value = entity.get(field.name)
        out[field.name] = value ? toJson(value) : null
      }
    }
    return out
  }

  const rootValue: Record<string, unknown> = {
    _meta: (args: { block?: { number?: number; hash?: Hex; number_gte?: number } }) => {
      const number = pin(args.block)
      const info = source.block(number)
      return {
        block: {
          number: Number(number),
          hash: info?.hash ?? null,
          timestamp: info ? Number(info.timestamp) : null,
        },
        deployment: 'ballast-test-host',
        hasIndexingErrors: false,
      }
    },
  }
  for (const type of entities) {
    rootValue[singleName(type.name)] = (args: { id: string; block?: { number?: number; hash?: Hex } }) => {
      const block = pin(args.block)
      const id = type.fields.get('id')?.type === 'Bytes' ? args.id.toLowerCase() : args.id
      const entity = source.store.getAt(type.name, id, block)
      return entity ? view(type, entity, block) : null
    }
    rootValue[collectionName(type.name)] = (args: {
      skip: number
      first: number
      orderBy?: string
      orderDirection?: 'asc' | 'desc'
      where?: Record<string, unknown>
      block?: { number?: number; hash?: Hex; number_gte?: number }
    }) => {
      if (args.first < 0 || args.first > MAX_FIRST) {
        throw new SubgraphError(
          `The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${args.first}`,
        )
      }
      if (args.skip < 0 || args.skip > MAX_SKIP) {
        throw new SubgraphError(
          `The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${args.skip}`,
        )
      }
      const block = pin(args.block)
      const orderBy = args.orderBy ?? 'id'
      const field = type.fields.get(orderBy)
      const sign = args.orderDirection === 'desc' ? -1 : 1
      return source.store
        .allAt(type.name, block)
        .filter(([, e]) => matches(e, type, args.where ?? {}))
        .sort(
          ([ia, a], [ib, b]) =>
            sign *
            (compare(storeValue(a, field, orderBy), storeValue(b, field, orderBy)) ||
              (ia < ib ? -1 : ia > ib ? 1 : 0)),
        )
        .slice(args.skip, args.skip + args.first)
        .map(([, e]) => view(type, e, block))
    }
  }

  return {
    schema,
    execute: async (query, variables) => {
      const result = await graphql({ schema, source: query, rootValue, variableValues: variables ?? null })
      return {
        ...(result.data ? { data: result.data } : {}),
        ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message })) } : {}),
      }
    },
  }
}
