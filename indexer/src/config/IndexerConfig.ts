import type { PositionKind } from '@ballast/sdk'
import type { Address, Hex } from 'viem'

/**
 * Where the indexer stores its data. A string is a shorthand: a `postgres://` or `postgresql://`
 * URL selects PostgreSQL, anything else is a SQLite file path.
 */
export type DatabaseConfig = string | { kind: 'sqlite'; file: string } | PostgresDatabaseConfig

/** A PostgreSQL database. */
export type PostgresDatabaseConfig = {
  kind: 'postgres'
  /** `postgres://user:password@host:port/database`; the password never appears in messages. */
  url: string
  /**
   * Schema holding every table, the migration table included (created by `ballast migrate`);
   * several deployments can share one database. Default: the role's `search_path` (usually
   * `public`), where databases written before this option keep their tables.
   */
  schema?: string | undefined
  /** Connections per process (default 4). */
  poolSize?: number | undefined
}

/** One EVM chain to index. */
export type ChainConfig = {
  /**
   * The chain by its viem name (`'mainnet'`, `'base'`, `'arbitrum'`, …): fills `chainId`, `name`,
   * `blockTime`, `multicall3`, `eid` (LayerZero) and a default `finalityDepth`, and finality
   * follows the node's `finalized` tag. Any of them given here wins.
   */
  chain?: string | undefined
  /** Short name used in logs (defaults to the named chain's, else `chain-<chainId>`). */
  name?: string | undefined
  /** Required unless `chain` names it. */
  chainId?: number | undefined
  /** LayerZero V2 endpoint id: matches OFT `dstEid`/`srcEid` to chains. */
  eid?: number | undefined
  /**
   * One or more JSON-RPC URLs; later ones are fallbacks. Each must serve `chainId`. Required
   * unless `subgraph` is given: a chain is read from exactly one source.
   */
  rpcUrls?: readonly string[] | undefined
  /**
   * `ws://`/`wss://` URLs to subscribe to new heads (each head wakes the sync at once; HTTP
   * polling stays the fallback). A ws(s) URL in `rpcUrls` lands here too. Calls always go over HTTP.
   */
  wsUrls?: readonly string[] | undefined
  /**
   * Read this chain from a deployment of Ballast's subgraph (graph-node's GraphQL API) instead of
   * JSON-RPC, into the same tables. Exclusive with `rpcUrls`. `finalityDepth` bounds reorgs,
   * `maxBlockRange` the blocks of one backfill step, `rpcTimeout` one HTTP request.
   */
  subgraph?: SubgraphSourceConfig | undefined
  /**
   * Blocks behind the head after which a block is final (never reorged). Required unless `chain`
   * names it (then 768 s of blocks: 64 on Ethereum). With `finality: 'tag'`, only the fallback.
   */
  finalityDepth?: number | undefined
  /**
   * `'tag'`: the node's `finalized` block where it answers, `finalityDepth` otherwise; `'depth'`:
   * always `finalityDepth`. Default `'tag'` for a named chain, `'depth'` otherwise.
   */
  finality?: 'tag' | 'depth' | undefined
  /** Seconds per block, for lag in seconds (`/healthz`). Default: viem's for the chain id, else 12. */
  blockTime?: number | undefined
  /** Multicall3 address. Default: viem's for the chain, else the canonical `0xcA11…CA11`. */
  multicall3?: Address | undefined
  /**
   * An L2's Chainlink sequencer uptime feed (answer 0 = up, 1 = down): while it is down, or within
   * `gracePeriod` seconds (default 3,600) of coming back, the chain's prices may be stale and the
   * pools are served DEGRADED (`sequencer-down`).
   */
  sequencerUptimeFeed?: { address: Address; gracePeriod?: number | undefined } | undefined
  /** First block to index (e.g. the block the registry was deployed in). */
  startBlock: number
  /** Upper bound of one `eth_getLogs` range (the range adapts below it). Default 10_000. */
  maxBlockRange?: number | undefined
  /**
   * Most addresses, and most values of one topic OR-list, in one `eth_getLogs` filter (longer
   * lists are split into several filters). Default 1_000 (geth's default `--rpc.logquerylimit`).
   */
  filterCap?: number | undefined
  /** Maximum JSON-RPC calls per second over all URLs of the chain. Default: unlimited. */
  rateLimit?: number | undefined
  /** How often to poll for a new head once synced, in ms. Default 1_000. */
  pollingInterval?: number | undefined
  /** Timeout of one JSON-RPC HTTP request, in ms. Default 10_000. */
  rpcTimeout?: number | undefined
  /**
   * Most calls sent in one JSON-RPC batch (one HTTP request); 1 sends every call alone, for
   * endpoints that reject batches. Default 100.
   */
  rpcBatchSize?: number | undefined
}

/** A subgraph deployment a chain is read from. */
export type SubgraphSourceConfig = {
  /** The deployment's GraphQL endpoint, e.g. `http://localhost:8000/subgraphs/name/ballast/mainnet`. */
  url: string
}

/** A member configured by hand (no registry event): tracked from `startBlock` of each chain. */
export type StaticMemberConfig = {
  /** bytes32 member id. */
  id: Hex
  name: string
  /** Liability token (an OFT) per chain id. */
  liabilityTokens: Readonly<Record<number, Address>>
  /** Reserve holders per chain id. */
  holders: Readonly<Record<number, readonly Address[]>>
}

/** What a pool wants available on one chain (USD decimal strings, `targetLiquidityUsd >= minLiquidityUsd`). */
export type LiquidityTargetConfig = { minLiquidityUsd: string; targetLiquidityUsd: string }

/** Risk parameters of one asset in a pool configured by hand (a registry's own apply to its pool). */
export type RiskConfig = {
  /** Minimum haircut, basis points (0 to 10,000). */
  haircutFloorBps: number
  /** Share of value counted before liquidation, basis points. */
  liquidationThresholdBps: number
  /** Seconds needed to sell the position in a stress (> 0). */
  liquidationHorizon: number
}

/** A reserve pool: discovered from its registry on each chain, and/or given static members. */
export type PoolConfig = {
  /** bytes32 pool id (the registry's `poolId`). */
  id: Hex
  name?: string | undefined
  /** `ReservePoolRegistry` address per chain id (one registry per chain). */
  registries?: Readonly<Record<number, Address>> | undefined
  /**
   * `ReserveAttestation` address per chain id (optional): its `StatementPosted` of this pool are
   * indexed and served as `Pool.attestation` beside the API's own figures.
   */
  attestations?: Readonly<Record<number, Address>> | undefined
  members?: readonly StaticMemberConfig[] | undefined
  /** Minimum and target reserve ratios in bps when the pool has no registry (else from events). */
  minRatioBps?: number | undefined
  targetRatioBps?: number | undefined
  /**
   * Liquid adjusted reserves the pool wants on a chain, per chain id, USD decimal strings (e.g.
   * `{ minLiquidityUsd: '5000', targetLiquidityUsd: '8000' }`): what the planner and the keeper's
   * rebalance bridge toward. Default: none (the planner then moves nothing between chains).
   */
  liquidityTargets?: Readonly<Record<number, LiquidityTargetConfig>> | undefined
  /**
   * Risk parameters by asset symbol, for assets the pool's registry has none in force for (a pool
   * without a registry has only these). An asset with neither counts at a 100% haircut.
   */
  risk?: Readonly<Record<string, RiskConfig>> | undefined
}

/**
 * A USD price feed: a Chainlink `EACAggregatorProxy` address as Chainlink's docs list it (its
 * aggregators' `AnswerUpdated` are followed across phase changes, with `latestRoundData` reads at
 * checkpoints), or an aggregator that emits `AnswerUpdated` itself.
 */
export type FeedConfig = {
  chainId: number
  address: Address
  /** Checked against the feed's `decimals()`. */
  decimals: number
  /**
   * The feed's heartbeat in seconds: an older answer is stale (a `stale-price` degraded reason
   * and a longer haircut horizon). Default {@link DEFAULT_FEED_MAX_AGE} (86,400: one day).
   */
  maxAge?: number | undefined
  /**
   * A second feed to multiply by (a composed price, e.g. stETH/ETH x ETH/USD): the price is
   * `answer * times.answer / 10^decimals`, with `times`' decimals.
   */
  times?: Omit<FeedConfig, 'times'> | undefined
}

/** A reserve asset: the token per chain, its kind, its OFT (bridge) per chain and its USD feed. */
export type AssetConfig = {
  symbol: string
  /**
   * How a holder's amount comes from the chain (the README's "Position kinds"): `erc20` (default),
   * `weth9`, `erc4626`, `rebasing-shares`, `aave-v3-atoken`, `uniswap-v2-lp`, `native`.
   */
  kind?: PositionKind | undefined
  /** The token's decimals, checked against its `decimals()` on every chain. */
  decimals: number
  /** Token holders hold, per chain id (`native`: the zero address). */
  tokens: Readonly<Record<number, Address>>
  /** OFT or OFTAdapter per chain id (bridge transfers of this asset). */
  ofts?: Readonly<Record<number, Address>> | undefined
  /** Its USD feed (priced kinds; an `aave-v3-atoken` without one is priced as its `underlying`). */
  feed?: FeedConfig | undefined
  /** `erc4626`: the asset the shares convert to; `aave-v3-atoken`: the reserve's asset (a symbol of `assets`). */
  underlying?: string | undefined
  /** `uniswap-v2-lp`: the symbols of the pair's token0 and token1 (checked against the pair). */
  pair?: readonly [string, string] | undefined
}

/** How a member's liability token is priced, matched by the token's symbol on chain. */
export type LiabilityConfig = {
  symbol: string
  /** Its USD feed. */
  feed?: FeedConfig | undefined
  /** Or an explicit peg in USD (a decimal string, e.g. `'1'`). */
  peg?: string | undefined
}

/** An ERC-4626 vault whose shares count as reserves of their holders (shorthand for an `erc4626` asset). */
export type VaultConfig = {
  chainId: number
  address: Address
  symbol: string
  /** Symbol of the underlying reserve asset (an `assets[].symbol`). */
  asset: string
}

/** Extra OFTs whose transfers to index (asset OFTs and member liability tokens are included already). */
export type BridgeConfig = {
  symbol: string
  ofts: Readonly<Record<number, Address>>
}

/** What `ballast.config.ts` exports (through `defineConfig`). */
export type IndexerConfig = {
  /** Default: SQLite file `.ballast/ballast.sqlite`. */
  database?: DatabaseConfig | undefined
  chains: readonly ChainConfig[]
  pools: readonly PoolConfig[]
  assets: readonly AssetConfig[]
  vaults?: readonly VaultConfig[] | undefined
  /** Price sources of liability tokens (a liability without one is valued at 1 USD and its pool is DEGRADED). */
  liabilities?: readonly LiabilityConfig[] | undefined
  bridges?: readonly BridgeConfig[] | undefined
  /**
   * SQLite file caching RPC responses about finalized blocks (logs, headers, calls), kept apart
   * from the database so that a re-index costs no RPC. Default: no cache.
   */
  rpcCache?: string | undefined
  /** Seconds between stored pool snapshots (history); 0 turns them off. Default 3600 (hourly). */
  snapshotInterval?: number | undefined
  /**
   * How the API samples each feed's answers into the price history of a state, from which the
   * sdk estimates an EWMA volatility (RiskMetrics lambda 0.94, daily) and adds the volatility
   * term `z * sigma * sqrt(T)` to haircuts: `points` samples `interval` seconds apart, ending at
   * the state's time (the latest answer at each sample time). Default
   * {@link DEFAULT_PRICE_HISTORY}: daily over 90 days. `false`: no history (haircuts are the
   * governance floors).
   */
  priceHistory?: PriceHistoryConfig | false | undefined
}

/** Sampling of feed answers into a state's price history. */
export type PriceHistoryConfig = {
  /** Seconds between samples (default 86,400: daily, the frequency lambda 0.94 is meant for). */
  interval?: number | undefined
  /** Samples per feed, the last at the state's time (default 90; at least 3: two returns). */
  points?: number | undefined
}

/**
 * Default price history sampling: a daily sample over 90 days. RiskMetrics' lambda 0.94 is
 * calibrated on daily returns and keeps about 75 days of effective memory (at 1% tolerance), so
 * 90 daily samples hold nearly all the weight the estimate gives.
 */
export const DEFAULT_PRICE_HISTORY = { interval: 86_400, points: 90 } as const

/**
 * Default feed heartbeat: one day, as many of Chainlink's USD feeds have (others have an hour):
 * give a feed's own heartbeat, from Chainlink's feed listing, as `maxAge`. Also the sdk's default
 * `maxPriceAge`, so a state without a heartbeat and one with this default age haircuts alike.
 */
export const DEFAULT_FEED_MAX_AGE = 86_400

/** A feed after validation: its heartbeat filled in (also that of the feed it is composed with). */
export type ResolvedFeedConfig = Omit<FeedConfig, 'maxAge' | 'times'> & {
  maxAge: number
  times?: Omit<ResolvedFeedConfig, 'times'> | undefined
}

/** A liability after validation: its feed's heartbeat filled in. */
export type ResolvedLiabilityConfig = Omit<LiabilityConfig, 'feed'> & {
  feed?: ResolvedFeedConfig | undefined
}

/** The database part of a validated config, normalised. */
export type ResolvedDatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string | undefined; poolSize: number }

/** A chain after validation: defaults filled, addresses lower-cased. */
export type ResolvedChainConfig = {
  [K in Exclude<
    keyof ChainConfig,
    'eid' | 'rateLimit' | 'subgraph' | 'chain' | 'sequencerUptimeFeed'
  >]-?: NonNullable<ChainConfig[K]>
} & {
  /** The sequencer uptime feed, its grace period filled in. */
  sequencerUptimeFeed: { address: Address; gracePeriod: number } | undefined
  /** The viem name the chain was given by, if any. */
  chain: string | undefined
  eid: number | undefined
  rateLimit: number | undefined
  /** Set when the chain is read from a subgraph (then `rpcUrls` is empty). */
  subgraph: SubgraphSourceConfig | undefined
}

/** A config after `defineConfig`: defaults filled in, every address lower-cased. */
export type ResolvedIndexerConfig = {
  database: ResolvedDatabaseConfig
  chains: readonly ResolvedChainConfig[]
  pools: readonly PoolConfig[]
  /** Every reserve asset with its kind (`vaults` become `erc4626` assets here). */
  assets: readonly ResolvedAssetConfig[]
  liabilities: readonly ResolvedLiabilityConfig[]
  bridges: readonly BridgeConfig[]
  rpcCache: string | undefined
  snapshotInterval: number
  /** Price history sampling of the states the API serves; undefined: none (`priceHistory: false`). */
  priceHistory: { interval: number; points: number } | undefined
}

/** An asset after validation: its kind and its feed's heartbeat filled in. */
export type ResolvedAssetConfig = Omit<AssetConfig, 'feed'> & {
  kind: PositionKind
  feed?: ResolvedFeedConfig | undefined
}
