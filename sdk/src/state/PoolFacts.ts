import type { Chain, ChainBlock, InFlightTransfer, LiabilitySupply, PricePoint } from './PoolState.js'

/**
 * How a reserve position's amount comes from its chain. Each kind is one adapter in the indexer
 * (the logs that signal a change, the reads that give the exact value); the sdk values them all
 * through three valuations: priced (`erc20`, `weth9`, `rebasing-shares`, `aave-v3-atoken`,
 * `native`), vault (`erc4626`) and constant-product LP (`uniswap-v2-lp`).
 */
export type PositionKind =
  | 'erc20'
  | 'weth9'
  | 'erc4626'
  | 'rebasing-shares'
  | 'aave-v3-atoken'
  | 'uniswap-v2-lp'
  | 'native'

/** Every position kind, for config validation. */
export const POSITION_KINDS: readonly PositionKind[] = [
  'erc20',
  'weth9',
  'erc4626',
  'rebasing-shares',
  'aave-v3-atoken',
  'uniswap-v2-lp',
  'native',
]

/** A feed answer as read (USD per whole token), with its heartbeat and sampled history. */
export type PriceFact = {
  answer: bigint
  decimals: number
  updatedAt: number
  /** The feed's heartbeat in seconds (an older answer is stale). */
  maxAge?: number | undefined
  /** Samples oldest first, for the EWMA volatility term. */
  history?: readonly PricePoint[] | undefined
}

/** Why a fact is missing: one sentence naming what is wrong and how to fix it. */
export type Missing = { missing: string }

/** A reserve asset as the chain shows it at the state's blocks. */
export type AssetFact =
  | {
      symbol: string
      decimals: number
      valuation: 'priced'
      kind?: PositionKind | undefined
      price: PriceFact | Missing
    }
  | {
      symbol: string
      decimals: number
      valuation: 'vault'
      /** The underlying's symbol (a priced asset of the facts). */
      underlying: string
      /**
       * `convertToAssets(10^decimals)` read at the chain's block; or an estimate from indexed
       * events with the assumption it rests on (served with an `estimated` reason); or why it is
       * missing.
       */
      assetsPerShare: bigint | Missing | { estimated: bigint; assumption: string }
    }
  | {
      symbol: string
      decimals: number
      valuation: 'lp'
      token0: string
      token1: string
      /** From the pair's last `Sync` and the LP token's mints and burns. */
      reserve0: bigint
      reserve1: bigint
      totalSupply: bigint
    }

/** One holder's amount of one asset on one chain (or why it could not be read). */
export type BalanceFact = {
  chainId: number
  asset: string
  holder?: string | undefined
} & ({ amount: bigint; decimals: number; observedAtBlock?: bigint | undefined } | Missing)

/** A member's liability token: its supplies and how it is priced. */
export type LiabilityFact = {
  symbol: string
  decimals: number
  supplies: readonly LiabilitySupply[]
  /** A feed, an explicit peg (`ballast.config` `liabilities[].peg`), or nothing (assumed 1 USD, degraded). */
  price: PriceFact | { peg: { answer: bigint; decimals: number } } | undefined
}

/** A member of the pool at the state's blocks. */
export type MemberFact = {
  id: string
  name: string
  liability: LiabilityFact
  balances: readonly BalanceFact[]
  inFlight: readonly InFlightTransfer[]
}

/** A risk-parameter update of the pool (registry `RiskParametersUpdated`), at or before the state's blocks. */
export type RiskUpdateFact = {
  chainId: number
  asset: string
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: number
  effectiveAt: number
  blockNumber: number
  logIndex: number
}

/** Risk parameters of one asset given in the config (pools without a registry). */
export type ConfiguredRisk = {
  asset: string
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: number
}

/**
 * Everything the chains say about one pool at one point in time, by symbol: the input of
 * `buildPoolState`, gathered by the indexer (`loadPoolState`) and the subgraph reader alike.
 */
/** One chain's liquidity target as configured: USD amounts as exact decimal strings. */
export type LiquidityTargetFacts = { minLiquidityUsd: string; targetLiquidityUsd: string }

export type PoolFacts = {
  timestamp: number
  blocks: readonly ChainBlock[]
  chains: readonly Chain[]
  pool: {
    id: string
    name: string
    minRatioBps: number
    targetRatioBps: number
    /**
     * What the pool wants available per chain, by chain id, as the config writes it (USD as
     * decimal strings); default none. Both the RPC and the subgraph paths pass the config's.
     */
    liquidityTargets?: Readonly<Record<number, LiquidityTargetFacts>> | undefined
  }
  assets: readonly AssetFact[]
  members: readonly MemberFact[]
  /** This pool's updates only (registry parameters apply to their own pool). */
  riskUpdates: readonly RiskUpdateFact[]
  /** Parameters from the config, used where no registry update is in force. */
  configuredRisk?: readonly ConfiguredRisk[] | undefined
  /**
   * L2 sequencer status per chain with an uptime feed: `up` and since when (unix seconds), and the
   * grace period after a restart during which its prices are not trusted.
   */
  sequencers?: readonly { chainId: number; up: boolean; since: number; gracePeriod: number }[] | undefined
}
