import type { Address } from 'viem'
import type { SwapSettings } from './SwapSettings.js'

/**
 * A chain the planner may move funds on. `chainId` is the EVM chain id; it keys every node and
 * route, and maps to a LayerZero endpoint id for execution (`chainIdToEndpointId`).
 */
export type PlannerChain = {
  chainId: number
  /** Display name, e.g. `arbitrum`; defaults to the chain id. */
  name?: string | undefined
}

/**
 * A reserve asset. Amounts of it are bigint base units (`10^-decimals` of a token).
 * Costs are USD with 18 decimals (1e18 = 1 USD), so proportional fees in tokens and fixed fees in
 * USD add up in one unit.
 */
export type PlannerAsset = {
  symbol: string
  decimals: number
  /** USD price of one whole token, 18 decimals (`2500n * 10n ** 18n` for 2,500 USD). */
  priceUsd: bigint
  /**
   * Transfer granularity in base units: every planned amount is a multiple of it (default 1).
   * For an OFT use its decimal conversion rate `10^(decimals - sharedDecimals)`, so no dust is
   * removed in flight and the amount sent is the amount received.
   */
  unit?: bigint | undefined
}

/**
 * A book of one asset on one chain, optionally of one member (members that keep separate books
 * each have their own node). A node with `balance` above `target` has a surplus it may give; one
 * below has a deficit the plan should fill. A node with balance 0 and target 0 is a pure relay
 * (for instance a chain-level hub that members move through).
 */
export type PlannerNode = {
  chainId: number
  asset: string
  /** Member id (e.g. a bytes32 or a name); omitted for pool-level books. */
  member?: string | undefined
  /** Current balance, base units (>= 0). */
  balance: bigint
  /** Balance the node must hold after the plan, base units (>= 0). */
  target: bigint
  /** Where transfers to this node are delivered (the holder/treasury); needed only to execute. */
  address?: Address | undefined
}

/** Identifies a node: chain, asset and optional member. */
export type NodeRef = { chainId: number; asset: string; member?: string | undefined }

/**
 * A way to move one asset from one node to another: a LayerZero OFT route between chains
 * (`kind: 'bridge'`) or a same-chain move between members where the pool allows it
 * (`kind: 'internal'`). Amount-independent costs (`fixedFeeUsd` + `gasUsd`) are paid once per
 * transfer that uses the route, which makes the problem a fixed-charge (mixed-integer) one.
 */
export type PlannerRoute = {
  /** Optional id, echoed in transfers and diagnoses (defaults to `from -> to`). */
  id?: string | undefined
  asset: string
  from: Omit<NodeRef, 'asset'>
  to: Omit<NodeRef, 'asset'>
  /** `bridge` between chains (default when chains differ), `internal` on one chain. */
  kind?: 'bridge' | 'internal' | undefined
  /** Fixed fee per transfer (LayerZero native messaging fee), USD with 18 decimals. */
  fixedFeeUsd?: bigint | undefined
  /** Source-chain gas per transfer, USD with 18 decimals. */
  gasUsd?: bigint | undefined
  /** Proportional fee in parts per million of the amount (100 bps = 10_000 ppm). */
  feePpm?: bigint | undefined
  /** Proportional fee in basis points; an alternative to `feePpm` (`feeBps * 100 = feePpm`). */
  feeBps?: bigint | undefined
  /** Seconds from send to delivery. */
  latencySeconds: number
  /** Most this route can carry now (remaining OFT rate limit), base units; omitted = unlimited. */
  capacity?: bigint | undefined
}

/** How the planner ranks feasible plans. */
export type PlanObjective = 'cheapest' | 'fastest'

/** Everything the planner needs: chains, assets, books with targets, and routes. */
export type PlannerInput = {
  chains: readonly PlannerChain[]
  assets: readonly PlannerAsset[]
  nodes: readonly PlannerNode[]
  routes: readonly PlannerRoute[]
  /**
   * Swap venues and composition targets (see `planWithSwaps`). Omitted: bridge transfers only,
   * the plan exactly as without swaps.
   */
  swaps?: SwapSettings | undefined
}

/** Options of {@link planRebalance}. */
export type PlanOptions = {
  /**
   * `cheapest` (default): minimise total cost. `fastest`: minimise the slowest leg (the largest
   * route latency used), then cost. Both first minimise the total shortfall.
   */
  objective?: PlanObjective | undefined
  /**
   * No bridge transfer smaller than this, in USD (18 decimals); per asset as `minTransfer` below.
   * Same-chain moves between members have no minimum.
   */
  minTransferUsd?: bigint | undefined
  /** No bridge transfer smaller than this, base units, per asset symbol. */
  minTransfer?: Readonly<Record<string, bigint>> | undefined
  /**
   * Branch-and-bound budget per asset (relaxations solved). Within it the fixed-charge result is
   * proven optimal; beyond it the best plan found is returned with its proven gap. Default: about
   * 2M arc x node steps per asset (up to 5000 nodes for small networks, at least 4). 0 = heuristic.
   */
  maxBranchNodes?: number | undefined
}
