import type { DevnetManifest } from '@ballast/devnet'
import type { Address, Hex } from 'viem'

/**
 * What every peer in the side-by-side run indexes: per chain, its RPC URL, the block range of the
 * history and the contracts whose events count. Written to a JSON file that the Ponder app, the raw
 * floor and the Ballast runner read, so all of them see exactly the same contracts and range.
 */
export type BenchTarget = {
  chains: readonly BenchTargetChain[]
  /** The pool Ballast reports on. */
  poolId: Hex
  /** Its members by name, with their reserve holders per chain id. */
  members: readonly { name: string; holders: Readonly<Record<number, readonly Address[]>> }[]
  /** Unlocked account allowed to `mint(address,uint256)` every reserve token (live-latency probes). */
  minter: Address
  /** The devnet's manifest when the history is the devnet's (Ballast's config is built from it). */
  manifest?: DevnetManifest
}

export type BenchTargetChain = {
  name: string
  chainId: number
  rpcUrl: string
  /** First block with any indexed contract (deploy block). */
  startBlock: number
  /** Head of the laid-down history: a peer has caught up when it has indexed this block. */
  endBlock: number
  /** ERC-20s whose `Transfer` events give balances per holder and supply per token. */
  tokens: readonly BenchToken[]
  /**
   * Reserve holders tracked by Ballast (members' treasuries): Ballast records their balances in
   * every reserve token; the totals compared across peers are these balances and the supplies.
   */
  holders: readonly Address[]
  /** Ballast's registry (`PoolCreated`, `MemberJoined`, ...), when the history has one. */
  registries: readonly Address[]
  /** Chainlink-style feeds (`AnswerUpdated`). */
  feeds: readonly Address[]
  /** OFTs and OFT adapters (`OFTSent`, `OFTReceived`). */
  ofts: readonly Address[]
  /** ERC-4626 vaults (`Deposit`, `Withdraw`; their share `Transfer`s are in `tokens`). */
  vaults: readonly Address[]
  /**
   * Only the holders' positions count (a mainnet-shaped history): the relevant logs are reserve
   * `Transfer`s from or to the holders, liability mints and burns, and the feeds' answers, and the
   * floor fetches exactly those with topic filters.
   */
  scoped?: boolean | undefined
}

export type BenchToken = {
  address: Address
  symbol: string
  decimals: number
  /** `reserve` for reserve assets (and vault shares), `liability` for members' liability tokens. */
  kind: 'reserve' | 'liability'
  /** USD feed of a reserve asset (8 decimals), on the target's first chain. */
  feed?: Address
}
