import { http } from 'viem'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { ConfigError } from '../errors/ConfigError.js'

/**
 * Checks at start-up that every RPC URL answers and serves the chain id it is configured for,
 * so a typo or a swapped URL fails fast with the field named (`chains[1].rpcUrls[0]`) instead of
 * indexing the wrong chain.
 *
 * @param config The resolved config.
 * @throws ConfigError naming the URL's field when it is unreachable or serves another chain.
 * @example
 * ```ts
 * await checkRpcUrls(defineConfig(userConfig))
 * ```
 */
export async function checkRpcUrls(config: Pick<ResolvedIndexerConfig, 'chains'>): Promise<void> {
  await Promise.all(
    config.chains.flatMap((chain, i) =>
      chain.rpcUrls.map(async (url, j) => {
        const field = `chains[${i}].rpcUrls[${j}]`
        const transport = http(url, { retryCount: 1, timeout: Math.min(chain.rpcTimeout, 5_000) })({})
        let answer: unknown
        try {
          answer = await transport.request({ method: 'eth_chainId' })
        } catch (error) {
          throw new ConfigError(field, 'is unreachable (eth_chainId failed)', {
            value: url,
            hint: 'Start the node or fix the URL.',
            cause: error,
          })
        }
        const served = Number(answer)
        if (served !== chain.chainId) {
          throw new ConfigError(field, `serves chain id ${served}, not ${chain.chainId}`, {
            value: url,
            hint: `Point it at a node of chain ${chain.chainId}, or fix chains[${i}].chainId.`,
          })
        }
      }),
    ),
  )
}
