import {
  type AssetFact,
  type BalanceFact,
  buildPoolState,
  composeFeedPrices,
  type InFlightTransfer,
  type LiabilitySupply,
  type LiquidityTargetFacts,
  type MemberFact,
  type Missing,
  type PoolState,
  type PositionKind,
  type PriceFact,
  parseDecimal,
  type RiskUpdateFact,
} from '@ballast/sdk'
import type { Address, Hex } from 'viem'
import type { SubgraphSnapshot } from '../client/readSubgraph.js'
import { SubgraphError } from '../errors/SubgraphError.js'

/** One feed as the custom indexer's `defineConfig` resolves it (`maxAge` is always there). */
type OneFeedConfig = { chainId: number; address: Address; decimals: number; maxAge: number }

/**
 * A USD feed as the custom indexer's `defineConfig` resolves it: `maxAge` is always there (its
 * default filled in), so both readers flag a stale answer at the same age; `times` is a second
 * feed multiplied in (e.g. stETH/ETH x ETH/USD), composed as the indexer composes it.
 */
export type SubgraphFeedConfig = OneFeedConfig & { times?: OneFeedConfig | undefined }

/** The contracts Ballast prices (the custom indexer's resolved config has this shape). */
export type SubgraphPoolConfig = {
  chains: readonly { chainId: number; name: string; eid?: number | undefined }[]
  assets: readonly {
    symbol: string
    decimals: number
    /** Default `erc20`; the subgraph serves `erc20` and `erc4626` (vaults holding their own assets). */
    kind?: PositionKind | undefined
    tokens: Readonly<Record<number, Address>>
    ofts?: Readonly<Record<number, Address>> | undefined
    feed?: SubgraphFeedConfig | undefined
    underlying?: string | undefined
  }[]
  liabilities?:
    | readonly {
        symbol: string
        peg?: string | undefined
        feed?: SubgraphFeedConfig | undefined
      }[]
    | undefined
  pools?:
    | readonly {
        id: string
        risk?: Readonly<Record<string, ConfiguredRiskValues>> | undefined
        /** Per chain id, USD as decimal strings (as the indexer config writes them). */
        liquidityTargets?: Readonly<Record<number, LiquidityTargetFacts>> | undefined
      }[]
    | undefined
}

type ConfiguredRiskValues = {
  haircutFloorBps: number
  liquidationThresholdBps: number
  liquidationHorizon: number
}

/** Position kinds the subgraph's mappings follow. */
export const SUBGRAPH_KINDS: readonly PositionKind[] = ['erc20', 'erc4626']

type Row = Record<string, unknown> & { chainId: number }
const ref = (value: unknown): string => String((value as { id: string } | null)?.id)
const big = (value: unknown): bigint => BigInt(String(value))

/**
 * Builds the sdk's `PoolState` of one pool from the chains' subgraphs (each read at one block by
 * `readSubgraph`), through the sdk's one valuation (`buildPoolState`), as the custom indexer does:
 * active members and their holders per chain, holdings of configured reserve tokens and vault
 * shares, liability supplies, OFT transfers in flight, feed answers, the pool's risk updates and
 * its configured risk. A vault's rate is OpenZeppelin ERC4626's `10^d * (totalAssets + 1) /
 * (totalSupply + 1)` from the Vault entity (exact for a vault holding its own assets, offset 0);
 * a kind the mappings do not follow is served as degraded, never guessed.
 *
 * @param snapshots Chain id -> that chain's subgraph snapshot.
 * @param config Chains (with LayerZero eids), assets, liabilities and pools.
 * @param poolId The pool's bytes32 id.
 * @param timestamp The instant the state describes (risk parameters in force, price staleness).
 * @returns The state, ready for `evaluatePool`.
 * @example
 * ```ts
 * const state = poolStateFromSubgraphs(snapshots, config, poolId, timestamp)
 * evaluatePool(state).reserveRatio
 * ```
 */
export function poolStateFromSubgraphs(
  snapshots: ReadonlyMap<number, SubgraphSnapshot>,
  config: SubgraphPoolConfig,
  poolId: Hex,
  timestamp: number,
): PoolState {
  const id = poolId.toLowerCase()
  const all = (type: string): Row[] =>
    [...snapshots].flatMap(([chainId, s]) => (s.entities[type] ?? []).map((e) => ({ ...e, chainId })))
  const pools = all('Pool').filter((p) => p.id === id)
  const pool = pools[0]
  if (!pool) {
    throw new SubgraphError('Unknown pool.', {
      details: `No subgraph has pool ${poolId}.`,
      metaMessages: ['Check the pool id and that the subgraphs are synced past its creation.'],
    })
  }

  const symbolOf = new Map<string, string>()
  for (const asset of config.assets) {
    for (const [chainId, token] of Object.entries(asset.tokens))
      symbolOf.set(`${chainId}:${token.toLowerCase()}`, asset.symbol)
    for (const [chainId, oft] of Object.entries(asset.ofts ?? {}))
      symbolOf.set(`${chainId}:${oft.toLowerCase()}`, asset.symbol)
  }
  const decimalsOf = new Map(config.assets.map((a) => [a.symbol, a.decimals]))
  const tokens = new Map(all('Token').map((t) => [`${t.chainId}:${String(t.id)}`, t]))
  const eidToChain = new Map(config.chains.map((c) => [c.eid, c.chainId]))
  const feeds = new Map(all('PriceFeed').map((f) => [`${f.chainId}:${String(f.id)}`, f]))
  const vaults = new Map(all('Vault').map((v) => [`${v.chainId}:${String(v.id)}`, v]))
  const oneFeed = (feed: OneFeedConfig): PriceFact | Missing => {
    const row = feeds.get(`${feed.chainId}:${feed.address.toLowerCase()}`)
    if (!row)
      return { missing: `Feed ${feed.address} on chain ${feed.chainId} has no answer in its subgraph.` }
    return {
      answer: big(row.answer),
      decimals: feed.decimals,
      updatedAt: Number(row.updatedAt),
      maxAge: feed.maxAge,
    }
  }
  // A composed feed goes through the sdk's composeFeedPrices, as the indexer's feedPrice does.
  const priceOf = (feed: SubgraphFeedConfig | undefined): PriceFact | Missing => {
    if (!feed) return { missing: 'It has no feed in the config.' }
    const a = oneFeed(feed)
    if ('missing' in a || feed.times === undefined) return a
    const b = oneFeed(feed.times)
    return 'missing' in b ? b : composeFeedPrices(a, b)
  }

  const assets: AssetFact[] = config.assets.map((asset): AssetFact => {
    const kind = asset.kind ?? 'erc20'
    if (kind === 'erc4626') {
      const [chainKey, address] = Object.entries(asset.tokens)[0] ?? []
      const row = vaults.get(`${chainKey}:${String(address).toLowerCase()}`)
      const underlyingDecimals = decimalsOf.get(asset.underlying ?? '') ?? asset.decimals
      const one = 10n ** BigInt(underlyingDecimals)
      const totalAssets = row ? big(row.totalAssets) : 0n
      const totalSupply = row ? big(row.totalSupply) : 0n
      return {
        symbol: asset.symbol,
        decimals: asset.decimals,
        valuation: 'vault',
        underlying: asset.underlying ?? '',
        assetsPerShare: (one * (totalAssets + 1n)) / (totalSupply + 1n),
      }
    }
    if (!SUBGRAPH_KINDS.includes(kind)) {
      return {
        symbol: asset.symbol,
        decimals: asset.decimals,
        valuation: 'priced',
        price: { missing: `The subgraph does not follow ${kind} positions; read this chain over RPC.` },
      }
    }
    return {
      symbol: asset.symbol,
      decimals: asset.decimals,
      valuation: 'priced',
      kind,
      price: priceOf(asset.feed),
    }
  })

  // Members active in the pool, merged across chains by member id.
  const byMember = new Map<string, { name: string; chains: Row[] }>()
  for (const m of all('Member').filter((m) => ref(m.pool) === id && m.active === true)) {
    const memberId = String(m.memberId)
    const entry = byMember.get(memberId) ?? { name: String(m.name), chains: [] }
    entry.chains.push(m)
    byMember.set(memberId, entry)
  }
  const holders = all('Holder').filter((h) => h.active === true)
  const balances = all('Balance')
  const received = new Set(all('OftReceived').map((r) => String(r.id)))
  const inFlightRows = all('OftSent').filter((s) => !received.has(String(s.id)))

  const members: MemberFact[] = []
  for (const [memberId, { name, chains }] of byMember) {
    const memberBalances: BalanceFact[] = []
    const liabilities: LiabilitySupply[] = []
    const inFlight: InFlightTransfer[] = []
    let liability: { symbol: string; decimals: number } | undefined
    const holderSet = new Set<string>()
    const liabilityTokens = new Set<string>()
    for (const m of chains) {
      const tokenKey = `${m.chainId}:${ref(m.liabilityToken)}`
      liabilityTokens.add(tokenKey)
      const token = tokens.get(tokenKey)
      if (liability === undefined && token)
        liability = { symbol: String(token.symbol), decimals: Number(token.decimals) }
      liabilities.push({
        chainId: m.chainId,
        supply: token ? big(token.totalSupply) : 0n,
        decimals: token ? Number(token.decimals) : (liability?.decimals ?? 18),
      })
      const mine = holders.filter((h) => h.chainId === m.chainId && ref(h.member) === String(m.id))
      for (const h of mine) {
        holderSet.add(`${m.chainId}:${String(h.id)}`)
        for (const b of balances) {
          if (b.chainId !== m.chainId || ref(b.holder) !== h.id) continue
          const symbol = symbolOf.get(`${b.chainId}:${ref(b.token)}`)
          if (symbol === undefined) continue
          memberBalances.push({
            chainId: m.chainId,
            asset: symbol,
            holder: String(h.id),
            amount: big(b.amount),
            decimals: decimalsOf.get(symbol) ?? 18,
          })
        }
      }
    }
    const liabilitySymbol = liability?.symbol ?? name
    for (const t of inFlightRows) {
      const toChainId = eidToChain.get(Number(t.dstEid))
      if (toChainId === undefined) continue
      const oftKey = `${t.chainId}:${String(t.oft)}`
      const base = { guid: String(t.id), fromChainId: t.chainId, toChainId, amount: big(t.amountReceivedLD) }
      if (liabilityTokens.has(oftKey)) {
        inFlight.push({ ...base, asset: liabilitySymbol, decimals: liability?.decimals ?? 18 })
      } else if (holderSet.has(`${t.chainId}:${String(t.from)}`)) {
        const symbol = symbolOf.get(oftKey)
        if (symbol !== undefined)
          inFlight.push({ ...base, asset: symbol, decimals: decimalsOf.get(symbol) ?? 18 })
      }
    }
    const configured = config.liabilities?.find((l) => l.symbol === liabilitySymbol)
    const pegged = configured?.peg
    const fed = configured?.feed === undefined ? undefined : priceOf(configured.feed)
    members.push({
      id: memberId,
      name,
      liability: {
        symbol: liabilitySymbol,
        decimals: liability?.decimals ?? 18,
        supplies: liabilities,
        price:
          pegged !== undefined
            ? { peg: { answer: parseDecimal(pegged, 18, 'floor'), decimals: 18 } }
            : fed !== undefined && !('missing' in fed)
              ? fed
              : undefined,
      },
      balances: memberBalances,
      inFlight,
    })
  }

  const riskUpdates: RiskUpdateFact[] = []
  for (const u of all('RiskParameterUpdate').filter((u) => String(u.pool).toLowerCase() === id)) {
    const key = `${u.chainId}:${String(u.asset)}`
    const symbol = symbolOf.get(key) ?? (tokens.get(key) ? String(tokens.get(key)?.symbol) : undefined)
    if (symbol === undefined) continue
    riskUpdates.push({
      chainId: u.chainId,
      asset: symbol,
      haircutFloorBps: Number(u.haircutFloorBps),
      liquidationThresholdBps: Number(u.liquidationThresholdBps),
      liquidationHorizon: Number(u.liquidationHorizon),
      effectiveAt: Number(u.effectiveAt),
      blockNumber: Number(u.blockNumber),
      logIndex: Number(u.logIndex),
    })
  }
  const minRatioBps = Number(pool.minRatioBps)
  const poolConfig = config.pools?.find((p) => p.id.toLowerCase() === id)
  const risk = poolConfig?.risk ?? {}
  return buildPoolState({
    timestamp,
    blocks: [...snapshots].map(([chainId, s]) => ({
      chainId,
      blockNumber: BigInt(s.block.number),
      timestamp,
    })),
    chains: config.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    pool: {
      id,
      name: String(pool.name),
      minRatioBps,
      targetRatioBps: Number(pool.targetRatioBps),
      liquidityTargets: poolConfig?.liquidityTargets,
    },
    assets,
    members,
    riskUpdates,
    configuredRisk: Object.entries(risk).map(([asset, r]) => ({ asset, ...r })),
  })
}
