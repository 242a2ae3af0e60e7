import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import { IndexerError } from '../errors/IndexerError.js'
import { redactUrl } from '../rpc/redactUrl.js'
import { createSubgraphClient } from './createSubgraphClient.js'

/**
 * Checks at start-up that every chain's subgraph URL answers `_meta` (a graph-node endpoint that
 * has indexed at least one block), so a typo or a stopped node fails fast with the field named
 * (`chains[0].subgraph.url`) instead of retrying forever.
 *
 * @param config The resolved config.
 * @throws ConfigError naming the URL's field when it is unreachable or not a subgraph endpoint.
 * @example
 * ```ts
 * await checkSubgraphUrls(defineConfig(userConfig))
 * ```
 */
export async function checkSubgraphUrls(config: Pick<ResolvedIndexerConfig, 'chains'>): Promise<void> {
  await Promise.all(
    config.chains.map(async (chain, i) => {
      if (chain.subgraph === undefined) return
      const { url } = chain.subgraph
      try {
        await createSubgraphClient(url, Math.min(chain.rpcTimeout, 5_000)).head()
      } catch (error) {
        const reason = error instanceof IndexerError ? error.details : String(error)
        const unreachable = error instanceof IndexerError && /unreachable/.test(error.shortMessage)
        throw new ConfigError(
          `chains[${i}].subgraph.url`,
          unreachable ? 'is unreachable' : 'is not a subgraph endpoint that answers `_meta`',
          {
            value: redactUrl(url),
            hint: `Start graph-node or fix the URL: it must be the deployment's GraphQL endpoint (…/subgraphs/name/<name>). ${reason ?? ''}`.trim(),
            cause: error,
          },
        )
      }
    }),
  )
}
