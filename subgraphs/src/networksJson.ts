/** One chain's deployment of the contracts the subgraph indexes. */
export type SubgraphNetwork = {
  /** graph-cli network name (e.g. `mainnet`, or `ballast-devnet-31337` for a local chain). */
  name: string
  /** Data source name -> deployed address and the block to start indexing from. */
  contracts: Record<string, { address: `0x${string}`; startBlock: number }>
}

/** graph-cli's networks.json: `{ [network]: { [dataSource]: { address, startBlock } } }`. */
export type NetworksJson = Record<string, Record<string, { address: string; startBlock: number }>>

/**
 * Builds the networks.json that `graph build --network NAME` reads, checking every entry so a
 * typo fails here rather than as an empty subgraph.
 */
export function networksJson(networks: readonly SubgraphNetwork[]): NetworksJson {
  const out: NetworksJson = {}
  for (const network of networks) {
    if (!/^[a-z0-9-]+$/.test(network.name)) {
      throw new Error(`Invalid network name "${network.name}": use lowercase letters, digits and dashes.`)
    }
    if (out[network.name]) throw new Error(`Network "${network.name}" is listed twice.`)
    const contracts: Record<string, { address: string; startBlock: number }> = {}
    for (const [source, { address, startBlock }] of Object.entries(network.contracts)) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(address)) {
        throw new Error(
          `Invalid address for ${network.name}.${source}: "${address}" is not a 20-byte hex address.`,
        )
      }
      if (!Number.isSafeInteger(startBlock) || startBlock < 0) {
        throw new Error(
          `Invalid startBlock for ${network.name}.${source}: ${startBlock} (expected an integer >= 0).`,
        )
      }
      contracts[source] = { address: address.toLowerCase(), startBlock }
    }
    out[network.name] = contracts
  }
  return out
}
