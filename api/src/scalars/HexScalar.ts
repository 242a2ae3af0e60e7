import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

const hexPattern = /^0x[0-9a-fA-F]*$/

function parseHex(value: unknown): `0x${string}` {
  if (typeof value === 'string' && hexPattern.test(value)) return value.toLowerCase() as `0x${string}`
  throw new GraphQLError(`Hex must be a 0x-prefixed hex string, got ${JSON.stringify(value)}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  })
}

/**
 * `Hex`: a 0x-prefixed hex string (addresses, bytes32 ids, hashes), lower-cased on input.
 *
 * @example
 * ```graphql
 * { bridgeTransfers(first: 5) { nodes { guid sentTxHash } } }
 * ```
 */
export const HexScalar = new GraphQLScalarType<`0x${string}`, string>({
  name: 'Hex',
  description: 'A 0x-prefixed hex string (addresses, bytes32 ids, transaction hashes).',
  serialize: (value) => {
    if (typeof value === 'string' && hexPattern.test(value)) return value
    throw new TypeError(`Hex cannot represent ${String(value)}`)
  },
  parseValue: parseHex,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseHex(ast.value)
    throw new GraphQLError('Hex must be a string literal.', {
      nodes: [ast],
      extensions: { code: 'BAD_USER_INPUT' },
    })
  },
})
