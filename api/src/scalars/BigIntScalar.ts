import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

function parseBigInt(value: unknown): bigint {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  throw new GraphQLError(
    `BigInt must be an integer (as a string or a safe integer), got ${JSON.stringify(value)}.`,
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        hint: 'Write large integers as strings, e.g. "123456789012345678901".',
      },
    },
  )
}

/**
 * `BigInt`: an integer of any size (block numbers, raw token amounts), serialized as a decimal
 * string so that no client parses it into a lossy number.
 *
 * @example
 * ```graphql
 * { pool(id: "0x..", blocks: [{ chainId: 31337, block: "120" }]) { reserveRatio } }
 * ```
 */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'An integer of any size as a decimal string, e.g. "1000000".',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString()
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return value
    throw new TypeError(`BigInt cannot represent ${String(value)}`)
  },
  parseValue: parseBigInt,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT)
      return parseBigInt(ast.kind === Kind.INT ? ast.value : ast.value)
    throw new GraphQLError('BigInt must be an integer literal or a string of digits.', {
      nodes: [ast],
      extensions: { code: 'BAD_USER_INPUT' },
    })
  },
})
