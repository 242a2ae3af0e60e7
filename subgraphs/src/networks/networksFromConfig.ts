import type { PositionKind } from '@ballast/sdk'
import type { Address } from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import { SUBGRAPH_KINDS } from '../pool/poolStateFromSubgraphs.js'
import type { SubgraphNetwork } from './networksJson.js'

/** The part of a Ballast config (`defineConfig`'s result) the subgraph's networks come from. */
export type SubgraphSourceConfig = {
  chains: readonly { chainId: number; name: string; startBlock: number }[]
  pools: readonly {
    registries?: Readonly<Record<number, Address>> | undefined
    attestations?: Readonly<Record<number, Address>> | undefined
  }[]
  assets: readonly {
    symbol: string
    kind: PositionKind
    tokens: Readonly<Record<number, Address>>
    ofts?: Readonly<Record<number, Address>> | undefined
    feed?:
      | { chainId: number; address: Address; times?: { chainId: number; address: Address } | undefined }
      | undefined
  }[]
}

/**
 * One subgraph network per chain of a Ballast config that has a registry: the registry from the
 * chain's `startBlock`, the chain's reserve tokens (`erc20`) and vaults (`erc4626`), the assets'
 * OFTs there, the feeds living on that chain and the pools' attestation contracts there (the role
 * timelocks are read from the registry at the start block); a composed feed's second feed is
 * followed on its own chain too. The subgraph's mappings follow only those kinds: an asset of
 * another kind (weth9, rebasing, Aave, LP, native) on a chain is refused with the asset named,
 * since the subgraph would sum its Transfers into a wrong figure.
 *
 * @param config A resolved Ballast config.
 * @param networkName The graph-node network name of a chain (e.g. `(c) => c.name`).
 * @returns The networks, in the config's chain order (chains without a registry left out).
 * @throws SubgraphError for an asset of a kind the mappings do not follow.
 * @example
 * ```ts
 * writeFileSync('networks.json', JSON.stringify(networksJson(networksFromConfig(config, (c) => c.name)), null, 2))
 * ```
 */
export function networksFromConfig(
  config: SubgraphSourceConfig,
  networkName: (chain: SubgraphSourceConfig['chains'][number]) => string,
): SubgraphNetwork[] {
  const out: SubgraphNetwork[] = []
  for (const chain of config.chains) {
    const registry = config.pools.map((p) => p.registries?.[chain.chainId]).find((r) => r !== undefined)
    if (registry === undefined) continue
    const reserveTokens: Address[] = []
    const vaults: Address[] = []
    const ofts: Address[] = []
    const feeds: { symbol: string; address: Address }[] = []
    for (const asset of config.assets) {
      const token = asset.tokens[chain.chainId]
      if (token !== undefined) {
        if (!SUBGRAPH_KINDS.includes(asset.kind)) {
          throw new SubgraphError(
            `The subgraph cannot follow ${asset.symbol} (${asset.kind}) on ${chain.name}.`,
            {
              details: `Its mappings value ${SUBGRAPH_KINDS.join(' and ')} positions from events; a ${asset.kind} position needs reads the mappings do not make.`,
              metaMessages: [
                `Index ${chain.name} over rpcUrls instead, or leave ${asset.symbol} out of the subgraph's config.`,
              ],
            },
          )
        }
        if (asset.kind === 'erc4626') vaults.push(token)
        else reserveTokens.push(token)
      }
      const oft = asset.ofts?.[chain.chainId]
      if (oft !== undefined) ofts.push(oft)
      // Both feeds of a composed feed, each on its own chain (`poolStateFromSubgraphs` composes them).
      const own = asset.feed === undefined ? [] : [{ symbol: asset.symbol, feed: asset.feed }]
      const times =
        asset.feed?.times === undefined ? [] : [{ symbol: `${asset.symbol}.times`, feed: asset.feed.times }]
      for (const { symbol, feed } of [...own, ...times]) {
        if (feed.chainId === chain.chainId && !feeds.some((f) => f.address === feed.address))
          feeds.push({ symbol, address: feed.address })
      }
    }
    const attestations = [
      ...new Set(
        config.pools.map((p) => p.attestations?.[chain.chainId]).filter((a): a is Address => a !== undefined),
      ),
    ]
    out.push({
      name: networkName(chain),
      contracts: { Registry: { address: registry, startBlock: Math.max(0, chain.startBlock) } },
      context: { reserveTokens, vaults, ofts, feeds, attestations },
    })
  }
  return out
}
