import type { DevnetManifest } from '@ballast/devnet'
import type { AssetConfig, DatabaseConfig, IndexerConfig } from './IndexerConfig.js'

/**
 * Builds an indexer config for a running devnet from its manifest: every chain with its RPC URL,
 * finality depth and deploy block, each pool's registry per chain, the reserve assets with their
 * OFTs and feeds, and the vaults. Pure (no I/O): `ballast config from-devnet` writes the result.
 * Members are not listed: the indexer discovers them from the registries' `MemberJoined` events.
 *
 * @param manifest The devnet manifest (`.ballast/devnet.json`).
 * @param options `database` to store into (default: the SQLite file under `.ballast/`).
 * @returns A plain, JSON-serialisable config; pass it to `defineConfig` to validate it.
 * @example
 * ```ts
 * const config = defineConfig(configFromDevnetManifest(manifest, { database: '.ballast/dev.sqlite' }))
 * ```
 */
export function configFromDevnetManifest(
  manifest: DevnetManifest,
  options: { database?: DatabaseConfig | undefined } = {},
): IndexerConfig {
  const chains = manifest.chains.map((chain) => ({
    name: chain.name,
    chainId: chain.chainId,
    eid: chain.eid,
    rpcUrls: [chain.rpcUrl],
    finalityDepth: chain.finalityDepth,
    startBlock: chain.deployBlock,
    // anvil answers instantly; poll often so the demo and tests see new blocks quickly.
    pollingInterval: 250,
  }))
  const registries = Object.fromEntries(
    manifest.chains.map((chain) => [chain.chainId, chain.contracts.registry]),
  )
  const attestations = Object.fromEntries(
    manifest.chains.map((chain) => [chain.chainId, chain.contracts.attestation]),
  )
  const assets = manifest.assets.map((asset): AssetConfig => {
    const tokens: Record<number, `0x${string}`> = {}
    const ofts: Record<number, `0x${string}`> = {}
    for (const [chainId, entry] of Object.entries(asset.tokens)) {
      tokens[Number(chainId)] = entry.token
      ofts[Number(chainId)] = entry.oft
    }
    return { symbol: asset.symbol, decimals: asset.decimals, tokens, ofts, feed: { ...asset.feed } }
  })
  return {
    ...(options.database === undefined ? {} : { database: options.database }),
    chains,
    pools: manifest.pools.map((pool) => ({
      id: pool.id,
      name: pool.name,
      registries,
      attestations,
      minRatioBps: pool.minRatioBps,
      targetRatioBps: pool.targetRatioBps,
    })),
    assets,
    vaults: manifest.vaults.map((vault) => ({ ...vault })),
    // The devnet's member liabilities are USD stablecoins: pegged at 1 USD, said so explicitly.
    liabilities: [
      ...new Set(manifest.pools.flatMap((pool) => pool.members.map((m) => m.liability.symbol))),
    ].map((symbol) => ({ symbol, peg: '1' })),
  }
}
