/**
 * The input of all reserve math: a snapshot of pools, members, chains, assets, prices and risk
 * parameters at one point in time. The indexer produces it from the chains, the API serves figures
 * computed from it, and a frontend can build one by hand. Check one with `validatePoolState`.
 *
 * Units (everything that is money is a bigint; nothing here is a float):
 * - token amounts: bigint in the token's smallest unit, with the token's `decimals` beside it;
 * - prices: a feed answer bigint with the feed's `decimals` (USD per whole token, 8 decimals for
 *   Chainlink USD feeds) and the feed's `updatedAt`;
 * - ratios, haircuts and fractions: WAD bigints (18 decimals; `1.25` is `1_250_000_000_000_000_000n`);
 * - USD values: bigints with 18 decimals;
 * - times: unix seconds (number); durations: seconds (number); block numbers: bigint (as viem).
 *
 * Assets are referenced by `symbol` (unique in `assets`), chains by `chainId`, pools and members by
 * `id` (the registry's bytes32 ids as hex, or any unique string).
 */
export type PoolState = {
  /** The instant this state describes (unix seconds): staleness of prices is measured against it. */
  timestamp: number
  /** Per chain: the block this state was read at. */
  blocks: readonly ChainBlock[]
  chains: readonly Chain[]
  assets: readonly Asset[]
  /** Per asset symbol: the governance risk parameters in force at `timestamp`. */
  riskParameters: readonly AssetRiskParameters[]
  pools: readonly Pool[]
  members: readonly Member[]
  /**
   * What this state could not value exactly (an unpriced asset, an unreadable position, a stale
   * feed, a liability without a price source): the state is served as DEGRADED with these reasons,
   * never as a plausible number. Positions named here are left out of `members[].holdings`.
   */
  degraded?: readonly DegradedReason[]
}

/** Why a state (or one pool of it) is degraded. */
export type DegradedReason = {
  /** What kind of problem. */
  code: DegradedCode
  /** The pool concerned (absent: every pool of the state). */
  poolId?: string
  /** The asset (or liability) symbol concerned. */
  asset?: string
  chainId?: number
  /** One sentence naming what is wrong and how to fix it. */
  message: string
}

/**
 * - `unpriced`: a held asset has no price at the state's time (its holdings are left out);
 * - `unreadable`: a position's value could not be read from its chain (left out);
 * - `unassessed`: a held asset has no risk parameters in force (counted at a 100% haircut);
 * - `assumed-peg`: a liability has neither a feed nor a configured peg (valued at 1 USD);
 * - `stale-price`: a feed's answer is older than its heartbeat;
 * - `estimated`: a value derived from indexed events instead of read from the chain (exact only
 *   under the assumption the message states);
 * - `sequencer-down`: an L2's sequencer is down or within its grace period after a restart (its
 *   feeds may be stale).
 */
export type DegradedCode =
  | 'unpriced'
  | 'unreadable'
  | 'unassessed'
  | 'assumed-peg'
  | 'stale-price'
  | 'estimated'
  | 'sequencer-down'

/** The block a chain was read at. */
export type ChainBlock = {
  chainId: number
  blockNumber: bigint
  /** Block timestamp, unix seconds. */
  timestamp: number
}

/** An EVM chain. */
export type Chain = {
  chainId: number
  name: string
}

/** A USD price from a Chainlink-style feed (`latestRoundData`). */
export type Price = {
  /** Feed answer: USD per whole token, with `decimals` decimals. Must be > 0. */
  answer: bigint
  /** Feed decimals (8 for Chainlink USD feeds). */
  decimals: number
  /** When the feed last updated (unix seconds). */
  updatedAt: number
  /**
   * The feed's heartbeat (seconds): an answer older than this is stale. Default: the evaluation's
   * `maxPriceAge`.
   */
  maxAge?: number
}

/** One past feed observation, for volatility estimates (same decimals as the asset's `price`). */
export type PricePoint = {
  answer: bigint
  /** Unix seconds. */
  updatedAt: number
}

/** Fields common to every asset kind. */
export type AssetBase = {
  /** Unique key of the asset in the state (e.g. `USDC`, `WETH`, `svUSDC`, `LP-WETH-USDC`). */
  symbol: string
  /** Canonical decimals of the token (a holding carries its own decimals, which may differ per chain). */
  decimals: number
}

/** A plain ERC-20 priced by its own feed. */
export type Erc20Asset = AssetBase & {
  kind: 'erc20'
  price: Price
  /**
   * Past feed observations, oldest first, at a regular interval (e.g. daily closes). When given
   * (at least 3 points), the haircut includes an EWMA volatility term; otherwise it is the floor.
   */
  priceHistory?: readonly PricePoint[]
}

/**
 * An ERC-4626 vault share, valued through its underlying asset:
 * `value(shares) = shares / 10^decimals * assetsPerShare / 10^underlying.decimals * P(underlying)`.
 */
export type Erc4626Asset = AssetBase & {
  kind: 'erc4626'
  /** Symbol of the underlying asset (an `erc20` asset of the state). */
  underlying: string
  /** `convertToAssets(10^decimals)`: underlying amount (its smallest unit) per one whole share. */
  assetsPerShare: bigint
}

/**
 * A constant-product AMM LP token (Uniswap V2 style, `x * y = k`) over two priced assets. Valued at
 * the arbitrage-free "fair" price `V = 2 * sqrt(k * p0 * p1)`, not at the pool's spot reserves, so a
 * manipulated pool price cannot inflate reserves.
 */
export type ConstantProductLpAsset = AssetBase & {
  kind: 'constantProductLp'
  /** Symbol of token0 (an `erc20` asset of the state). */
  token0: string
  /** Symbol of token1 (an `erc20` asset of the state). */
  token1: string
  /** Pool reserve of token0, in token0's smallest unit (token0's canonical decimals). */
  reserve0: bigint
  /** Pool reserve of token1, in token1's smallest unit (token1's canonical decimals). */
  reserve1: bigint
  /** Total supply of the LP token, in its smallest unit (this asset's `decimals`). Must be > 0. */
  totalSupply: bigint
}

/** Any asset a member may hold as reserves or issue as a liability. */
export type Asset = Erc20Asset | Erc4626Asset | ConstantProductLpAsset

/** The kind tags of `Asset`. */
export type AssetKind = Asset['kind']

/**
 * Governance risk parameters of one asset (the registry's `RiskParametersUpdated`, converted from
 * basis points to WAD with `bpsToWad`).
 */
export type AssetRiskParameters = {
  asset: string
  /** Minimum haircut, WAD in `[0, 1e18]`. */
  haircutFloor: bigint
  /**
   * Fraction of the asset's value that counts before its holders' positions are liquidated, WAD in
   * `[0, 1e18]`. Carried through to the results; the pool-level liquidation price uses the pool's
   * `minRatio`.
   */
  liquidationThreshold: bigint
  /** Time needed to sell the position in a stress (seconds, > 0); the `T` in `z * sigma * sqrt(T)`. */
  liquidationHorizon: number
  /** Whether the asset counts as liquid for per-chain liquidity coverage; default true. */
  liquid?: boolean
}

/** A reserve pool and its targets. */
export type Pool = {
  id: string
  name: string
  /** Minimum pooled reserve ratio, WAD (e.g. `1.1e18`). */
  minRatio: bigint
  /** Target pooled reserve ratio, WAD, >= `minRatio`. */
  targetRatio: bigint
  /** Per chain: liquid adjusted reserves the pool wants there (USD, 18 decimals). */
  liquidityTargets: readonly LiquidityTarget[]
}

/** What a pool wants available on one chain. */
export type LiquidityTarget = {
  chainId: number
  /** Liquid adjusted reserves below which the chain is short (USD, 18 decimals). */
  minLiquidityUsd: bigint
  /** Liquid adjusted reserves the rebalancer aims for (USD, 18 decimals), >= the minimum. */
  targetLiquidityUsd: bigint
}

/** A member protocol of a pool. */
export type Member = {
  id: string
  name: string
  /** The pool it belongs to. */
  poolId: string
  /** Symbol of its liability token (an asset of the state, usually `erc20` priced at 1 USD). */
  liabilityAsset: string
  /** Per chain: reserves held by the member's holders. */
  holdings: readonly Holding[]
  /** Per chain: circulating supply of the liability token (tokens locked in an OFTAdapter excluded). */
  liabilities: readonly LiabilitySupply[]
  /**
   * Bridge transfers sent but not yet received (an `OFTSent` without its `OFTReceived`): counted
   * once. In-flight liability tokens add to liabilities; in-flight reserve assets add to reserves
   * (attributed to the destination chain, and never liquid while in flight).
   */
  inFlight: readonly InFlightTransfer[]
}

/** A token balance on one chain. */
export type Holding = {
  chainId: number
  asset: string
  /** Amount in the token's smallest unit on this chain. */
  amount: bigint
  /** Decimals of the token on this chain. */
  decimals: number
  /**
   * For a value that moves without events (vault accrual, a rebase, a native balance): the block
   * the amount was read at, at or before the state's block of the chain. Absent: exact at that block.
   */
  observedAtBlock?: bigint
}

/** Circulating supply of a member's liability token on one chain. */
export type LiabilitySupply = {
  chainId: number
  /** Amount in the token's smallest unit on this chain. */
  supply: bigint
  decimals: number
}

/** A bridge transfer in flight. */
export type InFlightTransfer = {
  /** LayerZero message guid, when known. */
  guid?: string
  asset: string
  fromChainId: number
  toChainId: number
  amount: bigint
  decimals: number
}
