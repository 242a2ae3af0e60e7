import type { Address, Hex } from 'viem'

/**
 * What a running devnet looks like: written to `.ballast/devnet.json` by `startDevnet` and read by
 * `ballast config from-devnet`, the indexer's tests, the subgraph's networks.json and the bench.
 * Everything another package needs to find the chains and contracts is here, and nothing else.
 */
export type DevnetManifest = {
  /** Manifest format version; bumped on any breaking change. */
  version: 1
  /** Scenario and seed that produced the chains' history. */
  scenario: { name: string; seed: number }
  chains: readonly DevnetChain[]
  /**
   * Reserve assets by symbol (`USDC` 6 decimals, `WETH` 18, `WBTC` 8). `home` is the chain whose
   * token is the canonical ERC-20 behind an OFTAdapter; every other chain has an OFT.
   */
  assets: readonly DevnetAsset[]
  /** ERC-4626 vaults over a reserve asset (holders' shares are reserves valued via convertToAssets). */
  vaults: readonly DevnetVault[]
  pools: readonly DevnetPool[]
}

export type DevnetChain = {
  /** Short name, e.g. `alpha`. */
  name: string
  chainId: number
  /** LayerZero V2 endpoint id of this chain (devnet ids are 40_1xx). */
  eid: number
  rpcUrl: string
  /** Blocks after which a block is treated as final by the relayer and the indexer config. */
  finalityDepth: number
  contracts: {
    endpoint: Address
    sendLib: Address
    receiveLib: Address
    /** Ballast's production contracts: at the same addresses on every chain (CREATE2). */
    registry: Address
    /** Timelocks of the registry's roles (a change is scheduled on one, executed after its delay). */
    poolAdminTimelock: Address
    membershipTimelock: Address
    riskTimelock: Address
    /** Where `ballast attest` posts the pools' solvency statements. */
    attestation: Address
  }
  /** Block at which the Ballast contracts were deployed (indexing starts here). */
  deployBlock: number
}

export type DevnetAsset = {
  symbol: string
  decimals: number
  homeChainId: number
  /** Per chain id: the ERC-20 token holders hold, and the OFT (adapter on home, OFT elsewhere). */
  tokens: Record<number, { token: Address; oft: Address }>
  /** Chainlink-style feed (all feeds live on the first chain, with 8 decimals like Chainlink USD feeds). */
  feed: { chainId: number; address: Address; decimals: number }
}

export type DevnetVault = {
  chainId: number
  address: Address
  symbol: string
  /** Symbol of the reserve asset it holds. */
  asset: string
}

export type DevnetPool = {
  /** bytes32 pool id (keccak256 of the name). */
  id: Hex
  name: string
  minRatioBps: number
  targetRatioBps: number
  members: readonly DevnetMember[]
}

export type DevnetMember = {
  /** bytes32 member id (keccak256 of the name). */
  id: Hex
  name: string
  /** The member's liability token: an OFT on every chain (burn/mint bridging). */
  liability: { symbol: string; decimals: number; tokens: Record<number, Address> }
  /** Per chain id: reserve holder addresses (treasuries) registered in the registry. */
  holders: Record<number, readonly Address[]>
  /** Block per chain id at which the member joined (mid-history joins are part of the scenarios). */
  joinedAt: Record<number, number>
  /** Block per chain id at which the member left, when it did (`MemberLeft`). */
  leftAt?: Record<number, number>
}
