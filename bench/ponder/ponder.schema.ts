// Tables of the Ponder app: the totals Ballast computes (balances per holder and token, supply per
// token) plus the registry, feed and OFT facts. uint256 amounts are Ponder bigints (numeric(78)).
import { onchainTable, primaryKey } from 'ponder'

/** Balance of every address in every indexed token (Ballast keeps the tracked holders' subset). */
export const balance = onchainTable(
  'balance',
  (t) => ({
    chainId: t.integer().notNull(),
    token: t.hex().notNull(),
    holder: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.token, table.holder] }) }),
)

/** Supply of every indexed token: mints minus burns. */
export const supply = onchainTable(
  'supply',
  (t) => ({
    chainId: t.integer().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.token] }) }),
)

export const pool = onchainTable(
  'pool',
  (t) => ({
    chainId: t.integer().notNull(),
    poolId: t.hex().notNull(),
    name: t.text(),
    minRatioBps: t.integer().notNull(),
    targetRatioBps: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.poolId] }) }),
)

export const member = onchainTable(
  'member',
  (t) => ({
    chainId: t.integer().notNull(),
    poolId: t.hex().notNull(),
    memberId: t.hex().notNull(),
    name: t.text().notNull(),
    liabilityToken: t.hex().notNull(),
    holders: t.json().$type<string[]>().notNull(),
    active: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.poolId, table.memberId] }) }),
)

export const riskParameters = onchainTable(
  'risk_parameters',
  (t) => ({
    chainId: t.integer().notNull(),
    poolId: t.hex().notNull(),
    asset: t.hex().notNull(),
    haircutFloorBps: t.integer().notNull(),
    liquidationThresholdBps: t.integer().notNull(),
    liquidationHorizon: t.integer().notNull(),
    effectiveAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.poolId, table.asset] }) }),
)

/** Latest answer per feed. */
export const price = onchainTable(
  'price',
  (t) => ({
    chainId: t.integer().notNull(),
    feed: t.hex().notNull(),
    answer: t.bigint().notNull(),
    roundId: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.feed] }) }),
)

/** OFT transfers by guid: sent on one chain, received (or not yet) on another. */
export const oftTransfer = onchainTable('oft_transfer', (t) => ({
  guid: t.hex().primaryKey(),
  srcChainId: t.integer(),
  srcOft: t.hex(),
  dstEid: t.integer(),
  from: t.hex(),
  amountSent: t.bigint(),
  dstChainId: t.integer(),
  dstOft: t.hex(),
  to: t.hex(),
  amountReceived: t.bigint(),
}))

/** Net assets deposited per ERC-4626 vault (Deposit minus Withdraw). */
export const vaultFlow = onchainTable(
  'vault_flow',
  (t) => ({
    chainId: t.integer().notNull(),
    vault: t.hex().notNull(),
    netAssets: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.chainId, table.vault] }) }),
)
