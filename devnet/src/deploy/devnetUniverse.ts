/** A reserve asset of the devnet. `homeIndex` is taken modulo the chain count. */
export type AssetSpec = {
  symbol: 'USDC' | 'WETH' | 'WBTC'
  name: string
  decimals: number
  homeIndex: number
  /** Feed description and starting price (8 decimals). */
  feed: { description: string; initialAnswer: bigint }
  /** Risk parameters scheduled at deployment. */
  risk: { haircutFloorBps: number; liquidationThresholdBps: number; liquidationHorizon: number }
}

/** A member protocol: its liability token and the dev accounts that act as its reserve holders. */
export type MemberSpec = {
  name: string
  liabilitySymbol: string
  /** Indexes of anvil dev accounts (same addresses on every chain) holding its reserves. */
  holderAccounts: readonly number[]
}

export type PoolSpec = {
  name: string
  minRatioBps: number
  targetRatioBps: number
  members: readonly string[]
}

/** Decimals of every price feed (Chainlink USD feeds use 8). */
export const feedDecimals = 8

/**
 * Minimum delay of the devnet's timelocks (and the registry's floor), in seconds: one block, so a
 * change is scheduled in one block and executed in the next, and devnet start-up stays fast.
 */
export const governanceDelay = 12

/** Delay the scenario schedules risk parameter changes with (longer than the minimum): pending for a while. */
export const riskParameterDelay = 600

/**
 * Risk parameters of the byUSDC vault share: its underlying's floor plus a margin for the vault's
 * own risk (withdrawal queues, strategy losses). Set per pool with the assets' parameters.
 */
export const vaultRisk = {
  haircutFloorBps: 300,
  liquidationThresholdBps: 9_000,
  liquidationHorizon: 2 * 86_400,
}

export const assetSpecs: readonly AssetSpec[] = [
  {
    symbol: 'USDC',
    name: 'USD Coin (devnet)',
    decimals: 6,
    homeIndex: 0,
    feed: { description: 'USDC / USD', initialAnswer: 100_000_000n },
    risk: { haircutFloorBps: 100, liquidationThresholdBps: 9_500, liquidationHorizon: 86_400 },
  },
  {
    symbol: 'WETH',
    name: 'Wrapped Ether (devnet)',
    decimals: 18,
    homeIndex: 1,
    feed: { description: 'ETH / USD', initialAnswer: 3_000n * 100_000_000n },
    risk: { haircutFloorBps: 1_500, liquidationThresholdBps: 8_250, liquidationHorizon: 3 * 86_400 },
  },
  {
    symbol: 'WBTC',
    name: 'Wrapped BTC (devnet)',
    decimals: 8,
    homeIndex: 2,
    feed: { description: 'BTC / USD', initialAnswer: 60_000n * 100_000_000n },
    risk: { haircutFloorBps: 2_000, liquidationThresholdBps: 8_000, liquidationHorizon: 3 * 86_400 },
  },
]

/**
 * Dev account 0 deploys and governs; account 1 is the relayer and also the attester (it has no
 * other duty on the chains); 2..9 are holders; 10..19 users.
 */
export const deployerAccount = 0
export const relayerAccount = 1
export const attesterAccount = 1
export const userAccounts = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19] as const

export const memberSpecs: readonly MemberSpec[] = [
  { name: 'anchor', liabilitySymbol: 'aUSD', holderAccounts: [2, 3] },
  { name: 'meridian', liabilitySymbol: 'mUSD', holderAccounts: [4, 5] },
  { name: 'corsair', liabilitySymbol: 'cUSD', holderAccounts: [6, 7] },
  { name: 'dune', liabilitySymbol: 'dUSD', holderAccounts: [8, 9] },
]

export const poolSpecs: readonly PoolSpec[] = [
  {
    name: 'ballast-main',
    minRatioBps: 10_500,
    targetRatioBps: 12_000,
    members: ['anchor', 'meridian', 'corsair'],
  },
  { name: 'ballast-lite', minRatioBps: 11_000, targetRatioBps: 13_000, members: ['dune'] },
]

/** Liability tokens have 18 decimals, like most USD stablecoins on EVM chains. */
export const liabilityDecimals = 18
