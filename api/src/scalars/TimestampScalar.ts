import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

function parseTimestamp(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return parseTimestamp(Number(value))
    const ms = Date.parse(value)
    if (/^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(ms)) return Math.floor(ms / 1000)
  }
  throw new GraphQLError(
    `Timestamp must be unix seconds or an ISO-8601 date, got ${JSON.stringify(value)}.`,
    {
      extensions: { code: 'BAD_USER_INPUT', hint: 'For example 1764064800 or "2026-11-25T10:00:00Z".' },
    },
  )
}

/**
 * `Timestamp`: unix time in whole seconds (block timestamps). Input also accepts an ISO-8601
 * string, read as UTC unless it names an offset.
 *
 * @example
 * ```graphql
 * { pool(id: "0x..", at: "2026-11-25T10:00:00Z") { reserveRatio } }
 * ```
 */
export const TimestampScalar = new GraphQLScalarType<number, number>({
  name: 'Timestamp',
  description: 'Unix time in seconds. Input also accepts an ISO-8601 string.',
  serialize: (value) => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value
    if (typeof value === 'bigint') return Number(value)
    throw new TypeError(`Timestamp cannot represent ${String(value)}`)
  },
  parseValue: parseTimestamp,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT) return parseTimestamp(Number(ast.value))
    if (ast.kind === Kind.STRING) return parseTimestamp(ast.value)
    throw new GraphQLError('Timestamp must be an integer (unix seconds) or an ISO-8601 string.', {
      nodes: [ast],
      extensions: { code: 'BAD_USER_INPUT' },
    })
  },
})
