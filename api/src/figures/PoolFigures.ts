/**
 * Figures of one pool as the API serves them, computed from a `PoolState` by the sdk's math.
 * USD values are bigints with 18 decimals, ratios and haircuts WAD bigints (18 decimals); the
 * resolvers format them as exact decimal strings.
 */
export type Figures = {
  adjustedReservesUsd: bigint
  reservesUsd: bigint
  liabilitiesUsd: bigint
  /** Adjusted reserves / liabilities (WAD); undefined when there are no liabilities. */
  reserveRatio: bigint | undefined
}

/** Figures of a chain within a pool or a member. */
export type ChainFigures = Figures & { chainId: number; name: string }

/** Figures of one asset within a pool. */
export type AssetFigures = {
  symbol: string
  decimals: number
  /** USD per whole token, 18 decimals. */
  priceUsd: bigint
  priceUpdatedAt: number | undefined
  /** Haircut applied, WAD. */
  haircut: bigint
  /** Amount held as reserves over members and chains, in the asset's smallest unit. */
  amount: bigint
  reservesUsd: bigint
  adjustedReservesUsd: bigint
  /** USD price (18 decimals) at which the pooled ratio falls to the pool's minimum, if any. */
  liquidationPriceUsd: bigint | undefined
}

/** Figures of one member. */
export type MemberFigures = Figures & {
  id: string
  name: string
  chains: readonly ChainFigures[]
}

/** Figures of one pool: pooled, per member, per chain, per asset. */
export type PoolFigures = Figures & {
  poolId: string
  /** Pool minimum and target ratios, WAD. */
  minRatio: bigint
  targetRatio: bigint
  members: readonly MemberFigures[]
  chains: readonly ChainFigures[]
  assets: readonly AssetFigures[]
}
