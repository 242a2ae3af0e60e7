import type { PositionKind } from '@ballast/sdk'

/** How the indexer follows one position kind, and how exact the answer is. */
export type KindTraits = {
  /**
   * Holder amounts are running sums of `Transfer`s from a seed (`balances` rows), exact at every
   * block. Otherwise the amount is read at checkpoints (`reads` rows): a `Transfer` of such a
   * token is only a signal (a rebasing or interest-bearing token's amounts are not its shares).
   */
  transferBalances: boolean
  /** What makes the value exact, for the README's kinds table and the API's notes. */
  exactness: string
  /** RPC calls per checkpoint it adds (besides the holder-scoped `eth_getLogs`). */
  cost: string
}

/** Every kind's traits (README "Position kinds" lists the same). */
export const KIND_TRAITS: Readonly<Record<PositionKind, KindTraits>> = {
  erc20: {
    transferBalances: true,
    exactness: 'every block: Transfer sums from a balanceOf seed',
    cost: 'none',
  },
  weth9: {
    transferBalances: false,
    exactness: 'every block: balanceOf read at each Transfer, Deposit or Withdrawal of a holder',
    cost: 'one Multicall3 entry per holder per checkpoint',
  },
  erc4626: {
    transferBalances: true,
    exactness:
      'shares every block (Transfer sums); the rate convertToAssets(10^decimals) at checkpoints (the answer says which block)',
    cost: 'one Multicall3 entry per vault per checkpoint',
  },
  'rebasing-shares': {
    transferBalances: false,
    exactness: 'every block: balanceOf read at each holder Transfer and each TokenRebased',
    cost: 'one Multicall3 entry per holder per checkpoint',
  },
  'aave-v3-atoken': {
    transferBalances: false,
    exactness:
      'every block by formula: scaledBalanceOf x the reserve normalized income from getReserveData, read at each holder Transfer and ReserveDataUpdated',
    cost: 'one entry per holder and one per reserve per checkpoint',
  },
  'uniswap-v2-lp': {
    transferBalances: true,
    exactness: 'every block: LP shares and supply from Transfer sums, reserves read at each Sync',
    cost: 'one Multicall3 entry per pair per checkpoint',
  },
  native: {
    transferBalances: false,
    exactness:
      'at checkpoints only (no logs): eth balance read at each step end (the answer says which block)',
    cost: 'one Multicall3 entry per holder per checkpoint',
  },
}
