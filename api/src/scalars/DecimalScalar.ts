import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

const decimalPattern = /^-?(0|[1-9]\d*)(\.\d+)?$/

function parseDecimal(value: unknown): string {
  if (typeof value === 'string' && decimalPattern.test(value)) return value
  throw new GraphQLError(
    `Decimal must be a string of an exact decimal number, got ${JSON.stringify(value)}.`,
    {
      extensions: { code: 'BAD_USER_INPUT', hint: 'Write amounts as strings, e.g. "-0.4" or "1234.5".' },
    },
  )
}

/**
 * `Decimal`: an exact decimal number carried as a string ("1234.567891"), so that money never
 * passes through a float. Input must be a string (a JSON number would already have lost digits).
 *
 * @example
 * ```graphql
 * { pool(id: "0x..") { stressTest(shocks: [{ asset: "WETH", priceChange: "-0.4" }]) { passes } } }
 * ```
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.567891". Never a float.',
  serialize: (value) => {
    if (typeof value === 'string' && decimalPattern.test(value)) return value
    // A non-decimal here is a server bug: masked for clients, visible in logs.
    throw new TypeError(`Decimal cannot represent ${String(value)}`)
  },
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseDecimal(ast.value)
    throw new GraphQLError('Decimal must be written as a string literal, e.g. "-0.4".', {
      nodes: [ast],
      extensions: { code: 'BAD_USER_INPUT' },
    })
  },
})
