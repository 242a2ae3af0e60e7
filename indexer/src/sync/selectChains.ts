import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'

/**
 * The configured chains one indexer process writes (`ballast index --chains 1,base`), in config
 * order: each entry is a chain id or a chain's name. An entry the config does not list is refused
 * naming it and every configured chain, before anything is opened.
 *
 * @param config - the resolved config.
 * @param wanted - chain ids or names; `undefined` for every chain.
 * @returns the chains, in config order.
 * @example
 * ```ts
 * selectChains(config, [1, 'base']) // mainnet and base, as configured
 * ```
 */
export function selectChains(
  config: Pick<ResolvedIndexerConfig, 'chains'>,
  wanted: readonly (number | string)[] | undefined,
): ResolvedIndexerConfig['chains'] {
  if (wanted === undefined) return config.chains
  const known = config.chains.map((c) => `${c.chainId} (${c.name})`).join(', ')
  if (wanted.length === 0)
    throw new IndexerError('No chain to index.', {
      details: `--chains lists no chain; the config lists ${known}.`,
      metaMessages: ['Leave --chains out to index every configured chain.'],
    })
  const ids = new Set<number>()
  const unknown: string[] = []
  for (const entry of wanted) {
    const text = String(entry).trim()
    const chain = config.chains.find((c) =>
      /^[0-9]+$/.test(text) ? c.chainId === Number(text) : c.name.toLowerCase() === text.toLowerCase(),
    )
    if (chain === undefined) unknown.push(text)
    else ids.add(chain.chainId)
  }
  if (unknown.length > 0)
    throw new IndexerError(`Not a configured chain: ${unknown.join(', ')}.`, {
      details: `--chains names ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the config lists ${known}.`,
      metaMessages: ['Give configured chain ids or names, comma-separated (e.g. --chains 1,base).'],
    })
  return config.chains.filter((c) => ids.has(c.chainId))
}
