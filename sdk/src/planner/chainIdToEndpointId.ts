import { EndpointId } from '@layerzerolabs/lz-definitions'
import { PlanExecutionError } from './plannerErrors.js'

/**
 * LayerZero V2 endpoint ids of known EVM networks, by EVM chain id. lz-definitions names the
 * endpoints but has no EVM chain id -> endpoint id map, so this one table keeps it (mainnets and
 * the common testnets); other chains (devnets, new networks) come from configuration.
 */
export const knownEndpointIds: Readonly<Record<number, number>> = {
  1: EndpointId.ETHEREUM_V2_MAINNET,
  10: EndpointId.OPTIMISM_V2_MAINNET,
  56: EndpointId.BSC_V2_MAINNET,
  100: EndpointId.GNOSIS_V2_MAINNET,
  137: EndpointId.POLYGON_V2_MAINNET,
  324: EndpointId.ZKSYNC_V2_MAINNET,
  5000: EndpointId.MANTLE_V2_MAINNET,
  8453: EndpointId.BASE_V2_MAINNET,
  42161: EndpointId.ARBITRUM_V2_MAINNET,
  43114: EndpointId.AVALANCHE_V2_MAINNET,
  59144: EndpointId.ZKCONSENSYS_V2_MAINNET,
  81457: EndpointId.BLAST_V2_MAINNET,
  534352: EndpointId.SCROLL_V2_MAINNET,
  97: EndpointId.BSC_V2_TESTNET,
  43113: EndpointId.AVALANCHE_V2_TESTNET,
  80002: EndpointId.AMOY_V2_TESTNET,
  84532: EndpointId.BASESEP_V2_TESTNET,
  421614: EndpointId.ARBSEP_V2_TESTNET,
  11155111: EndpointId.SEPOLIA_V2_TESTNET,
  11155420: EndpointId.OPTSEP_V2_TESTNET,
}

/**
 * The LayerZero V2 endpoint id (eid) of an EVM chain: from `overrides` first (configuration for
 * devnets and networks not in the table), then {@link knownEndpointIds}.
 *
 * @param chainId - EVM chain id
 * @param overrides - chain id -> eid from configuration
 * @returns the endpoint id
 * @throws {PlanExecutionError} when the chain is in neither
 * @example
 * ```ts
 * chainIdToEndpointId(42161) // 30110
 * chainIdToEndpointId(31337, { 31337: 40101 }) // 40101
 * ```
 */
export function chainIdToEndpointId(
  chainId: number,
  overrides: Readonly<Record<number, number>> = {},
): number {
  const eid = overrides[chainId] ?? knownEndpointIds[chainId]
  if (eid === undefined) {
    throw new PlanExecutionError(`No LayerZero endpoint id for chain ${chainId}.`, {
      details: `chain ${chainId} is not a known network and has no configured endpoint id.`,
      metaMessages: [`Pass endpointIds: { ${chainId}: <eid> } (the eid of the EndpointV2 on that chain).`],
    })
  }
  return eid
}
