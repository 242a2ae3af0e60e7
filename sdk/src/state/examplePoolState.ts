import type { PoolState } from './PoolState.js'

const E18 = 10n ** 18n
const DAY = 86_400

/**
 * A small, hand-checkable `PoolState`: one pool (min ratio 1.1, target 1.3) on two chains, two
 * members, 6/8/18-decimal assets, an ERC-4626 vault and a bUSD liability (18 decimals, 1 USD).
 * Used by the SDK's tests, the README's worked example and as a template for frontends.
 *
 * - Member `alpha`: 600,000 USDC on chain 1 (haircut 2%) + 100 WETH on chain 2 at 3,000 USD (15%)
 *   = 588,000 + 255,000 = 843,000 USD adjusted; liabilities 500,000 + 300,000 bUSD + 10,000 bUSD
 *   in flight = 810,000 USD; ratio 1.0407...
 * - Member `beta`: 5 WBTC on chain 1 at 60,000 USD (20%) + 200,000 svUSDC shares on chain 2 at
 *   1.05 USDC per share (5%) = 240,000 + 199,500 = 439,500 USD; liabilities 300,000 bUSD; ratio 1.465.
 * - Pooled: 1,282,500 / 1,110,000 = 1.15540540...
 *
 * @returns A fresh state (safe to mutate in tests).
 * @example
 * ```ts
 * const state = examplePoolState()
 * ```
 */
export function examplePoolState(): PoolState {
  const timestamp = 1_764_000_000
  return {
    timestamp,
    blocks: [
      { chainId: 1, blockNumber: 1_000n, timestamp },
      { chainId: 2, blockNumber: 2_000n, timestamp: timestamp - 2 },
    ],
    chains: [
      { chainId: 1, name: 'alpha-chain' },
      { chainId: 2, name: 'beta-chain' },
    ],
    assets: [
      {
        symbol: 'USDC',
        decimals: 6,
        kind: 'erc20',
        price: { answer: 100_000_000n, decimals: 8, updatedAt: timestamp - 60 },
      },
      {
        symbol: 'WETH',
        decimals: 18,
        kind: 'erc20',
        price: { answer: 300_000_000_000n, decimals: 8, updatedAt: timestamp - 60 },
      },
      {
        symbol: 'WBTC',
        decimals: 8,
        kind: 'erc20',
        price: { answer: 6_000_000_000_000n, decimals: 8, updatedAt: timestamp - 60 },
      },
      {
        symbol: 'bUSD',
        decimals: 18,
        kind: 'erc20',
        price: { answer: 100_000_000n, decimals: 8, updatedAt: timestamp - 60 },
      },
      { symbol: 'svUSDC', decimals: 6, kind: 'erc4626', underlying: 'USDC', assetsPerShare: 1_050_000n },
    ],
    riskParameters: [
      {
        asset: 'USDC',
        haircutFloor: (2n * E18) / 100n,
        liquidationThreshold: (95n * E18) / 100n,
        liquidationHorizon: DAY,
      },
      {
        asset: 'WETH',
        haircutFloor: (15n * E18) / 100n,
        liquidationThreshold: (80n * E18) / 100n,
        liquidationHorizon: DAY,
      },
      {
        asset: 'WBTC',
        haircutFloor: (20n * E18) / 100n,
        liquidationThreshold: (75n * E18) / 100n,
        liquidationHorizon: DAY,
      },
      {
        asset: 'svUSDC',
        haircutFloor: (5n * E18) / 100n,
        liquidationThreshold: (90n * E18) / 100n,
        liquidationHorizon: 3 * DAY,
        liquid: false,
      },
    ],
    pools: [
      {
        id: 'main',
        name: 'Main pool',
        minRatio: (110n * E18) / 100n,
        targetRatio: (130n * E18) / 100n,
        liquidityTargets: [
          { chainId: 1, minLiquidityUsd: 100_000n * E18, targetLiquidityUsd: 200_000n * E18 },
          { chainId: 2, minLiquidityUsd: 100_000n * E18, targetLiquidityUsd: 200_000n * E18 },
        ],
      },
    ],
    members: [
      {
        id: 'alpha',
        name: 'Alpha Dollar',
        poolId: 'main',
        liabilityAsset: 'bUSD',
        holdings: [
          { chainId: 1, asset: 'USDC', amount: 600_000_000_000n, decimals: 6 },
          { chainId: 2, asset: 'WETH', amount: 100n * E18, decimals: 18 },
        ],
        liabilities: [
          { chainId: 1, supply: 500_000n * E18, decimals: 18 },
          { chainId: 2, supply: 300_000n * E18, decimals: 18 },
        ],
        inFlight: [
          { guid: '0x01', asset: 'bUSD', fromChainId: 1, toChainId: 2, amount: 10_000n * E18, decimals: 18 },
        ],
      },
      {
        id: 'beta',
        name: 'Beta Dollar',
        poolId: 'main',
        liabilityAsset: 'bUSD',
        holdings: [
          { chainId: 1, asset: 'WBTC', amount: 500_000_000n, decimals: 8 },
          { chainId: 2, asset: 'svUSDC', amount: 200_000_000_000n, decimals: 6 },
        ],
        liabilities: [{ chainId: 2, supply: 300_000n * E18, decimals: 18 }],
        inFlight: [],
      },
    ],
  }
}
