// Indexing functions of the Ponder app: the same totals as Ballast from the same events.
import { ponder } from 'ponder:registry'
import { balance, member, oftTransfer, pool, price, riskParameters, supply, vaultFlow } from 'ponder:schema'
import { zeroAddress } from 'viem'
import { present } from '../benchTarget.js'

// The registry, feed, OFT and vault handlers are registered only when the history has such
// contracts: Ponder rejects handlers of contracts missing from the config.
if (present.Token) {
  ponder.on('Token:Transfer', async ({ event, context }) => {
    const { from, to, value } = event.args
    const chainId = context.chain.id
    const token = event.log.address
    if (from === zeroAddress) {
      await context.db
        .insert(supply)
        .values({ chainId, token, amount: value })
        .onConflictDoUpdate((row: { amount: bigint }) => ({ amount: row.amount + value }))
    } else {
      await context.db
        .insert(balance)
        .values({ chainId, token, holder: from, amount: -value })
        .onConflictDoUpdate((row: { amount: bigint }) => ({ amount: row.amount - value }))
    }
    if (to === zeroAddress) {
      await context.db
        .insert(supply)
        .values({ chainId, token, amount: -value })
        .onConflictDoUpdate((row: { amount: bigint }) => ({ amount: row.amount - value }))
    } else {
      await context.db
        .insert(balance)
        .values({ chainId, token, holder: to, amount: value })
        .onConflictDoUpdate((row: { amount: bigint }) => ({ amount: row.amount + value }))
    }
  })
}

if (present.Registry) {
  ponder.on('Registry:PoolCreated', async ({ event, context }) => {
    const { poolId, name, minRatioBps, targetRatioBps } = event.args
    await context.db
      .insert(pool)
      .values({ chainId: context.chain.id, poolId, name, minRatioBps, targetRatioBps })
      .onConflictDoUpdate({ name, minRatioBps, targetRatioBps })
  })
  ponder.on('Registry:PoolTargetsUpdated', async ({ event, context }) => {
    const { poolId, minRatioBps, targetRatioBps } = event.args
    await context.db
      .insert(pool)
      .values({ chainId: context.chain.id, poolId, minRatioBps, targetRatioBps })
      .onConflictDoUpdate({ minRatioBps, targetRatioBps })
  })
  ponder.on('Registry:MemberJoined', async ({ event, context }) => {
    const { poolId, memberId, name, liabilityToken, holders } = event.args
    const values = { name, liabilityToken, holders: [...holders], active: true }
    await context.db
      .insert(member)
      .values({ chainId: context.chain.id, poolId, memberId, ...values })
      .onConflictDoUpdate(values)
  })
  ponder.on('Registry:MemberLeft', async ({ event, context }) => {
    const { poolId, memberId } = event.args
    await context.db.update(member, { chainId: context.chain.id, poolId, memberId }).set({ active: false })
  })
  ponder.on('Registry:RiskParametersUpdated', async ({ event, context }) => {
    const { poolId, asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt } =
      event.args
    const values = { haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt }
    await context.db
      .insert(riskParameters)
      .values({ chainId: context.chain.id, poolId, asset, ...values })
      .onConflictDoUpdate(values)
  })
}

if (present.Feed) {
  ponder.on('Feed:AnswerUpdated', async ({ event, context }) => {
    const values = {
      answer: event.args.current,
      roundId: event.args.roundId,
      updatedAt: event.args.updatedAt,
    }
    await context.db
      .insert(price)
      .values({ chainId: context.chain.id, feed: event.log.address, ...values })
      .onConflictDoUpdate(values)
  })
}

if (present.Oft) {
  ponder.on('Oft:OFTSent', async ({ event, context }) => {
    const values = {
      srcChainId: context.chain.id,
      srcOft: event.log.address,
      dstEid: event.args.dstEid,
      from: event.args.fromAddress,
      amountSent: event.args.amountSentLD,
    }
    await context.db
      .insert(oftTransfer)
      .values({ guid: event.args.guid, ...values })
      .onConflictDoUpdate(values)
  })
  ponder.on('Oft:OFTReceived', async ({ event, context }) => {
    const values = {
      dstChainId: context.chain.id,
      dstOft: event.log.address,
      to: event.args.toAddress,
      amountReceived: event.args.amountReceivedLD,
    }
    await context.db
      .insert(oftTransfer)
      .values({ guid: event.args.guid, ...values })
      .onConflictDoUpdate(values)
  })
}

if (present.Vault) {
  ponder.on('Vault:Deposit', async ({ event, context }) => {
    const assets = event.args.assets
    await context.db
      .insert(vaultFlow)
      .values({ chainId: context.chain.id, vault: event.log.address, netAssets: assets })
      .onConflictDoUpdate((row: { netAssets: bigint }) => ({ netAssets: row.netAssets + assets }))
  })
  ponder.on('Vault:Withdraw', async ({ event, context }) => {
    const assets = event.args.assets
    await context.db
      .insert(vaultFlow)
      .values({ chainId: context.chain.id, vault: event.log.address, netAssets: -assets })
      .onConflictDoUpdate((row: { netAssets: bigint }) => ({ netAssets: row.netAssets - assets }))
  })
}
