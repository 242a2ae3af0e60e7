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
  /** What it adds to each checkpoint's `aggregate3` (besides the holder-scoped `eth_getLogs`). */
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
    cost: 'one Multicall3 entry per holder',
  },
  erc4626: {
    transferBalances: true,
    exactness: 'shares every block (Transfer sums); the rate convertToAssets(10^decimals) at checkpoints',
    cost: 'one entry per vault',
  },
  'rebasing-shares': {
    transferBalances: false,
    exactness: 'every block: balanceOf read at each holder Transfer and each TokenRebased',
    cost: 'one entry per holder',
  },
  'aave-v3-atoken': {
    transferBalances: false,
    exactness: 'every block by formula: scaledBalanceOf x the reserve normalized income from getReserveData',
    cost: 'one entry per holder and one per reserve',
  },
  'uniswap-v2-lp': {
    transferBalances: true,
    exactness: 'every block: LP shares and supply from Transfer sums, reserves read at each Sync',
    cost: 'one entry per pair',
  },
  native: {
    transferBalances: false,
    exactness: 'at checkpoints only (no logs): the balance at each step end',
    cost: 'one entry per holder',
  },
}
