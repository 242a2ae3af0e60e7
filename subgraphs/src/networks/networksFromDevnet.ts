import type { DevnetManifest } from '@ballast/devnet'
import type { SubgraphNetwork } from './networksJson.js'

/**
 * The graph-node network name of a devnet chain.
 *
 * @param chainId The devnet chain's id.
 * @returns `ballast-devnet-<chainId>`.
 * @example
 * ```ts
 * devnetNetworkName(31337) // 'ballast-devnet-31337'
 * ```
 */
export function devnetNetworkName(chainId: number): string {
  return `ballast-devnet-${chainId}`
}

/**
 * One subgraph network per devnet chain: the registry from its deploy block, the chain's reserve
 * tokens and vaults, the assets' OFTs/OFTAdapters there, the feeds living on that chain, the
 * registry's role timelocks (the deploy block is the first timelock's: the registry, deployed
 * later, cannot be asked for them there) and the attestation contract.
 *
 * @param manifest A running devnet's manifest (`.ballast/devnet.json`).
 * @returns The networks, in the manifest's chain order.
 * @example
 * ```ts
 * const networks = networksFromDevnet(manifest)
 * writeFileSync('networks.json', JSON.stringify(networksJson(networks), null, 2))
 * ```
 */
export function networksFromDevnet(manifest: DevnetManifest): SubgraphNetwork[] {
  return manifest.chains.map((chain) => {
    const reserveTokens = manifest.assets.flatMap((asset) => {
      const entry = asset.tokens[chain.chainId]
      return entry ? [entry.token] : []
    })
    const vaults = manifest.vaults.filter((v) => v.chainId === chain.chainId).map((v) => v.address)
    const ofts = manifest.assets.flatMap((asset) => {
      const entry = asset.tokens[chain.chainId]
      return entry ? [entry.oft] : []
    })
    const feeds = manifest.assets
      .filter((asset) => asset.feed.chainId === chain.chainId)
      .map((asset) => ({ symbol: asset.symbol, address: asset.feed.address }))
    return {
      name: devnetNetworkName(chain.chainId),
      contracts: { Registry: { address: chain.contracts.registry, startBlock: chain.deployBlock } },
      context: {
        reserveTokens,
        vaults,
        ofts,
        feeds,
        timelocks: [
          chain.contracts.poolAdminTimelock,
          chain.contracts.membershipTimelock,
          chain.contracts.riskTimelock,
        ],
        attestations: [chain.contracts.attestation],
      },
    }
  })
}
