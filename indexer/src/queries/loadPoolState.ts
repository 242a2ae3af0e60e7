import {
  type Asset,
  type AssetRiskParameters,
  bpsToWad,
  type Holding,
  type InFlightTransfer,
  type LiabilitySupply,
  type Member,
  type PoolState,
  WAD,
} from '@ballast/sdk'
import type { Hex } from 'viem'
import { IndexerError } from '../errors/IndexerError.js'
import { decodeUint256 } from '../storage/uint256.js'
import { membersAt, poolsAt } from './getMembers.js'
import { getRiskParameters } from './getRiskParameters.js'
import { latestRows } from './latestRows.js'
import { listBridgeTransfers, MAX_PAGE_SIZE } from './listBridgeTransfers.js'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt } from './resolveAt.js'

/** Price of a liability token without a feed: 1 USD with 8 decimals (a USD stablecoin). */
const ONE_USD = { answer: 100_000_000n, decimals: 8 }
/**
 * Risk parameters of an asset without a `RiskParametersUpdated` in force: a 100% haircut floor, so
 * an asset governance has not assessed counts for nothing (conservative), horizon one day.
 */
const UNASSESSED = { haircutFloor: WAD, liquidationThreshold: 0n, liquidationHorizon: 86_400 }

/**
 * Builds the sdk's `PoolState` of one pool at a point in time from the indexed facts: per chain
 * the block `at` resolves to; members in the pool at that block (registry events, static members);
 * their holders' balances of every reserve asset and vault share (holdings); their liability
 * token's supply per chain; bridge transfers in flight (liability tokens, and reserve assets sent
 * by a member's holder); the latest feed answers; risk parameters in force at the timestamp.
 * Vault shares are valued like OpenZeppelin's ERC4626 (decimals offset 0):
 * `assetsPerShare = 10^d * (totalAssets + 1) / (totalSupply + 1)` with `totalAssets` the vault's
 * balance of the underlying and `totalSupply` its share mints - burns, both from Transfer events.
 *
 * @param ctx Database and config.
 * @param poolId The pool's bytes32 id.
 * @param options `at`: a timestamp or blocks per chain (default: latest indexed).
 * @returns The state, ready for the sdk's math (`validatePoolState` passes on it).
 * @throws IndexerError for an unknown pool, or a reserve asset without any price at that time.
 * @example
 * ```ts
 * const state = await loadPoolState(ctx, poolId, { at: { timestamp: 1_700_000_000 } })
 * ```
 */
export async function loadPoolState(
  ctx: QueryContext,
  poolId: Hex,
  options: {
    at?: At | undefined
    /**
     * Sample each feed every `interval` seconds, `points` samples ending at the state's time, as
     * `priceHistory` (the latest answer at each sample time; samples before the first answer are
     * left out). The SDK then adds an EWMA volatility term to haircuts and estimates covariances.
     * Default: no history (haircuts are the governance floors).
     */
    priceHistory?: { interval: number; points: number } | undefined
  } = {},
): Promise<PoolState> {
  const id = poolId.toLowerCase() as Hex
  const { config } = ctx
  if (!config.pools.some((p) => p.id === id)) {
    throw new IndexerError('Unknown pool.', {
      details: `Pool ${poolId} is not in the config.`,
      metaMessages: [`Known pools: ${config.pools.map((p) => p.id).join(', ') || 'none'}.`],
    })
  }
  const at = await resolveAt(ctx, options.at)
  const pools = await poolsAt(ctx, at)
  const pool = pools.find((p) => p.id === id)
  const members = await membersAt(ctx, id, at)

  // Asset symbol of every token address per chain.
  const symbolOf = new Map<string, string>()
  for (const asset of config.assets) {
    for (const [chainId, token] of Object.entries(asset.tokens))
      symbolOf.set(`${chainId}:${token}`, asset.symbol)
    for (const [chainId, oft] of Object.entries(asset.ofts ?? {}))
      symbolOf.set(`${chainId}:${oft}`, asset.symbol)
  }
  for (const vault of config.vaults) symbolOf.set(`${vault.chainId}:${vault.address}`, vault.symbol)
  const tokenRows = await ctx.db.selectFrom('tokens').selectAll().execute()
  const liabilityMeta = new Map<string, { symbol: string; decimals: number }>()
  for (const t of tokenRows) {
    liabilityMeta.set(`${t.chain_id}:${t.address}`, { symbol: t.symbol, decimals: t.decimals })
  }

  // Only the keys this pool needs: its members' holders (and vaults, for their total assets) in
  // the reserve tokens, so the cost follows the pool's history, not the whole database's.
  const holderFilter = new Set<string>(config.vaults.map((v) => v.address))
  for (const member of members) for (const c of member.chains) for (const h of c.holders) holderFilter.add(h)
  const tokenFilter = new Set<string>([
    ...config.assets.flatMap((a) => Object.values(a.tokens)),
    ...config.vaults.map((v) => v.address),
  ])
  const balances = await latestRows(ctx, 'balances', ['token', 'holder'], at, {
    holder: [...holderFilter],
    token: [...tokenFilter],
  })
  const balanceOf = new Map(
    balances.map((b) => [`${b.chain_id}:${b.token}:${b.holder}`, decodeUint256(b.balance)]),
  )
  const supplyFilter = new Set<string>(config.vaults.map((v) => v.address))
  for (const member of members)
    for (const c of member.chains) if (c.liabilityToken) supplyFilter.add(c.liabilityToken)
  const supplies = await latestRows(ctx, 'supplies', ['token'], at, { token: [...supplyFilter] })
  const supplyOf = new Map(supplies.map((s) => [`${s.chain_id}:${s.token}`, decodeUint256(s.supply)]))
  const prices = await latestRows(ctx, 'prices', ['feed'], at)

  const assets = new Map<string, Asset>()
  for (const asset of config.assets) {
    const feed = asset.feed
    const row =
      feed === undefined
        ? undefined
        : prices.find((p) => p.chain_id === feed.chainId && p.feed === feed.address)
    if (feed === undefined || row === undefined) continue
    const history =
      options.priceHistory === undefined ? undefined : await samplePrices(ctx, at, feed, options.priceHistory)
    assets.set(asset.symbol, {
      kind: 'erc20',
      symbol: asset.symbol,
      decimals: asset.decimals,
      price: { answer: decodeUint256(row.answer), decimals: feed.decimals, updatedAt: row.updated_at },
      ...(history === undefined ? {} : { priceHistory: history }),
    })
  }
  for (const vault of config.vaults) {
    const underlying = config.assets.find((a) => a.symbol === vault.asset)
    const token = underlying?.tokens[vault.chainId]
    if (underlying === undefined || token === undefined || assets.has(vault.symbol)) continue
    const totalAssets = balanceOf.get(`${vault.chainId}:${token}:${vault.address}`) ?? 0n
    const totalSupply = supplyOf.get(`${vault.chainId}:${vault.address}`) ?? 0n
    const one = 10n ** BigInt(underlying.decimals)
    assets.set(vault.symbol, {
      kind: 'erc4626',
      symbol: vault.symbol,
      decimals: underlying.decimals,
      underlying: underlying.symbol,
      assetsPerShare: (one * (totalAssets + 1n)) / (totalSupply + 1n),
    })
  }

  const { items: inFlightRows } = await collectInFlight(ctx, at)
  const stateMembers: Member[] = []
  for (const member of members) {
    const holdings = new Map<string, Holding>()
    const liabilities: LiabilitySupply[] = []
    const inFlight: InFlightTransfer[] = []
    let liabilitySymbol: string | undefined
    let liabilityDecimals = 18
    const holderSet = new Set<string>()
    const liabilityTokens = new Set<string>()
    for (const c of member.chains) {
      const token = c.liabilityToken
      if (token !== undefined) {
        liabilityTokens.add(`${c.chainId}:${token}`)
        const meta = liabilityMeta.get(`${c.chainId}:${token}`)
        if (liabilitySymbol === undefined && meta !== undefined) {
          liabilitySymbol = meta.symbol
          liabilityDecimals = meta.decimals
        }
        liabilities.push({
          chainId: c.chainId,
          supply: supplyOf.get(`${c.chainId}:${token}`) ?? 0n,
          decimals: meta?.decimals ?? liabilityDecimals,
        })
      }
      for (const holder of c.holders) {
        holderSet.add(`${c.chainId}:${holder}`)
        for (const [key, amount] of balanceOf) {
          const [chainId, tokenAddress, owner] = key.split(':')
          if (Number(chainId) !== c.chainId || owner !== holder || amount === 0n) continue
          const symbol = symbolOf.get(`${chainId}:${tokenAddress}`)
          const asset = symbol === undefined ? undefined : assets.get(symbol)
          if (symbol === undefined) continue
          if (asset === undefined) {
            throw new IndexerError('No price for a reserve asset.', {
              details: `${symbol} is held by ${holder} on chain ${c.chainId}, but its feed has no answer at or before the time asked (${at.timestamp}).`,
              metaMessages: ['Ask for a later time, or check the asset feed in the config.'],
            })
          }
          const hk = `${c.chainId}:${symbol}`
          const existing = holdings.get(hk)
          holdings.set(hk, {
            chainId: c.chainId,
            asset: symbol,
            amount: (existing?.amount ?? 0n) + amount,
            decimals: asset.decimals,
          })
        }
      }
    }
    liabilitySymbol ??= member.name
    if (!assets.has(liabilitySymbol)) {
      assets.set(liabilitySymbol, {
        kind: 'erc20',
        symbol: liabilitySymbol,
        decimals: liabilityDecimals,
        price: { ...ONE_USD, updatedAt: at.timestamp },
      })
    }
    for (const t of inFlightRows) {
      const toChainId = t.dstChainId
      if (toChainId === undefined) continue
      if (liabilityTokens.has(`${t.srcChainId}:${t.oft}`)) {
        inFlight.push({
          guid: t.guid,
          asset: liabilitySymbol,
          fromChainId: t.srcChainId,
          toChainId,
          amount: t.amountReceived,
          decimals: liabilityDecimals,
        })
      } else if (holderSet.has(`${t.srcChainId}:${t.fromAddress}`)) {
        const symbol = symbolOf.get(`${t.srcChainId}:${t.oft}`)
        const asset = symbol === undefined ? undefined : assets.get(symbol)
        if (symbol === undefined || asset === undefined) continue
        inFlight.push({
          guid: t.guid,
          asset: symbol,
          fromChainId: t.srcChainId,
          toChainId,
          amount: t.amountReceived,
          decimals: asset.decimals,
        })
      }
    }
    stateMembers.push({
      id: member.memberId,
      name: member.name,
      poolId: id,
      liabilityAsset: liabilitySymbol,
      holdings: [...holdings.values()].sort((a, b) => a.chainId - b.chainId || (a.asset < b.asset ? -1 : 1)),
      liabilities,
      inFlight,
    })
  }

  // The pool's risk parameters in force, by asset symbol (the latest effective across chains' registries).
  const riskRows = await getRiskParameters(ctx, {
    at: { blocks: blocksOf(at), timestamp: at.timestamp },
    poolId: id,
  })
  const risk = new Map<string, { params: AssetRiskParameters; effectiveAt: number }>()
  for (const r of riskRows) {
    const symbol =
      symbolOf.get(`${r.chainId}:${r.asset}`) ?? liabilityMeta.get(`${r.chainId}:${r.asset}`)?.symbol
    if (symbol === undefined) continue
    const known = risk.get(symbol)
    if (known !== undefined && known.effectiveAt >= r.effectiveAt) continue
    risk.set(symbol, {
      effectiveAt: r.effectiveAt,
      params: {
        asset: symbol,
        haircutFloor: bpsToWad(r.haircutFloorBps),
        liquidationThreshold: bpsToWad(r.liquidationThresholdBps),
        liquidationHorizon: Math.max(1, r.liquidationHorizon),
      },
    })
  }
  const riskParameters = [...assets.keys()].map(
    (symbol) => risk.get(symbol)?.params ?? { asset: symbol, ...UNASSESSED },
  )

  const minRatio = bpsToWad(pool?.minRatioBps ?? 10_000)
  const targetRatio = bpsToWad(Math.max(pool?.targetRatioBps ?? 10_000, pool?.minRatioBps ?? 10_000))
  return {
    timestamp: at.timestamp,
    blocks: [...at.chains.values()].map((c) => ({
      chainId: c.chainId,
      blockNumber: BigInt(Math.max(0, c.blockNumber)),
      timestamp: c.timestamp,
    })),
    chains: config.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets: [...assets.values()],
    riskParameters,
    pools: [{ id, name: pool?.name ?? id, minRatio, targetRatio, liquidityTargets: [] }],
    members: stateMembers,
  }
}

/** The feed's latest answer (by `updatedAt`) at `points` regular times ending at the state's time. */
async function samplePrices(
  ctx: QueryContext,
  at: Awaited<ReturnType<typeof resolveAt>>,
  feed: { chainId: number; address: string },
  sampling: { interval: number; points: number },
): Promise<{ answer: bigint; updatedAt: number }[]> {
  if (!(sampling.interval > 0) || !Number.isInteger(sampling.points) || sampling.points < 1) {
    throw new IndexerError('Invalid price history sampling.', {
      details: `interval = ${sampling.interval}, points = ${sampling.points}; both must be positive (points an integer).`,
    })
  }
  const rows = await ctx.db
    .selectFrom('prices')
    .select(['answer', 'updated_at'])
    .where('chain_id', '=', feed.chainId)
    .where('feed', '=', feed.address)
    .where('block_number', '<=', at.chains.get(feed.chainId)?.blockNumber ?? -1)
    .where('updated_at', '<=', at.timestamp)
    .orderBy('updated_at')
    .orderBy('block_number')
    .orderBy('log_index')
    .execute()
  const out: { answer: bigint; updatedAt: number }[] = []
  let i = -1
  for (let k = sampling.points - 1; k >= 0; k--) {
    const time = at.timestamp - k * sampling.interval
    while (i + 1 < rows.length && (rows[i + 1]?.updated_at ?? Number.POSITIVE_INFINITY) <= time) i++
    const row = rows[i]
    if (row !== undefined) out.push({ answer: decodeUint256(row.answer), updatedAt: time })
  }
  return out
}

function blocksOf(at: Awaited<ReturnType<typeof resolveAt>>): Record<number, number> {
  return Object.fromEntries([...at.chains.values()].map((c) => [c.chainId, c.blockNumber]))
}

async function collectInFlight(ctx: QueryContext, at: Awaited<ReturnType<typeof resolveAt>>) {
  const items: Awaited<ReturnType<typeof listBridgeTransfers>>['items'] = []
  let after: string | undefined
  for (;;) {
    const page = await listBridgeTransfers(ctx, {
      status: 'sent',
      first: MAX_PAGE_SIZE,
      after,
      at: { blocks: blocksOf(at), timestamp: at.timestamp },
    })
    items.push(...page.items)
    if (!page.hasNextPage) return { items }
    after = page.endCursor
  }
}
