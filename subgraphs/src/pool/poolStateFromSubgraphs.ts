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
import type { Address, Hex } from 'viem'
import type { SubgraphSnapshot } from '../client/readSubgraph.js'
import { SubgraphError } from '../errors/SubgraphError.js'

/** The contracts Ballast prices (the custom indexer's config has this shape). */
export type SubgraphPoolConfig = {
  chains: readonly { chainId: number; name: string; eid?: number | undefined }[]
  assets: readonly {
    symbol: string
    decimals: number
    tokens: Readonly<Record<number, Address>>
    ofts?: Readonly<Record<number, Address>> | undefined
    feed?: { chainId: number; address: Address; decimals: number } | undefined
  }[]
  vaults: readonly { chainId: number; address: Address; symbol: string; asset: string }[]
}

/** Price of a liability token without a feed: 1 USD with 8 decimals (a USD stablecoin). */
const ONE_USD = { answer: 100_000_000n, decimals: 8 }
/** Risk parameters of an asset with none in force: counts for nothing (the indexer's rule). */
const UNASSESSED = { haircutFloor: WAD, liquidationThreshold: 0n, liquidationHorizon: 86_400 }

type Row = Record<string, unknown> & { chainId: number }
const ref = (value: unknown): string => String((value as { id: string } | null)?.id)
const big = (value: unknown): bigint => BigInt(String(value))

/**
 * Builds the sdk's `PoolState` of one pool from the chains' subgraphs (each read at one block by
 * `readSubgraph`), with the custom indexer's rules (`loadPoolState`): active members and their
 * holders per chain, holdings of configured reserve tokens and vault shares, liability supplies,
 * OFT transfers in flight (liability tokens, and reserve assets sent by a member's holder), feed
 * answers, risk parameters in force at `timestamp`, vault shares valued as OpenZeppelin's ERC4626
 * (`10^d * (totalAssets + 1) / (totalSupply + 1)`).
 *
 * @param snapshots Chain id -> that chain's subgraph snapshot.
 * @param config Chains (with LayerZero eids), assets and vaults.
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
  for (const vault of config.vaults)
    symbolOf.set(`${vault.chainId}:${vault.address.toLowerCase()}`, vault.symbol)
  const tokens = new Map(all('Token').map((t) => [`${t.chainId}:${String(t.id)}`, t]))
  const eidToChain = new Map(config.chains.map((c) => [c.eid, c.chainId]))

  const assets = new Map<string, Asset>()
  const feeds = new Map(all('PriceFeed').map((f) => [`${f.chainId}:${String(f.id)}`, f]))
  for (const asset of config.assets) {
    const feed = asset.feed
    const row = feed && feeds.get(`${feed.chainId}:${feed.address.toLowerCase()}`)
    if (!feed || !row) continue
    assets.set(asset.symbol, {
      kind: 'erc20',
      symbol: asset.symbol,
      decimals: asset.decimals,
      price: { answer: big(row.answer), decimals: feed.decimals, updatedAt: Number(row.updatedAt) },
    })
  }
  const vaults = new Map(all('Vault').map((v) => [`${v.chainId}:${String(v.id)}`, v]))
  for (const vault of config.vaults) {
    const underlying = config.assets.find((a) => a.symbol === vault.asset)
    if (!underlying || assets.has(vault.symbol)) continue
    const row = vaults.get(`${vault.chainId}:${vault.address.toLowerCase()}`)
    const totalAssets = row ? big(row.totalAssets) : 0n
    const totalSupply = row ? big(row.totalSupply) : 0n
    const one = 10n ** BigInt(underlying.decimals)
    assets.set(vault.symbol, {
      kind: 'erc4626',
      symbol: vault.symbol,
      decimals: underlying.decimals,
      underlying: underlying.symbol,
      assetsPerShare: (one * (totalAssets + 1n)) / (totalSupply + 1n),
    })
  }

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

  const members: Member[] = []
  for (const [memberId, { name, chains }] of byMember) {
    const holdings = new Map<string, Holding>()
    const liabilities: LiabilitySupply[] = []
    const inFlight: InFlightTransfer[] = []
    let liabilitySymbol: string | undefined
    let liabilityDecimals = 18
    const holderSet = new Set<string>()
    const liabilityTokens = new Set<string>()
    for (const m of chains) {
      const tokenKey = `${m.chainId}:${ref(m.liabilityToken)}`
      liabilityTokens.add(tokenKey)
      const token = tokens.get(tokenKey)
      if (liabilitySymbol === undefined && token) {
        liabilitySymbol = String(token.symbol)
        liabilityDecimals = Number(token.decimals)
      }
      liabilities.push({
        chainId: m.chainId,
        supply: token ? big(token.totalSupply) : 0n,
        decimals: token ? Number(token.decimals) : liabilityDecimals,
      })
      const mine = holders.filter((h) => h.chainId === m.chainId && ref(h.member) === String(m.id))
      for (const h of mine) {
        holderSet.add(`${m.chainId}:${String(h.id)}`)
        for (const b of balances) {
          if (b.chainId !== m.chainId || ref(b.holder) !== h.id || big(b.amount) === 0n) continue
          const symbol = symbolOf.get(`${b.chainId}:${ref(b.token)}`)
          if (symbol === undefined) continue
          const asset = assets.get(symbol)
          if (!asset) {
            throw new SubgraphError('No price for a reserve asset.', {
              details: `${symbol} is held by ${String(h.id)} on chain ${m.chainId}, but its feed has no answer.`,
            })
          }
          const key = `${m.chainId}:${symbol}`
          holdings.set(key, {
            chainId: m.chainId,
            asset: symbol,
            amount: (holdings.get(key)?.amount ?? 0n) + big(b.amount),
            decimals: asset.decimals,
          })
        }
      }
    }
    liabilitySymbol ??= name
    if (!assets.has(liabilitySymbol)) {
      assets.set(liabilitySymbol, {
        kind: 'erc20',
        symbol: liabilitySymbol,
        decimals: liabilityDecimals,
        price: { ...ONE_USD, updatedAt: timestamp },
      })
    }
    for (const t of inFlightRows) {
      const toChainId = eidToChain.get(Number(t.dstEid))
      if (toChainId === undefined) continue
      const oftKey = `${t.chainId}:${String(t.oft)}`
      const base = { guid: String(t.id), fromChainId: t.chainId, toChainId, amount: big(t.amountReceivedLD) }
      if (liabilityTokens.has(oftKey)) {
        inFlight.push({ ...base, asset: liabilitySymbol, decimals: liabilityDecimals })
      } else if (holderSet.has(`${t.chainId}:${String(t.from)}`)) {
        const symbol = symbolOf.get(oftKey)
        const asset = symbol === undefined ? undefined : assets.get(symbol)
        if (symbol !== undefined && asset) inFlight.push({ ...base, asset: symbol, decimals: asset.decimals })
      }
    }
    members.push({
      id: memberId,
      name,
      poolId: id,
      liabilityAsset: liabilitySymbol,
      holdings: [...holdings.values()].sort((a, b) => a.chainId - b.chainId || (a.asset < b.asset ? -1 : 1)),
      liabilities,
      inFlight,
    })
  }

  // The pool's risk parameters in force: per (chain, asset) the latest effective by effectiveAt
  // (then block, log); per symbol the latest effective across chains.
  const inForce = new Map<string, Row>()
  const updates = all('RiskParameterUpdate')
    .filter((u) => String(u.pool).toLowerCase() === id && Number(u.effectiveAt) <= timestamp)
    .sort(
      (a, b) =>
        Number(big(a.effectiveAt) - big(b.effectiveAt)) ||
        Number(big(a.blockNumber) - big(b.blockNumber)) ||
        Number(big(a.logIndex) - big(b.logIndex)),
    )
  for (const u of updates) inForce.set(`${u.chainId}:${String(u.asset)}`, u)
  const risk = new Map<string, { params: AssetRiskParameters; effectiveAt: number }>()
  for (const u of [...inForce.values()].sort(
    (a, b) => a.chainId - b.chainId || (String(a.asset) < String(b.asset) ? -1 : 1),
  )) {
    const key = `${u.chainId}:${String(u.asset)}`
    const symbol = symbolOf.get(key) ?? (tokens.get(key) ? String(tokens.get(key)!.symbol) : undefined)
    if (symbol === undefined) continue
    const known = risk.get(symbol)
    if (known !== undefined && known.effectiveAt >= Number(u.effectiveAt)) continue
    risk.set(symbol, {
      effectiveAt: Number(u.effectiveAt),
      params: {
        asset: symbol,
        haircutFloor: bpsToWad(Number(u.haircutFloorBps)),
        liquidationThreshold: bpsToWad(Number(u.liquidationThresholdBps)),
        liquidationHorizon: Math.max(1, Number(u.liquidationHorizon)),
      },
    })
  }
  const minRatioBps = Number(pool.minRatioBps)
  return {
    timestamp,
    blocks: [...snapshots].map(([chainId, s]) => ({
      chainId,
      blockNumber: BigInt(s.block.number),
      timestamp,
    })),
    chains: config.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets: [...assets.values()],
    riskParameters: [...assets.keys()].map(
      (symbol) => risk.get(symbol)?.params ?? { asset: symbol, ...UNASSESSED },
    ),
    pools: [
      {
        id,
        name: String(pool.name),
        minRatio: bpsToWad(minRatioBps),
        targetRatio: bpsToWad(Math.max(Number(pool.targetRatioBps), minRatioBps)),
        liquidityTargets: [],
      },
    ],
    members,
  }
}
