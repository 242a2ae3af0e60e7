import { readFileSync } from 'node:fs'
import { Kind, parse, type TypeNode } from 'graphql'
import { SubgraphError } from '../errors/SubgraphError.js'

/** One field of an entity type in schema.graphql. */
export type SchemaField = {
  name: string
  /** Scalar (`Bytes`, `BigInt`, …), enum or entity type name. */
  type: string
  list: boolean
  nonNull: boolean
  /** `@derivedFrom(field: …)`: never stored, answered by `store.loadRelated`. */
  derivedFrom: string | undefined
}

/** One `@entity` type. */
export type SchemaEntity = {
  name: string
  immutable: boolean
  fields: Map<string, SchemaField>
}

/** The entity types of a subgraph's schema.graphql, as graph-node reads them. */
export type SubgraphSchema = {
  entities: Map<string, SchemaEntity>
  enums: Set<string>
}

function unwrap(type: TypeNode): { type: string; list: boolean; nonNull: boolean } {
  let node = type
  let nonNull = false
  let list = false
  if (node.kind === Kind.NON_NULL_TYPE) {
    nonNull = true
    node = node.type
  }
  if (node.kind === Kind.LIST_TYPE) {
    list = true
    node = node.type
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type
  }
  if (node.kind !== Kind.NAMED_TYPE)
    throw new SubgraphError('Nested lists are not supported in schema.graphql.')
  return { type: node.name.value, list, nonNull }
}

/**
 * Parses schema.graphql into entity types: fields, list/non-null flags, derived fields, immutability.
 *
 * @param file Path of schema.graphql.
 * @returns The schema's entities and enums.
 * @example
 * ```ts
 * const schema = loadSubgraphSchema('subgraphs/schema.graphql')
 * schema.entities.get('Token')?.fields.get('totalSupply') // { type: 'BigInt', nonNull: true, … }
 * ```
 */
export function loadSubgraphSchema(file: string): SubgraphSchema {
  const document = parse(readFileSync(file, 'utf8'))
  const entities = new Map<string, SchemaEntity>()
  const enums = new Set<string>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) enums.add(definition.name.value)
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue
    const entity = definition.directives?.find((d) => d.name.value === 'entity')
    if (!entity) continue
    const immutableArg = entity.arguments?.find((a) => a.name.value === 'immutable')
    const immutable = immutableArg?.value.kind === Kind.BOOLEAN && immutableArg.value.value
    const fields = new Map<string, SchemaField>()
    for (const field of definition.fields ?? []) {
      const derived = field.directives?.find((d) => d.name.value === 'derivedFrom')
      const derivedArg = derived?.arguments?.find((a) => a.name.value === 'field')
      fields.set(field.name.value, {
        name: field.name.value,
        ...unwrap(field.type),
        derivedFrom: derivedArg?.value.kind === Kind.STRING ? derivedArg.value.value : undefined,
      })
    }
    entities.set(definition.name.value, { name: definition.name.value, immutable, fields })
  }
  return { entities, enums }
}
