import type { PoolState } from '@ballast/sdk'

const WAD = 10n ** 18n

/**
 * A small hand-built pool state (two members, two chains, USDC and WETH) for tests of the HTTP
 * layer that need no chains. Figures from it are checked against the sdk's math, not hard-coded.
 *
 * @param timestamp - the state's time (unix seconds).
 * @param wethPrice - WETH feed answer (8 decimals).
 * @returns the state.
 * @example
 * ```ts
 * examplePoolState(1_764_000_000, 3_000_00000000n).members.length // 2
 * ```
 */
export function examplePoolState(timestamp: number, wethPrice = 3_000_00000000n): PoolState {
  const poolId = `0x${'11'.repeat(32)}`
  return {
    timestamp,
    blocks: [
      { chainId: 31337, blockNumber: BigInt(timestamp - 1_764_000_000 + 100), timestamp },
      { chainId: 31338, blockNumber: BigInt(timestamp - 1_764_000_000 + 200), timestamp },
    ],
    chains: [
      { chainId: 31337, name: 'alpha' },
      { chainId: 31338, name: 'beta' },
    ],
    assets: [
      {
        kind: 'erc20',
        symbol: 'USDC',
        decimals: 6,
        price: { answer: 1_00000000n, decimals: 8, updatedAt: timestamp },
      },
      {
        kind: 'erc20',
        symbol: 'WETH',
        decimals: 18,
        price: { answer: wethPrice, decimals: 8, updatedAt: timestamp },
      },
      {
        kind: 'erc20',
        symbol: 'aUSD',
        decimals: 18,
        price: { answer: 1_00000000n, decimals: 8, updatedAt: timestamp },
      },
      {
        kind: 'erc20',
        symbol: 'bUSD',
        decimals: 18,
        price: { answer: 1_00000000n, decimals: 8, updatedAt: timestamp },
      },
    ],
    riskParameters: [
      {
        asset: 'USDC',
        haircutFloor: WAD / 100n,
        liquidationThreshold: (WAD * 95n) / 100n,
        liquidationHorizon: 86_400,
      },
      {
        asset: 'WETH',
        haircutFloor: (WAD * 15n) / 100n,
        liquidationThreshold: (WAD * 80n) / 100n,
        liquidationHorizon: 86_400,
      },
      { asset: 'aUSD', haircutFloor: 0n, liquidationThreshold: WAD, liquidationHorizon: 86_400 },
      { asset: 'bUSD', haircutFloor: 0n, liquidationThreshold: WAD, liquidationHorizon: 86_400 },
    ],
    pools: [
      {
        id: poolId,
        name: 'main',
        minRatio: (WAD * 11n) / 10n,
        targetRatio: (WAD * 13n) / 10n,
        liquidityTargets: [],
      },
    ],
    members: [
      {
        id: `0x${'aa'.repeat(32)}`,
        name: 'alpha-dollar',
        poolId,
        liabilityAsset: 'aUSD',
        holdings: [
          { chainId: 31337, asset: 'USDC', amount: 600_000_000000n, decimals: 6 },
          { chainId: 31338, asset: 'WETH', amount: 200n * WAD, decimals: 18 },
        ],
        liabilities: [
          { chainId: 31337, supply: 700_000n * WAD, decimals: 18 },
          { chainId: 31338, supply: 300_000n * WAD, decimals: 18 },
        ],
        inFlight: [],
      },
      {
        id: `0x${'bb'.repeat(32)}`,
        name: 'beta-dollar',
        poolId,
        liabilityAsset: 'bUSD',
        holdings: [{ chainId: 31338, asset: 'USDC', amount: 400_000_000000n, decimals: 6 }],
        liabilities: [{ chainId: 31338, supply: 350_000n * WAD, decimals: 18 }],
        inFlight: [],
      },
    ],
  }
}
