import type { Address } from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'

/**
 * What the Registry data source follows on a network besides the registry's own events, written into
 * its manifest `context` (graph-cli's networks.json only carries addresses and start blocks).
 */
export type RegistryContext = {
  /** ERC-20s held as reserves. */
  reserveTokens: readonly Address[]
  /** ERC-4626 vaults whose shares are held as reserves. */
  vaults: readonly Address[]
  /** Asset OFTs and OFTAdapters whose sends and receives to record. */
  ofts: readonly Address[]
  /** USD price feeds (Chainlink-style), by the symbol of the asset they price. */
  feeds: readonly { symbol: string; address: Address }[]
  /**
   * The registry's role timelocks (their operations on it are the pending changes). Needed when
   * the start block is before the registry's deployment; otherwise also read from the registry.
   */
  timelocks?: readonly Address[] | undefined
  /** ReserveAttestation contracts whose posted statements to record. */
  attestations?: readonly Address[] | undefined
}

/** One chain's deployment of the contracts the subgraph indexes. */
export type SubgraphNetwork = {
  /** graph-cli network name (e.g. `mainnet`, or `ballast-devnet-31337` for a local chain). */
  name: string
  /** Data source name -> deployed address and the block to start indexing from. */
  contracts: Record<string, { address: `0x${string}`; startBlock: number }>
  /** Contracts the Registry data source follows from its start block (none when absent). */
  context?: RegistryContext | undefined
}

/** graph-cli's networks.json: `{ [network]: { [dataSource]: { address, startBlock } } }`. */
export type NetworksJson = Record<string, Record<string, { address: string; startBlock: number }>>

/** The Registry's manifest context per network, as the mappings read it (comma-separated strings). */
export type ContextsJson = Record<
  string,
  {
    reserveTokens: string
    vaults: string
    ofts: string
    feeds: string
    timelocks: string
    attestations: string
  }
>

const addressPattern = /^0x[0-9a-fA-F]{40}$/

function checkAddress(network: string, field: string, address: string): string {
  if (!addressPattern.test(address)) {
    throw new SubgraphError(`Invalid address for ${network}.${field}.`, {
      details: `"${address}" is not a 20-byte hex address.`,
      metaMessages: ['Use a 0x-prefixed 40-hex-digit address.'],
    })
  }
  return address.toLowerCase()
}

function checkNames(networks: readonly SubgraphNetwork[]): void {
  const seen = new Set<string>()
  for (const network of networks) {
    if (!/^[a-z0-9-]+$/.test(network.name)) {
      throw new SubgraphError(`Invalid network name "${network.name}".`, {
        metaMessages: ['Use lowercase letters, digits and dashes (graph-node network names).'],
      })
    }
    if (seen.has(network.name)) {
      throw new SubgraphError(`Network "${network.name}" is listed twice.`, {
        metaMessages: ['Give every chain its own network name.'],
      })
    }
    seen.add(network.name)
  }
}

/**
 * Builds the networks.json that `graph build --network NAME` reads, checking every entry so a
 * typo fails here rather than as an empty subgraph.
 *
 * @param networks The deployments, one per chain.
 * @returns graph-cli's networks.json object (addresses lower-cased).
 * @example
 * ```ts
 * networksJson([{ name: 'ballast-devnet-31337', contracts: { Registry: { address, startBlock: 3 } } }])
 * // { 'ballast-devnet-31337': { Registry: { address: '0x5fbd…', startBlock: 3 } } }
 * ```
 */
export function networksJson(networks: readonly SubgraphNetwork[]): NetworksJson {
  checkNames(networks)
  const out: NetworksJson = {}
  for (const network of networks) {
    const contracts: Record<string, { address: string; startBlock: number }> = {}
    for (const [source, { address, startBlock }] of Object.entries(network.contracts)) {
      if (!Number.isSafeInteger(startBlock) || startBlock < 0) {
        throw new SubgraphError(`Invalid startBlock for ${network.name}.${source}.`, {
          details: `${startBlock} is not an integer >= 0.`,
          metaMessages: ['Use the block the contract was deployed in.'],
        })
      }
      contracts[source] = { address: checkAddress(network.name, source, address), startBlock }
    }
    out[network.name] = contracts
  }
  return out
}

/**
 * Builds the Registry data source's manifest context per network: comma-separated lowercase
 * addresses, feeds as `SYMBOL:address` (what `mappings/registry.ts` parses in `handleStart`).
 *
 * @param networks The deployments, one per chain.
 * @returns `{ [network]: { reserveTokens, vaults, ofts, feeds, timelocks, attestations } }`.
 * @example
 * ```ts
 * contextsJson([{ name: 'n', contracts: {}, context: { reserveTokens: [usdc], vaults: [], ofts: [], feeds: [] } }])
 * // { n: { reserveTokens: '0x…', vaults: '', ofts: '', feeds: '', timelocks: '', attestations: '' } }
 * ```
 */
export function contextsJson(networks: readonly SubgraphNetwork[]): ContextsJson {
  checkNames(networks)
  const out: ContextsJson = {}
  for (const network of networks) {
    const context = network.context ?? { reserveTokens: [], vaults: [], ofts: [], feeds: [] }
    const feeds = context.feeds.map(({ symbol, address }) => {
      if (!/^[A-Za-z0-9._-]+$/.test(symbol)) {
        throw new SubgraphError(`Invalid feed symbol for ${network.name}: "${symbol}".`, {
          metaMessages: ['Use letters, digits, ".", "_" or "-" (no ":" or ",").'],
        })
      }
      return `${symbol}:${checkAddress(network.name, `feeds.${symbol}`, address)}`
    })
    out[network.name] = {
      reserveTokens: context.reserveTokens
        .map((a, i) => checkAddress(network.name, `reserveTokens[${i}]`, a))
        .join(','),
      vaults: context.vaults.map((a, i) => checkAddress(network.name, `vaults[${i}]`, a)).join(','),
      ofts: context.ofts.map((a, i) => checkAddress(network.name, `ofts[${i}]`, a)).join(','),
      feeds: feeds.join(','),
      timelocks: (context.timelocks ?? [])
        .map((a, i) => checkAddress(network.name, `timelocks[${i}]`, a))
        .join(','),
      attestations: (context.attestations ?? [])
        .map((a, i) => checkAddress(network.name, `attestations[${i}]`, a))
        .join(','),
    }
  }
  return out
}
