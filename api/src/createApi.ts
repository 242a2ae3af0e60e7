import { readFileSync } from 'node:fs'
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { renderGraphiQL } from '@graphql-yoga/render-graphiql'
import { GraphQLError } from 'graphql'
import {
  type CORSOptions,
  createSchema,
  createYoga,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga'
import type { Registry } from 'prom-client'
import type { ApiDataSource } from './dataSource/ApiDataSource.js'
import { createLoaders } from './dataSource/createLoaders.js'
import { type DrainableDataSource, drainableDataSource } from './dataSource/drainableDataSource.js'
import { ApiError } from './errors/ApiError.js'
import { maxPageSize } from './pagination/connection.js'
import { useBoundedFirst } from './plugins/useBoundedFirst.js'
import { useDashboard } from './plugins/useDashboard.js'
import { useHealthz } from './plugins/useHealthz.js'
import { useMetrics } from './plugins/useMetrics.js'
import { useRequestSizeLimit } from './plugins/useRequestSizeLimit.js'
import { useResultCache } from './plugins/useResultCache.js'
import type { ApiContext } from './resolvers/ApiContext.js'
import { memberResolvers } from './resolvers/memberResolvers.js'
import { poolResolvers } from './resolvers/poolResolvers.js'
import { queryResolvers } from './resolvers/queryResolvers.js'
import { subscriptionResolvers } from './resolvers/subscriptionResolvers.js'
import { BigIntScalar, DecimalScalar, HexScalar, TimestampScalar } from './scalars/index.js'

/** Path of the schema's SDL (also read by the sdk client's code generator). */
export const schemaPath = new URL('./schema/schema.graphql', import.meta.url)

/** Limits on what one request may ask. Defaults suit the schema's deepest real queries. */
export type ApiLimits = {
  /** Deepest selection (default 12). */
  maxDepth?: number
  /**
   * graphql-armor cost (objects 2, scalars 1, times a depth factor, times list sizes asked with
   * `first`; default 250 000: 20 pools with 100 members and their chains costs about 94 000).
   */
  maxCost?: number
  /** Aliases per operation (default 30). */
  maxAliases?: number
  /** Lexer tokens per document (default 4 000). */
  maxTokens?: number
  /** Directives per operation (default 20). */
  maxDirectives?: number
  /** Request body (or GET URL) size in bytes (default 64 KiB). */
  maxBodyBytes?: number
}

/** Options of {@link createApi}. */
export type CreateApiOptions = {
  /** Where the API reads (read-only). */
  dataSource: ApiDataSource
  /** CORS: graphql-yoga's options, or false to send no CORS headers. Default: any origin, no credentials. */
  cors?: CORSOptions | false
  /** Serve GraphiQL on GET /graphql from a browser (default true). */
  graphiql?: boolean
  limits?: ApiLimits
  /** `/healthz` answers 503 when a chain's lag exceeds this many blocks (default 50), for chains of unknown block time. */
  maxLagBlocks?: bigint
  /** `/healthz` answers 503 when a chain's lag exceeds this many seconds, for chains whose block time is known (default 600). */
  maxLagSeconds?: number
  /** How often subscriptions look for new indexed blocks (default 1000 ms). */
  pollIntervalMs?: number
  /**
   * Salt secret of solvency proof trees (>= 32 bytes, 0x hex). Default: random per process, so
   * proofs are not reproducible across restarts; set one to make them so.
   */
  proofSecret?: `0x${string}`
  /**
   * Reuse query results while the indexed heads are unchanged, re-reading them at most every
   * `maxAgeMs` (default 500 ms, 1000 entries); `false` to execute every query.
   */
  resultCache?: { maxAgeMs: number; maxEntries: number } | false
  /**
   * Subscribes to "the indexed data changed" (returns an unsubscribe): cached results are then
   * checked against the indexed heads on the next request, not up to `resultCache.maxAgeMs` later.
   * `startBallast` wires its indexer to it, so a new block shows at once.
   */
  changes?: (listener: () => void) => () => void
  /** Log masked internal errors and server events (default true). */
  logging?: boolean
  /**
   * A built dashboard folder (`web/dist`) to serve at `/` (default: none, `/` answers 404).
   * `ballast start` passes the repository's `web/dist`.
   */
  dashboardDir?: string | URL
}

/** The query GraphiQL opens with: a pool's health, the first thing a Ballast user asks. */
export const graphiqlExampleQuery = `# Ballast: pooled reserve ratio of every pool against its minimum and target,
# per member and per chain. Amounts are exact decimal strings.
# Add \`at: "2026-11-25T10:00:00Z"\` to pool(...) arguments to travel back in time.
query PoolHealth {
  pools(first: 10) {
    nodes {
      id
      name
      reserveRatio
      minRatio
      targetRatio
      healthy
      adjustedReservesUsd
      liabilitiesUsd
      members(first: 20) {
        nodes { name reserveRatio adjustedReservesUsd liabilitiesUsd }
      }
      chains { name reserveRatio adjustedReservesUsd liabilitiesUsd }
    }
  }
  _meta { chains { name indexedBlock indexedTimestamp lagBlocks } }
}
`

/** A ready API: the yoga instance (a fetch handler and a Node request listener) and its metrics. */
export type Api = {
  yoga: YogaServerInstance<object, ApiContext>
  /** `yoga.fetch`, for in-process requests (tests). */
  fetch: YogaServerInstance<object, ApiContext>['fetch']
  /** Prometheus registry served at `/metrics`. */
  registry: Registry
  /**
   * Ends the live subscriptions and resolves once no request still reads the data source; later
   * reads are refused. Call it before closing the database (`serveApi`'s `close` does).
   */
  close: () => Promise<void>
}

function randomSecret(): `0x${string}` {
  return `0x${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`
}

let typeDefsCache: string | undefined

/**
 * The schema's SDL.
 *
 * @returns the SDL text.
 * @example
 * ```ts
 * readTypeDefs().includes('type Pool') // true
 * ```
 */
export function readTypeDefs(): string {
  typeDefsCache ??= readFileSync(schemaPath, 'utf8')
  return typeDefsCache
}

// Duck-typed: graphql-armor and graphql-yoga may load another copy of graphql-js, so
// `instanceof GraphQLError` is not reliable across them.
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError'
}

function maskError(error: unknown, message: string): Error {
  const original = isGraphQLError(error) ? error.originalError : error
  if (original instanceof ApiError) {
    return new GraphQLError(
      original.details === undefined ? original.shortMessage : `${original.shortMessage} ${original.details}`,
      {
        ...(isGraphQLError(error) && error.path !== undefined ? { path: error.path } : {}),
        extensions: {
          code: original.code,
          ...(original.metaMessages.length > 0 ? { hints: original.metaMessages } : {}),
        },
      },
    )
  }
  // Errors the GraphQL layer raised itself (parsing, validation, limits, scalar parsing, HTTP
  // errors of the server such as invalid JSON) are meant for clients.
  if (isGraphQLError(error)) {
    if (original === undefined || original === null || isGraphQLError(original)) return error
    if (error.extensions?.http !== undefined) return error
  }
  return new GraphQLError(message, {
    ...(isGraphQLError(error) && error.path !== undefined ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  })
}

/**
 * Builds the Ballast GraphQL API: a graphql-yoga server over a read-only data source, with limits
 * (graphql-armor: depth, cost, aliases, tokens, directives; request size), masked internal
 * errors, CORS, GraphiQL at `/graphql`, `/healthz`, `/metrics` and a live `poolHealth`
 * subscription over SSE. Use `api.fetch` in process, or `createServer(api.yoga)` to listen.
 *
 * @param options - data source, limits and switches.
 * @returns the API.
 * @example
 * ```ts
 * const api = createApi({ dataSource: createIndexerDataSource(db) })
 * const res = await api.fetch('http://ballast/graphql', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: '{ pools { nodes { id reserveRatio } } }' }),
 * })
 * ```
 */
export function createApi(options: CreateApiOptions): Api {
  const drain = drainableDataSource(options.dataSource)
  const { dataSource } = drain
  const limits = options.limits ?? {}
  const log = options.logging ?? true
  const pollIntervalMs = options.pollIntervalMs ?? 1000
  const proofSecret = options.proofSecret ?? randomSecret()
  const metrics = useMetrics(dataSource)
  const schema = createSchema<ApiContext>({
    typeDefs: readTypeDefs(),
    resolvers: {
      Decimal: DecimalScalar,
      BigInt: BigIntScalar,
      Timestamp: TimestampScalar,
      Hex: HexScalar,
      Query: queryResolvers,
      Pool: poolResolvers,
      Member: memberResolvers,
      Subscription: subscriptionResolvers,
    },
  })
  const yoga = createYoga<object, ApiContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql:
      (options.graphiql ?? true) ? { title: 'Ballast GraphiQL', defaultQuery: graphiqlExampleQuery } : false,
    // GraphiQL with its assets inlined: it works offline and loads nothing from a CDN.
    renderGraphiQL,
    landingPage: false,
    // The body limit is useRequestSizeLimit's (a clear error with a hint, no stream per request).
    maxRequestBodySize: false,
    cors: options.cors === false ? false : (options.cors ?? { origin: '*', credentials: false }),
    logging: log ? 'warn' : false,
    // Masked errors are logged (with their stack) by yoga's logger before they are masked.
    maskedErrors: { maskError: (error, message) => maskError(error, message) },
    context: ({ request }: { request?: Request }): ApiContext => ({
      dataSource,
      loaders: createLoaders(dataSource),
      pollIntervalMs,
      changes: options.changes,
      proofSecret,
      signal: request?.signal === undefined ? drain.signal : AbortSignal.any([drain.signal, request.signal]),
      hold: drain.hold,
    }),
    plugins: [
      useHeldExecution(drain.hold),
      ...(options.dashboardDir === undefined ? [] : [useDashboard(options.dashboardDir)]),
      useRequestSizeLimit(limits.maxBodyBytes ?? 64 * 1024),
      useHealthz(dataSource, {
        maxLagBlocks: options.maxLagBlocks ?? 50n,
        maxLagSeconds: options.maxLagSeconds ?? 600,
      }),
      metrics.plugin,
      ...(options.resultCache === false
        ? []
        : [
            useResultCache(dataSource, {
              ...(options.resultCache ?? { maxAgeMs: 500, maxEntries: 1000 }),
              changes: options.changes,
            }),
          ]),
      useBoundedFirst(maxPageSize),
      // Two armor instances so the depth rule reports before the cost rule (armor's own order
      // runs cost first, and a deep query's cost explodes): the client is told the real reason.
      EnvelopArmorPlugin({
        maxTokens: { n: limits.maxTokens ?? 4_000 },
        maxDirectives: { n: limits.maxDirectives ?? 20 },
        maxAliases: { n: limits.maxAliases ?? 30 },
        maxDepth: { n: limits.maxDepth ?? 12, ignoreIntrospection: true },
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: false },
      }),
      EnvelopArmorPlugin({
        costLimit: { maxCost: limits.maxCost ?? 250_000, ignoreIntrospection: true },
        maxTokens: { enabled: false },
        maxDirectives: { enabled: false },
        maxAliases: { enabled: false },
        maxDepth: { enabled: false },
        blockFieldSuggestion: { enabled: false },
      }),
    ],
  })
  return { yoga, fetch: yoga.fetch, registry: metrics.registry, close: drain.close }
}

/** Holds each query's whole execution (not just its single reads), so `close()` waits for it. */
function useHeldExecution(hold: DrainableDataSource['hold']): Plugin {
  return {
    onExecute() {
      let done: () => void = () => {}
      void hold(
        new Promise<void>((resolve) => {
          done = resolve
        }),
      )
      return { onExecuteDone: () => done() }
    },
  }
}
