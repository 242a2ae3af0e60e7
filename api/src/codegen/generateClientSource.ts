import {
  buildSchema,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLEnumType,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  type GraphQLSchema,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionSetNode,
  type TypeNode,
  typeFromAST,
  validate,
} from 'graphql'
import { ApiError } from '../errors/ApiError.js'

/** TypeScript types of the schema's scalars as the wire carries them (JSON). */
export const scalarTypes: Record<string, string> = {
  ID: 'string',
  String: 'string',
  Int: 'number',
  Float: 'number',
  Boolean: 'boolean',
  Decimal: 'Decimal',
  BigInt: 'BigIntString',
  Timestamp: 'number',
  Hex: 'Hex',
}

/** One operation document file. */
export type OperationFile = { name: string; source: string }

const indent = (text: string, by = '  ') =>
  text
    .split('\n')
    .map((l) => (l.length > 0 ? by + l : l))
    .join('\n')

function scalarTs(type: GraphQLScalarType | GraphQLEnumType): string {
  if (type instanceof GraphQLEnumType)
    return type
      .getValues()
      .map((v) => JSON.stringify(v.name))
      .join(' | ')
  const ts = scalarTypes[type.name]
  if (ts === undefined) throw new Error(`no TypeScript type for scalar ${type.name}`)
  return ts
}

function outputTs(
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  nullable = true,
): string {
  if (type instanceof GraphQLNonNull) return outputTs(type.ofType, selection, schema, fragments, false)
  let ts: string
  if (type instanceof GraphQLList) ts = `Array<${outputTs(type.ofType, selection, schema, fragments)}>`
  else if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) ts = scalarTs(type)
  else if (isCompositeType(type) && selection !== undefined)
    ts = objectTs(type as GraphQLObjectType, selection, schema, fragments)
  else throw new Error(`cannot type ${String(type)}`)
  return nullable ? `${ts} | null` : ts
}

function collectFields(
  selection: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  into: FieldNode[] = [],
): FieldNode[] {
  for (const s of selection.selections) {
    if (s.kind === Kind.FIELD) into.push(s)
    else if (s.kind === Kind.INLINE_FRAGMENT) collectFields(s.selectionSet, fragments, into)
    else {
      const fragment = fragments.get(s.name.value)
      if (fragment === undefined) throw new Error(`unknown fragment ${s.name.value}`)
      collectFields(fragment.selectionSet, fragments, into)
    }
  }
  return into
}

function objectTs(
  type: GraphQLObjectType,
  selection: SelectionSetNode,
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
): string {
  const lines = new Map<string, string>()
  for (const field of collectFields(selection, fragments)) {
    const key = field.alias?.value ?? field.name.value
    if (field.name.value === '__typename') {
      lines.set(key, `${key}: ${JSON.stringify(type.name)}`)
      continue
    }
    const def = type.getFields()[field.name.value]
    if (def === undefined) throw new Error(`unknown field ${type.name}.${field.name.value}`)
    lines.set(key, `${key}: ${outputTs(def.type, field.selectionSet, schema, fragments)}`)
  }
  return `{\n${indent([...lines.values()].join('\n'))}\n}`
}

function inputTs(type: GraphQLInputType, nullable = true): string {
  if (type instanceof GraphQLNonNull) return inputTs(type.ofType, false)
  let ts: string
  if (type instanceof GraphQLList) ts = `Array<${inputTs(type.ofType)}>`
  else if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) ts = scalarTs(type)
  else if (type instanceof GraphQLInputObjectType) {
    const fields = Object.values(type.getFields()).map((f) => {
      const optional = !(f.type instanceof GraphQLNonNull) || f.defaultValue !== undefined
      return `${f.name}${optional ? '?' : ''}: ${inputTs(f.type)}`
    })
    ts = `{\n${indent(fields.join('\n'))}\n}`
  } else throw new Error(`cannot type input ${String(type)}`)
  return nullable ? `${ts} | null` : ts
}

function variablesTs(
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
): { ts: string; required: boolean } {
  const defs = operation.variableDefinitions ?? []
  if (defs.length === 0) return { ts: 'Record<string, never>', required: false }
  let required = false
  const fields = defs.map((d) => {
    const type = typeFromAST(schema, d.type as TypeNode & { kind: Kind.NAMED_TYPE }) as
      | GraphQLInputType
      | undefined
    if (type === undefined) throw new Error(`unknown variable type of $${d.variable.name.value}`)
    const optional = d.type.kind !== Kind.NON_NULL_TYPE || d.defaultValue !== undefined
    if (!optional) required = true
    return `${d.variable.name.value}${optional ? '?' : ''}: ${inputTs(type)}`
  })
  return { ts: `{\n${indent(fields.join('\n'))}\n}`, required }
}

const suffix = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const

/**
 * Generates the typed operations of the sdk client: for each named operation in the documents,
 * its result type, its variables type and a `TypedDocument` constant carrying both, checked
 * against the schema (a document that does not validate is an error naming it). A small
 * equivalent of GraphQL Code Generator's typed-document output, with no runtime dependency.
 *
 * @param schemaSdl - the API's SDL.
 * @param files - operation documents (`.graphql`), each with named operations.
 * @returns the TypeScript source.
 * @example
 * ```ts
 * generateClientSource(readTypeDefs(), [{ name: 'pool.graphql', source: 'query P($id: ID!) { pool(id: $id) { id } }' }])
 * ```
 */
export function generateClientSource(schemaSdl: string, files: readonly OperationFile[]): string {
  const schema = buildSchema(schemaSdl)
  const out: string[] = [
    '// Generated by `pnpm --filter @ballast/api run codegen` from api/src/schema/schema.graphql and',
    '// sdk/src/client/operations/*.graphql. Do not edit: `npm test` fails when this file is stale.',
    "import type { BigIntString, Decimal, Hex, TypedDocument } from '../TypedDocument.js'",
    '',
  ]
  const seen = new Set<string>()
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    let document: DocumentNode
    try {
      document = parse(file.source)
    } catch (cause) {
      throw new ApiError('An operation document does not parse.', {
        details: `${file.name}: ${String(cause)}`,
      })
    }
    const errors = validate(schema, document)
    if (errors.length > 0) {
      throw new ApiError('An operation document does not match the schema.', {
        details: `${file.name}: ${errors.map((e) => e.message).join('; ')}`,
        metaMessages: ['Fix the document, or the schema if a field is missing.'],
      })
    }
    const fragments = new Map(
      document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    )
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue
      const name = def.name?.value
      if (name === undefined) throw new ApiError('Operations must be named.', { details: file.name })
      if (seen.has(name))
        throw new ApiError('Two operations share a name.', { details: `${name} in ${file.name}` })
      seen.add(name)
      const root = schema.getRootType(def.operation)
      if (root === undefined || root === null) throw new Error(`no ${def.operation} root`)
      const typeName = `${name}${suffix[def.operation]}`
      const variables = variablesTs(def, schema)
      const used = [...fragments.values()].filter((f) => print(def).includes(`...${f.name.value}`))
      const source = [print(def), ...used.map((f) => print(f))].join('\n\n')
      out.push(
        `export type ${typeName} = ${objectTs(root, def.selectionSet, schema, fragments)}`,
        '',
        `export type ${typeName}Variables = ${variables.ts}`,
        '',
        `export const ${name}Document = {`,
        `  kind: ${JSON.stringify(def.operation)},`,
        `  operationName: ${JSON.stringify(name)},`,
        `  variablesRequired: ${variables.required},`,
        `  source: ${JSON.stringify(source)},`,
        `} as TypedDocument<${typeName}, ${typeName}Variables>`,
        '',
      )
    }
  }
  return out.join('\n')
}
