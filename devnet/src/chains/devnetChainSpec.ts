/** Identity of the i-th devnet chain. */
export type DevnetChainSpec = {
  index: number
  name: string
  chainId: number
  /** LayerZero V2 endpoint id. */
  eid: number
}

const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'] as const

/** Most chains a devnet runs: LayerZero wiring grows with the square of the count. */
export const maxDevnetChains = names.length

/**
 * The devnet's own chain table: chain i has chain id `31337 + i` (31337 is anvil's default, so
 * wallets know the first one) and LayerZero endpoint id `40101 + i`. LayerZero publishes no
 * chainId -> eid map for EVM, and devnet chains are not real networks, so the ids are ours; the
 * 40_1xx range keeps them apart from LayerZero's mainnet (30_xxx) and testnet (40_xxx low) ids.
 *
 * @param index Chain index, 0-based.
 * @returns Name, chain id and eid.
 * @example
 * ```ts
 * devnetChainSpec(1) // { index: 1, name: 'beta', chainId: 31338, eid: 40102 }
 * ```
 */
export function devnetChainSpec(index: number): DevnetChainSpec {
  return {
    index,
    name: names[index] ?? `chain${index}`,
    chainId: 31_337 + index,
    eid: 40_101 + index,
  }
}
