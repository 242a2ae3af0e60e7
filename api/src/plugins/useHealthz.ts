import type { Plugin } from 'graphql-yoga'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'
import { degradedFields, poolStatusOf } from '../figures/poolStatusOf.js'
import { figuresOf } from '../resolvers/poolParent.js'

/** Options of {@link useHealthz}. */
export type HealthzOptions = {
  /** Largest accepted lag (chain head minus indexed block) of a chain whose block time is unknown, in blocks. */
  maxLagBlocks: bigint
  /**
   * Largest accepted lag of a chain whose block time is known, in seconds (`lagBlocks *
   * blockTime`): 50 blocks are 10 minutes on Ethereum and 12.5 s on Arbitrum, so one block
   * threshold cannot fit both. Default: judge every chain in blocks.
   */
  maxLagSeconds?: number
  /** URL path; default `/healthz`. */
  path?: string
}

/**
 * Serves a health check for load balancers and operators. The body is JSON:
 * `{ status, chains: [{ chainId, name, indexedBlock, headBlock, lagBlocks, lagSeconds }], degraded:
 * [{ poolId, name, status, reasons: [{ code, asset, chainId, message }] }] }`.
 *
 * - 503 `lagging` when a chain's lag exceeds `maxLagSeconds` (chains with a known block time) or
 *   `maxLagBlocks` (the others): another replica may be ahead, so routing away helps;
 * - 503 `error` when the database cannot be read or a pool's latest state cannot be built;
 * - 200 `degraded` when every chain is in sync but some pool's latest figures are not exact (an
 *   unpriced or unreadable position left out, a stale price, ...), with the pools and their
 *   reasons. Not a 503 on purpose: every replica reads the same chains, so taking this one out of
 *   rotation would fix nothing and would hide the other pools, which are served exactly; the pool
 *   itself says DEGRADED in every answer. Alert on `status` instead;
 * - 200 `ok` otherwise.
 *
 * The pools' states come from the data source's memoized latest states and their evaluation is
 * cached per state (as for GraphQL requests), so probing often costs one read of sync progress
 * once the heads stop moving.
 *
 * @param dataSource - where sync progress and pool states are read.
 * @param options - threshold and path.
 * @returns a graphql-yoga plugin.
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useHealthz(dataSource, { maxLagBlocks: 50n })] })
 * ```
 */
export function useHealthz(dataSource: ApiDataSource, options: HealthzOptions): Plugin {
  const path = options.path ?? '/healthz'
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        )
      let meta: Awaited<ReturnType<ApiDataSource['syncMeta']>>
      try {
        meta = await dataSource.syncMeta()
      } catch {
        return json(503, { status: 'error', message: 'Cannot read sync progress from the database.' })
      }
      const chains = meta.map((c) => {
        const lag = c.headBlock > c.indexedBlock ? c.headBlock - c.indexedBlock : 0n
        const lagSeconds =
          c.blockTime === undefined || options.maxLagSeconds === undefined
            ? undefined
            : Number(lag) * c.blockTime
        return {
          chainId: c.chainId,
          name: c.name,
          indexedBlock: c.indexedBlock.toString(),
          headBlock: c.headBlock.toString(),
          lagBlocks: lag.toString(),
          ...(lagSeconds === undefined ? {} : { lagSeconds }),
          ok:
            lagSeconds === undefined
              ? lag <= options.maxLagBlocks
              : lagSeconds <= (options.maxLagSeconds as number),
        }
      })
      const lagging = chains.filter((c) => !c.ok)
      let degraded: Awaited<ReturnType<typeof degradedPools>>
      try {
        degraded = await degradedPools(dataSource)
      } catch (cause) {
        return json(503, {
          status: 'error',
          message: `Cannot evaluate the pools' latest state: ${cause instanceof Error ? cause.message : String(cause)}`,
          chains,
        })
      }
      const status = lagging.length > 0 ? 'lagging' : degraded.length > 0 ? 'degraded' : 'ok'
      return json(lagging.length > 0 ? 503 : 200, {
        status,
        maxLagBlocks: options.maxLagBlocks.toString(),
        ...(options.maxLagSeconds === undefined ? {} : { maxLagSeconds: options.maxLagSeconds }),
        chains,
        degraded,
      })
    },
  }
}

/**
 * The pools whose latest figures are degraded, with their status and reasons.
 *
 * @param dataSource - pools and their latest states.
 * @returns one entry per degraded pool, in the data source's order.
 * @example
 * ```ts
 * await degradedPools(dataSource) // [{ poolId: '0x..', name: 'main', status: 'DEGRADED', reasons: [...] }]
 * ```
 */
export async function degradedPools(dataSource: ApiDataSource) {
  const pools = await dataSource.listPools()
  const states = await dataSource.loadPoolStates(pools.map((p) => ({ poolId: p.id, time: {} })))
  return pools.flatMap((pool, i) => {
    const state = states[i]
    if (state === undefined) return []
    const figures = figuresOf({ poolId: pool.id, time: {}, state })
    if (figures.degraded.length === 0) return []
    return [
      {
        poolId: pool.id,
        name: pool.name,
        status: poolStatusOf(figures),
        reasons: degradedFields(figures.degraded),
      },
    ]
  })
}
