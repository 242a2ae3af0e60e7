import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import { type CreateChainRpcOptions, createChainRpc } from './createChainRpc.js'
import { RpcError } from './RpcError.js'
import { redactUrl } from './redactUrl.js'

/** A URL that did not answer the start-up check (after retries); the chain still has another. */
export type UnreachableUrl = { field: string; url: string; error: RpcError }

/**
 * Checks at start-up that every RPC URL serves the chain id it is configured for, so a typo or a
 * swapped URL fails fast with the field named (`chains[1].rpcUrls[0]`) instead of indexing the
 * wrong chain. The check is a call like any other: truncated bodies, resets, stalls, 5xx and
 * 429s are retried with backoff ({@link createChainRpc}, one URL at a time). Only a definite
 * wrong answer (another chain id) is a {@link ConfigError}. A URL that never answers is returned
 * (the chain's other URLs serve meanwhile, and failover retries it later); a chain none of whose
 * URLs answer is a retryable {@link RpcError}: the node may come back.
 *
 * @param config The resolved config.
 * @param options Retry policy of the check (at least 10 attempts per URL).
 * @returns The URLs that did not answer.
 * @throws ConfigError naming the URL's field when it serves another chain.
 * @example
 * ```ts
 * await checkRpcUrls(defineConfig(userConfig))
 * ```
 */
export async function checkRpcUrls(
  config: Pick<ResolvedIndexerConfig, 'chains'>,
  options: CreateChainRpcOptions = {},
): Promise<UnreachableUrl[]> {
  const unreachable: UnreachableUrl[] = []
  await Promise.all(
    config.chains.map(async (chain, i) => {
      let verified = false
      const results = await Promise.all(
        chain.rpcUrls.map(async (url, j) => {
          const field = `chains[${i}].rpcUrls[${j}]`
          const rpc = createChainRpc({ ...chain, rpcUrls: [url] }, { ...options, maxAttempts: 1 })
          const attempts = Math.max(10, options.maxAttempts ?? 0)
          let served: number | undefined
          let failure: unknown
          for (let attempt = 1; served === undefined && attempt <= attempts; attempt++) {
            try {
              served = await rpc.getChainId()
            } catch (error) {
              failure = error
              if (!(error instanceof RpcError) || !error.retryable) break
              // Another URL of the chain answered: this one is reported after a few tries, not
              // waited for (failover retries it later), so a dead fallback does not delay start-up.
              if (verified && attempt >= 3) break
              await new Promise((resolve) =>
                setTimeout(resolve, Math.min(5_000, (options.backoff ?? 100) * 2 ** (attempt - 1))),
              )
            }
          }
          if (served === undefined) {
            const error = failure
            if (!(error instanceof RpcError) || !error.retryable) {
              throw new ConfigError(field, 'does not answer eth_chainId', {
                value: redactUrl(url),
                hint: 'Check that the URL is a JSON-RPC endpoint.',
                cause: error,
              })
            }
            unreachable.push({ field, url: redactUrl(url), error })
            return error
          }
          if (served !== chain.chainId) {
            throw new ConfigError(field, `serves chain id ${served}, not ${chain.chainId}`, {
              value: redactUrl(url),
              hint: `Point it at a node of chain ${chain.chainId}, or fix chains[${i}].chainId.`,
            })
          }
          verified = true
          return undefined
        }),
      )
      const failed = results.filter((r) => r !== undefined)
      if (chain.rpcUrls.length > 0 && failed.length === chain.rpcUrls.length) {
        throw new RpcError(
          'eth_chainId',
          chain.chainId,
          {
            family: 'transient',
            kind: 'transient',
            retryable: true,
            hint: `No RPC URL of chain ${chain.name} answered; start the node or check the network.`,
          },
          failed[0]?.cause,
          chain.rpcUrls.map(redactUrl).join(', '),
        )
      }
    }),
  )
  return unreachable
}
