import type { Plugin } from 'graphql-yoga'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'

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
 * Serves a health check for load balancers: 200 when every chain's lag is within `maxLagSeconds`
 * (chains with a known block time) or `maxLagBlocks` (the others) of its head, 503 (with the
 * lagging chains) otherwise or when the database cannot be read. The body is JSON:
 * `{ status, chains: [{ chainId, name, indexedBlock, headBlock, lagBlocks, lagSeconds }] }`.
 *
 * @param dataSource - where sync progress is read.
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
      return json(lagging.length > 0 ? 503 : 200, {
        status: lagging.length > 0 ? 'lagging' : 'ok',
        maxLagBlocks: options.maxLagBlocks.toString(),
        ...(options.maxLagSeconds === undefined ? {} : { maxLagSeconds: options.maxLagSeconds }),
        chains,
      })
    },
  }
}
