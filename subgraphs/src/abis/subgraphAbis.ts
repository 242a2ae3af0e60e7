import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { type Abi, erc20Abi } from 'viem'

/**
 * The JSON ABIs the subgraph's manifest names, built from the SDK's typed ABIs so the subgraph and
 * the custom indexer decode the same events. graph-cli reads an event only from the ABI of the data
 * source that handles it, so token-like contracts get the ERC-20 ABI merged in.
 *
 * @example
 * ```ts
 * writeFileSync('abis/ERC20.json', JSON.stringify(subgraphAbis.ERC20, null, 2))
 * ```
 */
export const subgraphAbis = {
  ReservePoolRegistry: reservePoolRegistryAbi,
  ERC20: erc20Abi,
  /** Liability tokens: OFTs (burn/mint) whose ERC-20 `Transfer`s carry the supply. */
  OFTToken: [...erc20Abi, ...oftAbi],
  /** Asset OFTs and OFTAdapters: only their send/receive events. */
  OFT: oftAbi,
  /** Vault shares are an ERC-20 too. */
  ERC4626: [...erc20Abi, ...erc4626Abi],
  AggregatorV3: aggregatorV3Abi,
} as const satisfies Record<string, Abi>

/** Names of the ABI files under `subgraphs/abis/` (without `.json`). */
export type SubgraphAbiName = keyof typeof subgraphAbis

/**
 * The exact text of `abis/<name>.json`: two-space JSON with a final newline.
 *
 * @param name An ABI name.
 * @returns The file contents.
 */
export function subgraphAbiJson(name: SubgraphAbiName): string {
  return `${JSON.stringify(subgraphAbis[name], null, 2)}\n`
}
