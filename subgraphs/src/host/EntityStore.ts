import { SubgraphError } from '../errors/SubgraphError.js'
import type { SchemaEntity, SchemaField, SubgraphSchema } from './SubgraphSchema.js'

/** A stored value, tagged with graph-ts's `ValueKind` name. */
export type StoreValue =
  | { kind: 'String'; value: string }
  | { kind: 'Int'; value: number }
  | { kind: 'BigDecimal'; value: string }
  | { kind: 'Bool'; value: boolean }
  | { kind: 'Array'; value: StoreValue[] }
  | { kind: 'Null' }
  | { kind: 'Bytes'; value: `0x${string}` }
  | { kind: 'BigInt'; value: bigint }
  | { kind: 'Int8'; value: bigint }
  | { kind: 'Timestamp'; value: bigint }

/** An entity: field name -> value. */
export type StoredEntity = Map<string, StoreValue>

/** Plain JS form of an entity for tests: Bytes as lowercase hex, BigInt as bigint, null as null. */
export type PlainEntity = Record<string, unknown>

const scalarKinds: Record<string, StoreValue['kind']> = {
  ID: 'String',
  String: 'String',
  Bytes: 'Bytes',
  BigInt: 'BigInt',
  BigDecimal: 'BigDecimal',
  Int: 'Int',
  Int8: 'Int8',
  Boolean: 'Bool',
  Timestamp: 'Timestamp',
}

function toPlain(value: StoreValue): unknown {
  if (value.kind === 'Null') return null
  if (value.kind === 'Array') return value.value.map(toPlain)
  return value.value
}

/**
 * The test host's in-memory entity store. Every `set` is checked against schema.graphql as
 * graph-node checks it (known entity type and fields, value kinds, required fields, no derived
 * fields stored, the `id` field equal to the key, immutable entities written once). Writes of one
 * handler run are pending until `commit`, so a run that must be replayed leaves nothing behind.
 */
export class EntityStore {
  /** Per type and id, every committed version in block order (graph-node keeps block ranges). */
  private readonly committed = new Map<string, Map<string, { block: bigint; entity: StoredEntity }[]>>()
  private pending = new Map<string, Map<string, StoredEntity>>()

  constructor(readonly schema: SubgraphSchema) {}

  private entityType(name: string): SchemaEntity {
    const entity = this.schema.entities.get(name)
    if (!entity) {
      throw new SubgraphError(`Unknown entity type "${name}".`, {
        details: `schema.graphql defines: ${[...this.schema.entities.keys()].join(', ')}.`,
      })
    }
    return entity
  }

  /** The entity with `id` (pending writes first), or undefined. */
  get(type: string, id: string): StoredEntity | undefined {
    this.entityType(type)
    return this.pending.get(type)?.get(id) ?? this.committed.get(type)?.get(id)?.at(-1)?.entity
  }

  /** The entity as it was at the end of `block` (committed writes only), or undefined. */
  getAt(type: string, id: string, block: bigint): StoredEntity | undefined {
    this.entityType(type)
    return this.versionAt(this.committed.get(type)?.get(id), block)
  }

  private versionAt(
    versions: readonly { block: bigint; entity: StoredEntity }[] | undefined,
    block: bigint,
  ): StoredEntity | undefined {
    if (!versions) return undefined
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.block <= block) return versions[i]!.entity
    return undefined
  }

  /** Stores an entity after merging it over the existing one and checking it against the schema. */
  set(type: string, id: string, data: StoredEntity): void {
    const entity = this.entityType(type)
    const existing = this.get(type, id)
    if (existing && entity.immutable) {
      throw new SubgraphError(`Immutable entity ${type} "${id}" was written twice.`, {
        metaMessages: ['Give each immutable entity a unique id (e.g. tx hash ++ log index).'],
      })
    }
    const merged: StoredEntity = new Map(existing ?? [])
    for (const [field, value] of data) merged.set(field, value)
    this.check(entity, id, merged)
    const table = this.pending.get(type) ?? new Map<string, StoredEntity>()
    this.pending.set(type, table)
    table.set(id, merged)
  }

  /** Entities of `type` whose field `field` is (or lists) `id`, for `@derivedFrom` fields. */
  loadRelated(type: string, id: string, field: string): StoredEntity[] {
    const derived = this.entityType(type).fields.get(field)
    if (!derived?.derivedFrom) {
      throw new SubgraphError(`${type}.${field} is not a @derivedFrom field.`, {
        metaMessages: ['store.loadRelated only answers derived fields.'],
      })
    }
    const target = this.entityType(derived.type)
    const key = derived.derivedFrom
    return this.all(target.name)
      .filter(([, e]) => {
        const value = e.get(key)
        if (!value) return false
        if (value.kind === 'Array') return value.value.some((v) => 'value' in v && String(v.value) === id)
        return 'value' in value && String(value.value) === id
      })
      .map(([, e]) => e)
  }

  /** Every entity of `type` with its id, pending writes included. */
  all(type: string): [string, StoredEntity][] {
    const rows = new Map<string, StoredEntity>()
    for (const [id, versions] of this.committed.get(type) ?? []) rows.set(id, versions.at(-1)!.entity)
    for (const [id, e] of this.pending.get(type) ?? []) rows.set(id, e)
    return [...rows]
  }

  /** Every entity of `type` as it was at the end of `block`, sorted by id. */
  allAt(type: string, block: bigint): [string, StoredEntity][] {
    this.entityType(type)
    const rows: [string, StoredEntity][] = []
    for (const [id, versions] of this.committed.get(type) ?? []) {
      const entity = this.versionAt(versions, block)
      if (entity) rows.push([id, entity])
    }
    return rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Every entity of `type` as a plain object, sorted by id. */
  list(type: string): PlainEntity[] {
    this.entityType(type)
    return this.all(type)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => Object.fromEntries([...e].map(([k, v]) => [k, toPlain(v)])))
  }

  /** Makes the pending writes permanent, as versions written in `block`. */
  commit(block = 0n): void {
    for (const [type, rows] of this.pending) {
      const table = this.committed.get(type) ?? new Map<string, { block: bigint; entity: StoredEntity }[]>()
      this.committed.set(type, table)
      for (const [id, entity] of rows) {
        const versions = table.get(id) ?? []
        table.set(id, versions)
        if (versions.at(-1)?.block === block) versions[versions.length - 1] = { block, entity }
        else versions.push({ block, entity })
      }
    }
    this.pending = new Map()
  }

  /** Drops every version written after `block` (a reorg reverted those blocks), as graph-node does. */
  revertTo(block: bigint): void {
    this.pending = new Map()
    for (const table of this.committed.values()) {
      for (const [id, versions] of table) {
        while (versions.length > 0 && versions.at(-1)!.block > block) versions.pop()
        if (versions.length === 0) table.delete(id)
      }
    }
  }

  /** Drops the pending writes (a handler run to be replayed, or one that failed). */
  rollback(): void {
    this.pending = new Map()
  }

  private check(entity: SchemaEntity, id: string, data: StoredEntity): void {
    const fail = (details: string): never => {
      throw new SubgraphError(`Entity ${entity.name} "${id}" does not match schema.graphql.`, {
        details,
        metaMessages: ['Fix the mapping (or the schema), run `graph codegen`, and rebuild.'],
      })
    }
    for (const [name, value] of data) {
      const field = entity.fields.get(name)
      if (!field) fail(`Unknown field "${name}".`)
      else if (field.derivedFrom) fail(`Field "${name}" is derived (@derivedFrom) and cannot be stored.`)
      else this.checkValue(field, value, fail)
    }
    for (const field of entity.fields.values()) {
      if (field.derivedFrom || !field.nonNull) continue
      const value = data.get(field.name)
      if (!value || value.kind === 'Null') fail(`Required field "${field.name}" is missing or null.`)
    }
    const idValue = data.get('id')
    if (idValue && 'value' in idValue && String(idValue.value) !== id) {
      fail(`Field "id" is ${String(idValue.value)} but the entity is saved as "${id}".`)
    }
  }

  private checkValue(field: SchemaField, value: StoreValue, fail: (details: string) => never): void {
    if (value.kind === 'Null') {
      if (field.nonNull) fail(`Field "${field.name}" is non-null but set to null.`)
      return
    }
    const expected = this.kindOf(field.type)
    const items = field.list
      ? value.kind === 'Array'
        ? value.value
        : fail(`Field "${field.name}" must be a list.`)
      : [value]
    for (const item of items) {
      if (item.kind !== expected) {
        fail(`Field "${field.name}" (${field.type}${field.list ? '[]' : ''}) got a ${item.kind} value.`)
      }
    }
  }

  private kindOf(type: string): StoreValue['kind'] {
    const scalar = scalarKinds[type]
    if (scalar) return scalar
    if (this.schema.enums.has(type)) return 'String'
    const idField = this.entityType(type).fields.get('id')
    return scalarKinds[idField?.type ?? 'ID'] ?? 'String'
  }
}
