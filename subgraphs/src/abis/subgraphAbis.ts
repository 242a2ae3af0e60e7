import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { type Abi, erc20Abi, parseAbi } from 'viem'

/**
 * The production contracts' parts (contracts/contracts/*.sol) beyond the SDK's ABIs, as the
 * custom indexer reads them (indexer/src/governance/governanceAbi.ts): the registry's role
 * timelock getters, OpenZeppelin `TimelockController`'s operation events, `ReserveAttestation`'s
 * statement. Checked against the compiled artifacts by the ABI test.
 */
const registryTimelockGetters = parseAbi([
  'function poolAdminTimelock() view returns (address)',
  'function membershipTimelock() view returns (address)',
  'function riskTimelock() view returns (address)',
])
const timelockAbi = parseAbi([
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event Cancelled(bytes32 indexed id)',
])
const attestationAbi = parseAbi([
  'event StatementPosted(bytes32 indexed poolId, address indexed attester, bytes32 liabilityRoot, uint256 totalLiabilities, uint256 adjustedReserves, uint256 pooledRatioWad, uint64 asOf, uint64[] chainIds, uint64[] blockNumbers)',
])

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
  /** The registry's events, and the getters of its role timelocks (read once at the start block). */
  ReservePoolRegistry: [...reservePoolRegistryAbi, ...registryTimelockGetters],
  /** The registry's role timelocks: their operations (schedule, execute, cancel). */
  Timelock: timelockAbi,
  /** `ReserveAttestation`: posted solvency statements. */
  ReserveAttestation: attestationAbi,
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
