import type { Address } from 'viem'

/**
 * A constant-product swap venue on one chain (a Uniswap V2 pair behind a Router02): its two
 * assets with their token addresses on that chain, the reserves as `getReserves()` returns them
 * (ordered as `assets`), and the fee.
 */
export type SwapVenue = {
  /** Optional id, echoed in swap steps (defaults to `chainId:A/B`). */
  id?: string | undefined
  chainId: number
  /** The pair's two assets (symbols of `PlannerInput.assets`). */
  assets: readonly [string, string]
  /** Token addresses of `assets` on this chain: the router call's `path`. */
  tokens: readonly [Address, Address]
  /** Reserves of `assets`, base units. */
  reserves: readonly [bigint, bigint]
  /** Swap fee in basis points (Uniswap V2: 30). */
  feeBps: bigint
  /** Uniswap V2 Router02 on this chain. */
  router: Address
}

/**
 * A composition limit: at most `maxVolatileShareBps` of the value of the books in scope in the
 * `volatileAssets`. Scope: the nodes on `chainId` (all chains when omitted: pooled) of `member`
 * (all members when omitted). Values are balances at `PlannerAsset.priceUsd`; pass haircut-adjusted
 * prices to limit adjusted reserves.
 */
export type CompositionTarget = {
  /** Optional id, echoed in outcomes (defaults to `chainId|pooled[/member]`). */
  id?: string | undefined
  chainId?: number | undefined
  member?: string | undefined
  volatileAssets: readonly string[]
  /** Basis points, 0..10000 (4000 = at most 40% volatile). */
  maxVolatileShareBps: bigint
}

/** Swaps the planner may add beside the bridge transfers. */
export type SwapSettings = {
  venues: readonly SwapVenue[]
  targets: readonly CompositionTarget[]
  /** Slippage bound of every swap, bps: targets must hold at the minimum outputs. */
  slippageBps: bigint
  /** Unix time (seconds) after which the router refuses the swap calls. */
  deadline: bigint
}
