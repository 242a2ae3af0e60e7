import type { Address } from 'viem'

/**
 * A keeper policy as written by hand (TypeScript or JSON): what to watch in one pool, what to do
 * about it, and the hard limits. Ratios, shares and haircuts are decimal strings (`"1.2"`), USD
 * amounts decimal strings of dollars (`"250000"`): JSON has no exact numbers. `definePolicy`
 * validates it and resolves them to WAD and 18-decimal bigints.
 */
export type KeeperPolicy = {
  /** Shown in decisions, alerts and batch file names. */
  name: string
  /** The pool watched (bytes32 id as hex). */
  pool: string
  /**
   * Per chain id, the address that holds the reserves the keeper may move and signs for them (a
   * Safe in `propose` mode, the configured account in `execute` mode). It must be one of the
   * pool's holders, or the pool's figures will not see what it moves.
   */
  treasury: Readonly<Record<string, Address>>
  /**
   * Per chain id, the Safe libraries (Safe 1.4.1's `MultiSendCallOnly` and `SimulateTxAccessor`)
   * that `propose` mode batches and dry-runs through; checked to hold code at start.
   */
  safeLibraries?:
    | Readonly<Record<string, { multiSendCallOnly: Address; simulateTxAccessor: Address }>>
    | undefined
  triggers: readonly TriggerPolicy[]
  actions: readonly ActionPolicy[]
  limits: LimitsPolicy
}

/** When the keeper considers acting. Every trigger has an `id` (default: its kind and index). */
export type TriggerPolicy = { id?: string | undefined } & (
  | { kind: 'pooled-ratio-below'; ratio: string }
  | { kind: 'member-ratio-below'; member: string; ratio: string }
  /** Liquid adjusted reserves on a chain over its minimum liquidity (every chain with a minimum if absent). */
  | { kind: 'liquidity-coverage-below'; chainId?: number | undefined; level: string }
  /** Share of the pool's adjusted reserves in assets not listed as stable. */
  | { kind: 'volatile-share-above'; stable: readonly string[]; share: string }
  /** The asset's haircut (volatility term or floor, whichever binds). */
  | { kind: 'haircut-above'; asset: string; haircut: string }
  /** Any price the pool depends on older than its heartbeat. */
  | { kind: 'stale-price' }
  /** A member's liability price off 1 USD by more than `deviation`. */
  | { kind: 'liability-off-peg'; deviation: string }
  /** A bridge transfer of the pool's assets in flight longer than `seconds`. */
  | { kind: 'in-flight-longer-than'; seconds: number }
)

/** What the keeper does when one of its triggers (`when`, default: any) fires. */
export type ActionPolicy = { id?: string | undefined; when?: readonly string[] | undefined } & (
  | {
      /** Bridges (and swaps, where venues are given) through the planner. */
      kind: 'rebalance'
      /** The reserve asset moved (an ERC-20 with an OFT on the treasury's chains, e.g. `USDC`). */
      asset: string
      objective?: 'cheapest' | 'fastest' | undefined
      /** Slippage bound of bridge deliveries and swaps, bps (default 0 for bridges). */
      slippageBps?: number | undefined
      /** Smallest transfer worth sending, USD (default 100). */
      minTransferUsd?: string | undefined
      /** Fixed cost of one bridge transfer (messaging fee + gas), USD (default 0.1). */
      fixedFeeUsd?: string | undefined
      /** Bridge delivery time assumed by the schedule, seconds (default 60). */
      latencySeconds?: number | undefined
      /** Swap venues the planner may sell through (with `composition`); absent: bridges only. */
      venues?: readonly SwapVenuePolicy[] | undefined
      /** The composition limit the swaps serve (required with `venues`). */
      composition?: CompositionPolicy | undefined
      /** Seconds a swap call stays valid after the decision (Router02 deadline, default 3600). */
      swapDeadlineSeconds?: number | undefined
    }
  | { kind: 'alert' }
  | {
      /**
       * Schedules a risk-parameter update on the pool's registry through its risk timelock: for each
       * asset whose recommended haircut floor (the risk model's, `recommendParameters`) exceeds the
       * floor in force, `setRiskParameters` with the recommended floor, quoting the model's reasoning.
       */
      kind: 'governance'
      /** Asset symbols considered (default: every asset the pool holds). */
      asset?: readonly string[] | undefined
      /** Target probability that the pooled ratio falls below 1 within the horizon, e.g. "0.01". */
      target: string
      /** Horizon of the pool's minimum-ratio check in days (default 10); floors use each asset's liquidation horizon. */
      horizonDays?: number | undefined
      /** Monte Carlo paths (default 10,000). */
      paths?: number | undefined
      /** Monte Carlo seed (default 1): the same state gives the same recommendation. */
      seed?: number | undefined
    }
)

/** A Uniswap V2 pair behind a Router02 on one treasury chain. */
export type SwapVenuePolicy = {
  /** Named in `limits.allowedVenues` and in decisions (default `<chainId>:<A>/<B>`). */
  id?: string | undefined
  chainId: number
  pair: Address
  router: Address
  /** Symbols of the pair's two assets (each an asset of the config with a token on the chain). */
  assets: readonly [string, string]
  /** Swap fee, bps (default 30, Uniswap V2's 0.3%). */
  feeBps?: number | undefined
}

/** At most `maxVolatileShare` of the treasury's books in assets not listed as stable. */
export type CompositionPolicy = {
  /** Decimal string fraction, e.g. `"0.4"`. */
  maxVolatileShare: string
  stable: readonly string[]
  /** One chain's books only; absent: the treasury's books on every chain together. */
  chainId?: number | undefined
}

/** Hard limits; an action over any of them records "limit hit" and sends nothing. */
export type LimitsPolicy = {
  /** USD moved by one action. */
  perActionUsd: string
  /** USD moved by every action in a rolling 24 hours. */
  perDayUsd: string
  /** USD per route (`"<fromChainId>-><toChainId>"`) per action. */
  perRouteUsd?: Readonly<Record<string, string>> | undefined
  /** USD per asset symbol per action. */
  perAssetUsd?: Readonly<Record<string, string>> | undefined
  /** Seconds after an action during which the same action is not taken again. */
  cooldownSeconds: number
  /** Routes the keeper may use (`"<fromChainId>-><toChainId>"`); absent: every route. */
  allowedRoutes?: readonly string[] | undefined
  /** Swap venue ids the keeper may use; absent: every venue its actions name. */
  allowedVenues?: readonly string[] | undefined
}

/** A trigger with its thresholds resolved (WAD fractions). */
export type ResolvedTrigger = { id: string } & (
  | { kind: 'pooled-ratio-below'; ratio: bigint }
  | { kind: 'member-ratio-below'; member: string; ratio: bigint }
  | { kind: 'liquidity-coverage-below'; chainId: number | undefined; level: bigint }
  | { kind: 'volatile-share-above'; stable: readonly string[]; share: bigint }
  | { kind: 'haircut-above'; asset: string; haircut: bigint }
  | { kind: 'stale-price' }
  | { kind: 'liability-off-peg'; deviation: bigint }
  | { kind: 'in-flight-longer-than'; seconds: number }
)

/** An action with its amounts resolved (USD with 18 decimals). */
export type ResolvedAction = { id: string; when: readonly string[] | undefined } & (
  | {
      kind: 'rebalance'
      asset: string
      objective: 'cheapest' | 'fastest'
      slippageBps: number
      minTransferUsd: bigint
      fixedFeeUsd: bigint
      latencySeconds: number
      /** Empty: bridges only. */
      venues: readonly ResolvedSwapVenue[]
      composition: ResolvedComposition | undefined
      swapDeadlineSeconds: number
    }
  | { kind: 'alert' }
  | {
      kind: 'governance'
      /** Undefined: every asset the pool holds. */
      assets: readonly string[] | undefined
      /** As a number for the sdk's Monte Carlo (a probability, not money). */
      target: number
      horizonDays: number
      paths: number
      seed: number
    }
)

/** A venue resolved: lower-case addresses, its id, the fee in bps. */
export type ResolvedSwapVenue = {
  id: string
  chainId: number
  pair: Address
  router: Address
  assets: readonly [string, string]
  feeBps: number
}

/** A composition limit resolved: the volatile assets are the venues' assets not listed as stable. */
export type ResolvedComposition = {
  maxVolatileShareBps: bigint
  stable: readonly string[]
  volatile: readonly string[]
  chainId: number | undefined
}

/** Limits resolved: USD with 18 decimals. */
export type ResolvedLimits = {
  perActionUsd: bigint
  perDayUsd: bigint
  perRouteUsd: ReadonlyMap<string, bigint>
  perAssetUsd: ReadonlyMap<string, bigint>
  cooldownSeconds: number
  allowedRoutes: ReadonlySet<string> | undefined
  allowedVenues: ReadonlySet<string> | undefined
}

/** What `definePolicy` returns. */
export type ResolvedPolicy = {
  name: string
  /** Lower-case bytes32 hex. */
  pool: string
  /** Lower-case addresses by chain id. */
  treasury: ReadonlyMap<number, Address>
  safeLibraries: ReadonlyMap<number, { multiSendCallOnly: Address; simulateTxAccessor: Address }>
  triggers: readonly ResolvedTrigger[]
  actions: readonly ResolvedAction[]
  limits: ResolvedLimits
}
