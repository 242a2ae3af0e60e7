import {
  type AssetFact,
  type BalanceFact,
  buildPoolState,
  type InFlightTransfer,
  type LiabilityFact,
  type LiabilitySupply,
  type MemberFact,
  type PoolState,
  parseDecimal,
  type RiskUpdateFact,
} from '@ballast/sdk'
import type { Address, Hex } from 'viem'
import type { ResolvedAssetConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import { decodeUint256 } from '../storage/uint256.js'
import { feedPrice, type PriceSampling } from './feedPrice.js'
import { membersAt, poolsAt } from './getMembers.js'
import { latestRows } from './latestRows.js'
import { listBridgeTransfers, MAX_PAGE_SIZE } from './listBridgeTransfers.js'
import { positionFacts } from './positionFacts.js'
import type { At, QueryContext } from './QueryContext.js'
import { type ResolvedAt, resolveAt, visibleAt } from './resolveAt.js'

/**
 * Builds the sdk's `PoolState` of one pool at a point in time from the indexed facts, through the
 * sdk's one valuation (`buildPoolState`): per chain the block `at` resolves to; members in the
 * pool at that block (registry events, static members); their holders' positions by kind
 * (`positionFacts`: Transfer sums, checkpoint reads, Aave's formula); vault rates and pair
 * reserves; liability supplies with the tokens' own decimals and symbols (read from the chain);
 * bridge transfers in flight; feed prices at the feeds' blocks (`feedPrice`); the pool's risk
 * updates stored at or before those blocks (in force by `effectiveAt` at the state's time) and
 * the config's `pools[].risk`. What cannot be valued exactly is listed in `state.degraded`
 * instead of stopping anything.
 *
 * @param ctx Database and config.
 * @param poolId The pool's bytes32 id.
 * @param options `at`: a timestamp or blocks per chain (default: latest indexed).
 * @returns The state, ready for the sdk's math (`validatePoolState` passes on it).
 * @throws IndexerError for an unknown pool.
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
     * price history (the latest answer at each sample time; samples before the first answer are
     * left out). The SDK then adds an EWMA volatility term to haircuts and estimates covariances.
     * Default: no history (haircuts are the governance floors).
     */
    priceHistory?: PriceSampling | undefined
  } = {},
): Promise<PoolState> {
  const id = poolId.toLowerCase() as Hex
  const { config } = ctx
  const poolConfig = config.pools.find((p) => p.id === id)
  if (poolConfig === undefined) {
    throw new IndexerError('Unknown pool.', {
      details: `Pool ${poolId} is not in the config.`,
      metaMessages: [`Known pools: ${config.pools.map((p) => p.id).join(', ') || 'none'}.`],
    })
  }
  const at = await resolveAt(ctx, options.at)
  const pools = await poolsAt(ctx, at)
  const pool = pools.find((p) => p.id === id)
  const members = await membersAt(ctx, id, at)

  // Asset symbol of every token and OFT address per chain.
  const assetOf = new Map<string, ResolvedAssetConfig>()
  for (const asset of config.assets) {
    for (const [chainId, token] of Object.entries(asset.tokens)) assetOf.set(`${chainId}:${token}`, asset)
    for (const [chainId, oft] of Object.entries(asset.ofts ?? {})) assetOf.set(`${chainId}:${oft}`, asset)
  }
  const tokenRows = await ctx.db.selectFrom('tokens').selectAll().execute()
  const tokenMeta = new Map(tokenRows.map((t) => [`${t.chain_id}:${t.address}`, t]))

  const holdersByChain = new Map<number, Address[]>()
  for (const member of members)
    for (const c of member.chains)
      holdersByChain.set(c.chainId, [...(holdersByChain.get(c.chainId) ?? []), ...c.holders])
  const supplyTokens = members.flatMap((m) =>
    m.chains.flatMap((c) => (c.liabilityToken ? [c.liabilityToken] : [])),
  )
  const [positions, supplies, inFlightRows] = await Promise.all([
    positionFacts(ctx, at, holdersByChain),
    latestRows(ctx, 'supplies', ['token'], at, { token: supplyTokens }),
    collectInFlight(ctx, at),
  ])
  const supplyOf = new Map(supplies.map((s) => [`${s.chain_id}:${s.token}`, decodeUint256(s.supply)]))

  const assets: AssetFact[] = []
  for (const asset of config.assets) {
    if (asset.kind === 'erc4626' || asset.kind === 'uniswap-v2-lp') {
      // One vault or pair per asset (defineConfig): its facts are those of its one chain.
      const [chainKey, token] = Object.entries(asset.tokens)[0] ?? []
      const key = `${chainKey}:${token}`
      if (asset.kind === 'erc4626') {
        const rate = positions.vaultRates.get(key)
        assets.push({
          symbol: asset.symbol,
          decimals: asset.decimals,
          valuation: 'vault',
          underlying: asset.underlying as string,
          assetsPerShare:
            rate === undefined
              ? { missing: `${asset.symbol} has no vault on an indexed chain.` }
              : 'assetsPerShare' in rate
                ? rate.assetsPerShare
                : rate,
        })
      } else {
        const pair = positions.pairs.get(key)
        const [token0, token1] = asset.pair as readonly [string, string]
        if (pair === undefined || 'missing' in pair) {
          // Left unvalued: the sdk sees a priced asset without a price, with the reason.
          assets.push({
            symbol: asset.symbol,
            decimals: asset.decimals,
            valuation: 'priced',
            price: pair ?? { missing: `${asset.symbol} has no pair on an indexed chain.` },
          })
        } else
          assets.push({
            symbol: asset.symbol,
            decimals: asset.decimals,
            valuation: 'lp',
            token0,
            token1,
            ...pair,
          })
      }
      continue
    }
    const feed = asset.feed ?? config.assets.find((a) => a.symbol === asset.underlying)?.feed
    assets.push({
      symbol: asset.symbol,
      decimals: asset.decimals,
      valuation: 'priced',
      kind: asset.kind,
      price:
        feed === undefined
          ? {
              missing: `${asset.symbol} has no feed: add assets[].feed (or, for an aToken, a feed to its underlying).`,
            }
          : await feedPrice(ctx, at, feed, options.priceHistory),
    })
  }

  const stateMembers: MemberFact[] = []
  for (const member of members) {
    const holderSet = new Set<string>()
    const liabilityTokens = new Set<string>()
    let liability: { symbol: string; decimals: number } | undefined
    const liabilities: LiabilitySupply[] = []
    for (const c of member.chains) {
      for (const h of c.holders) holderSet.add(`${c.chainId}:${h}`)
      const token = c.liabilityToken
      if (token === undefined) continue
      liabilityTokens.add(`${c.chainId}:${token}`)
      const meta = tokenMeta.get(`${c.chainId}:${token}`)
      liability ??= meta
      liabilities.push({
        chainId: c.chainId,
        supply: supplyOf.get(`${c.chainId}:${token}`) ?? 0n,
        decimals: meta?.decimals ?? liability?.decimals ?? 18,
      })
    }
    const liabilitySymbol = liability?.symbol ?? member.name
    const balances: BalanceFact[] = positions.holders
      .filter((h) => holderSet.has(`${h.chainId}:${h.holder}`))
      .map((h) =>
        'missing' in h
          ? { chainId: h.chainId, asset: h.asset.symbol, holder: h.holder, missing: h.missing }
          : {
              chainId: h.chainId,
              asset: h.asset.symbol,
              holder: h.holder,
              amount: h.amount,
              decimals: h.asset.decimals,
              ...(h.observedAtBlock === undefined ? {} : { observedAtBlock: h.observedAtBlock }),
            },
      )
    for (const [key, rate] of positions.vaultRates) {
      if (!('assetsPerShare' in rate)) continue
      // A vault share's value moves at checkpoints: its holdings say where the rate was read.
      for (const b of balances)
        if (
          'amount' in b &&
          `${b.chainId}:${config.assets.find((a) => a.symbol === b.asset)?.tokens[b.chainId]}` === key
        )
          b.observedAtBlock = rate.observedAtBlock
    }
    const inFlight: InFlightTransfer[] = []
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
          decimals: liability?.decimals ?? 18,
        })
      } else if (holderSet.has(`${t.srcChainId}:${t.fromAddress}`)) {
        const asset = assetOf.get(`${t.srcChainId}:${t.oft}`)
        if (asset === undefined) continue
        inFlight.push({
          guid: t.guid,
          asset: asset.symbol,
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
      liability: {
        symbol: liabilitySymbol,
        decimals: liability?.decimals ?? 18,
        supplies: liabilities,
        price: await liabilityPrice(ctx, at, liabilitySymbol, options.priceHistory),
      },
      balances,
      inFlight,
    })
  }

  // This pool's risk updates stored at or before the blocks asked (never later ones), by symbol.
  const riskRows = await ctx.db
    .selectFrom('risk_parameters')
    .selectAll()
    .where('pool_id', '=', id)
    .where((eb) => visibleAt(eb, at))
    .execute()
  const riskUpdates: RiskUpdateFact[] = []
  for (const r of riskRows) {
    const symbol =
      assetOf.get(`${r.chain_id}:${r.asset}`)?.symbol ?? tokenMeta.get(`${r.chain_id}:${r.asset}`)?.symbol
    if (symbol === undefined) continue
    riskUpdates.push({
      chainId: r.chain_id,
      asset: symbol,
      haircutFloorBps: r.haircut_floor_bps,
      liquidationThresholdBps: r.liquidation_threshold_bps,
      liquidationHorizon: r.liquidation_horizon,
      effectiveAt: r.effective_at,
      blockNumber: r.block_number,
      logIndex: r.log_index,
    })
  }

  // L2 sequencer status, from the uptime feeds read at checkpoints (a block before any read has none).
  const sequencers = []
  for (const chain of config.chains) {
    const feed = chain.sequencerUptimeFeed
    if (feed === undefined || !at.chains.has(chain.chainId)) continue
    const rows = await latestRows(ctx, 'reads', ['contract', 'holder', 'field'], at, {
      contract: feed.address,
      holder: '',
    })
    const value = (field: string) =>
      rows.find((r) => r.chain_id === chain.chainId && r.field === field)?.value
    const status = value('sequencerStatus')
    const since = value('sequencerSince')
    if (status === undefined || since === undefined || status === '' || since === '') continue
    sequencers.push({
      chainId: chain.chainId,
      up: decodeUint256(status) === 0n,
      since: Number(decodeUint256(since)),
      gracePeriod: feed.gracePeriod,
    })
  }

  return buildPoolState({
    sequencers,
    timestamp: at.timestamp,
    blocks: [...at.chains.values()].map((c) => ({
      chainId: c.chainId,
      blockNumber: BigInt(Math.max(0, c.blockNumber)),
      timestamp: c.timestamp,
    })),
    chains: config.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    pool: {
      id,
      name: pool?.name ?? poolConfig.name ?? id,
      minRatioBps: pool?.minRatioBps ?? poolConfig.minRatioBps ?? 10_000,
      targetRatioBps: pool?.targetRatioBps ?? poolConfig.targetRatioBps ?? 10_000,
      liquidityTargets: poolConfig.liquidityTargets,
    },
    assets,
    members: stateMembers,
    riskUpdates,
    configuredRisk: Object.entries(poolConfig.risk ?? {}).map(([asset, r]) => ({ asset, ...r })),
  })
}

/** A liability's price: its configured feed or peg (by the token's symbol), else none (assumed 1 USD, degraded). */
async function liabilityPrice(
  ctx: QueryContext,
  at: ResolvedAt,
  symbol: string,
  sampling: PriceSampling | undefined,
): Promise<LiabilityFact['price']> {
  const configured = ctx.config.liabilities.find((l) => l.symbol === symbol)
  if (configured?.peg !== undefined)
    return { peg: { answer: parseDecimal(configured.peg, 18, 'floor'), decimals: 18 } }
  if (configured?.feed === undefined) return undefined
  const price = await feedPrice(ctx, at, configured.feed, sampling)
  // A liability whose feed has no answer yet is valued at its peg of 1 only with the reason.
  return 'missing' in price ? undefined : price
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
    if (!page.hasNextPage) return items
    after = page.endCursor
  }
}
