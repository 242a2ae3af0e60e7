import { parseDecimal } from '../money/parseDecimal.js'
import { bpsToWad, WAD } from '../money/wad.js'
import type {
  AssetFact,
  ConfiguredRisk,
  LiabilityFact,
  Missing,
  PoolFacts,
  PriceFact,
  RiskUpdateFact,
} from './PoolFacts.js'
import type {
  Asset,
  AssetRiskParameters,
  DegradedReason,
  Holding,
  InFlightTransfer,
  Member,
  PoolState,
  Price,
} from './PoolState.js'
import { feedDependencies } from './priceAge.js'

/** A liability without a feed or peg is assumed to be a USD stablecoin (and the state says so). */
const ASSUMED_USD = { answer: 100_000_000n, decimals: 8 }

/**
 * Risk parameters of an asset with none in force (no registry update, none in the config): a 100%
 * haircut floor, so an asset nobody assessed counts for nothing (conservative), horizon one day.
 */
const UNASSESSED = { haircutFloor: WAD, liquidationThreshold: 0n, liquidationHorizon: 86_400 }

/**
 * The one valuation of Ballast: turns the facts of a pool (balances, supplies, reads, prices,
 * parameters, by symbol) into the sdk's `PoolState`. The indexer, the subgraph reader and the API
 * all go through here, so a rule exists once:
 *
 * - an asset without a price (or a vault whose rate could not be read) is left out of holdings and
 *   in-flight transfers, and the state lists it in `degraded` (`unpriced` / `unreadable`), so the
 *   pool is served as DEGRADED with the reason, never with a plausible number;
 * - a liability is priced by its feed or its configured peg; without either it is valued at 1 USD
 *   and the state says so (`assumed-peg`);
 * - risk parameters: per chain and asset, the update with the latest `effectiveAt` at or before
 *   the state's time (then the latest block and log); across chains the latest `effectiveAt`; else
 *   the config's; else a 100% haircut (`unassessed` when the asset is held);
 * - a price older than its heartbeat (`maxAge`) is listed as `stale-price` (the haircut model adds
 *   its stale add-on): a held asset's, a vault share's or LP token's underlying feeds', and a
 *   liability's own feed (aged by that feed's heartbeat, not the evaluation's `maxPriceAge`).
 *
 * @param facts - The pool's facts at one point in time.
 * @returns The state, with `degraded` listing what could not be valued exactly.
 * @example
 * ```ts
 * const state = buildPoolState(facts)
 * evaluatePool(state).degraded // [] when everything was valued exactly
 * ```
 */
export function buildPoolState(facts: PoolFacts): PoolState {
  const poolId = facts.pool.id
  const degraded: DegradedReason[] = []
  const reason = (r: Omit<DegradedReason, 'poolId'>) => {
    if (!degraded.some((d) => d.code === r.code && d.asset === r.asset && d.chainId === r.chainId))
      degraded.push({ poolId, ...r })
  }

  const assets = new Map<string, Asset>()
  /** Why an asset cannot be valued, by symbol. */
  const unvalued = new Map<string, { code: 'unpriced' | 'unreadable'; message: string }>()
  const bySymbol = new Map(facts.assets.map((a) => [a.symbol, a]))
  const resolve = (fact: AssetFact, depth = 0): void => {
    if (assets.has(fact.symbol) || unvalued.has(fact.symbol)) return
    if (fact.valuation === 'priced') {
      if (isMissing(fact.price)) {
        unvalued.set(fact.symbol, { code: 'unpriced', message: fact.price.missing })
        return
      }
      assets.set(fact.symbol, pricedAsset(fact.symbol, fact.decimals, fact.price))
      return
    }
    const parts = fact.valuation === 'vault' ? [fact.underlying] : [fact.token0, fact.token1]
    for (const part of parts) {
      const underlying = bySymbol.get(part)
      if (underlying === undefined || underlying.valuation !== 'priced' || depth > 0) {
        unvalued.set(fact.symbol, {
          code: 'unpriced',
          message: `${fact.symbol} is valued through ${part}, which is not a priced asset of the config.`,
        })
        return
      }
      resolve(underlying, depth + 1)
      const missing = unvalued.get(part)
      if (missing !== undefined) {
        unvalued.set(fact.symbol, {
          code: missing.code,
          message: `${fact.symbol} is valued through ${part}: ${missing.message}`,
        })
        return
      }
    }
    if (fact.valuation === 'vault') {
      if (isMissing(fact.assetsPerShare)) {
        unvalued.set(fact.symbol, { code: 'unreadable', message: fact.assetsPerShare.missing })
        return
      }
      const rate = fact.assetsPerShare
      if (typeof rate === 'object') {
        reason({
          code: 'estimated',
          asset: fact.symbol,
          message: `The ${fact.symbol} share rate is estimated from indexed events, not read: ${rate.assumption}`,
        })
      }
      assets.set(fact.symbol, {
        kind: 'erc4626',
        symbol: fact.symbol,
        decimals: fact.decimals,
        underlying: fact.underlying,
        assetsPerShare: typeof rate === 'object' ? rate.estimated : rate,
      })
      return
    }
    if (fact.totalSupply === 0n) {
      unvalued.set(fact.symbol, {
        code: 'unreadable',
        message: `${fact.symbol} has no LP supply at this block: an empty pair has no value per LP token.`,
      })
      return
    }
    assets.set(fact.symbol, {
      kind: 'constantProductLp',
      symbol: fact.symbol,
      decimals: fact.decimals,
      token0: fact.token0,
      token1: fact.token1,
      reserve0: fact.reserve0,
      reserve1: fact.reserve1,
      totalSupply: fact.totalSupply,
    })
  }
  for (const fact of facts.assets) resolve(fact)

  const members: Member[] = []
  for (const m of facts.members) {
    const liabilitySymbol = m.liability.symbol
    if (!assets.has(liabilitySymbol))
      assets.set(liabilitySymbol, liabilityAsset(m.liability, facts.timestamp))
    if (m.liability.price === undefined) {
      reason({
        code: 'assumed-peg',
        asset: liabilitySymbol,
        message: `Liability ${liabilitySymbol} of ${m.name} has neither a feed nor a peg: valued at an assumed 1 USD. Add it to the config's liabilities with a feed or a peg.`,
      })
    }
    const holdings = new Map<string, Holding>()
    for (const b of m.balances) {
      // A zero balance leaves nothing out, priced or not.
      if (!('missing' in b) && b.amount === 0n) continue
      const missingValue = unvalued.get(b.asset)
      if ('missing' in b || missingValue !== undefined) {
        const amountNote = 'missing' in b ? b.missing : missingValue!.message
        reason({
          code: 'missing' in b ? 'unreadable' : missingValue!.code,
          asset: b.asset,
          chainId: b.chainId,
          message: `${b.asset} held by ${m.name} on chain ${b.chainId} is left out: ${amountNote}`,
        })
        continue
      }
      if (b.amount === 0n) continue
      const key = `${b.chainId}:${b.asset}`
      const known = holdings.get(key)
      const observed =
        known?.observedAtBlock === undefined
          ? b.observedAtBlock
          : b.observedAtBlock === undefined || known.observedAtBlock < b.observedAtBlock
            ? known.observedAtBlock
            : b.observedAtBlock
      holdings.set(key, {
        chainId: b.chainId,
        asset: b.asset,
        amount: (known?.amount ?? 0n) + b.amount,
        decimals: b.decimals,
        ...(observed === undefined ? {} : { observedAtBlock: observed }),
      })
    }
    const inFlight: InFlightTransfer[] = []
    for (const t of m.inFlight) {
      const missingValue = t.asset === liabilitySymbol ? undefined : unvalued.get(t.asset)
      if (missingValue !== undefined) {
        reason({
          code: missingValue.code,
          asset: t.asset,
          chainId: t.toChainId,
          message: `${t.asset} in flight for ${m.name} to chain ${t.toChainId} is left out: ${missingValue.message}`,
        })
        continue
      }
      inFlight.push(t)
    }
    members.push({
      id: m.id,
      name: m.name,
      poolId,
      liabilityAsset: liabilitySymbol,
      holdings: [...holdings.values()].sort((a, b) => a.chainId - b.chainId || (a.asset < b.asset ? -1 : 1)),
      liabilities: m.liability.supplies,
      inFlight,
    })
  }

  const held = new Set(members.flatMap((m) => [...m.holdings, ...m.inFlight].map((h) => h.asset)))
  const registry = riskInForce(facts.riskUpdates, facts.timestamp)
  const configured = new Map((facts.configuredRisk ?? []).map((r) => [r.asset, r]))
  const riskParameters: AssetRiskParameters[] = [...assets.keys()].map((symbol) => {
    const update = registry.get(symbol) ?? configured.get(symbol)
    if (update !== undefined) return toParameters(symbol, update)
    if (held.has(symbol)) {
      reason({
        code: 'unassessed',
        asset: symbol,
        message: `${symbol} has no risk parameters in force for this pool: counted at a 100% haircut. Set them on the registry, or in the config's pools[].risk.`,
      })
    }
    return { asset: symbol, ...UNASSESSED }
  })

  // Through feedDependencies, so a vault share or LP token is stale when a feed under it is, as its
  // haircut is; and a liability's own feed is held to its heartbeat like a reserve asset's.
  const liabilityOf = new Map(members.map((m) => [m.liabilityAsset, m.name]))
  for (const symbol of assets.keys()) {
    const liabilityOfMember = liabilityOf.get(symbol)
    if (!held.has(symbol) && liabilityOfMember === undefined) continue
    for (const feed of feedDependencies(assets, symbol)) {
      const { maxAge } = feed.price
      const age = facts.timestamp - feed.price.updatedAt
      if (maxAge === undefined || age <= maxAge) continue
      const what =
        feed.symbol !== symbol
          ? `The price of ${symbol}'s underlying ${feed.symbol}`
          : liabilityOfMember !== undefined && !held.has(symbol)
            ? `The price of liability ${symbol} of ${liabilityOfMember}`
            : `The price of ${symbol}`
      reason({
        code: 'stale-price',
        asset: symbol,
        message: `${what} is ${age} s old, past its feed's heartbeat of ${maxAge} s.`,
      })
    }
  }

  for (const s of facts.sequencers ?? []) {
    const since = facts.timestamp - s.since
    if (!s.up || since < s.gracePeriod) {
      reason({
        code: 'sequencer-down',
        chainId: s.chainId,
        message: s.up
          ? `The sequencer of chain ${s.chainId} came back ${since} s ago, within its ${s.gracePeriod} s grace period: its prices may be stale.`
          : `The sequencer of chain ${s.chainId} is down (its uptime feed says so since ${s.since}): its prices may be stale.`,
      })
    }
  }

  return {
    timestamp: facts.timestamp,
    blocks: facts.blocks,
    chains: facts.chains,
    assets: [...assets.values()],
    riskParameters,
    pools: [
      {
        id: poolId,
        name: facts.pool.name,
        minRatio: bpsToWad(facts.pool.minRatioBps),
        targetRatio: bpsToWad(Math.max(facts.pool.targetRatioBps, facts.pool.minRatioBps)),
        liquidityTargets: Object.entries(facts.pool.liquidityTargets ?? {}).map(([chainId, t]) => ({
          chainId: Number(chainId),
          minLiquidityUsd: parseDecimal(t.minLiquidityUsd, 18),
          targetLiquidityUsd: parseDecimal(t.targetLiquidityUsd, 18),
        })),
      },
    ],
    members,
    ...(degraded.length === 0 ? {} : { degraded }),
  }
}

function isMissing<T>(value: T | Missing): value is Missing {
  return typeof value === 'object' && value !== null && 'missing' in value
}

function pricedAsset(symbol: string, decimals: number, price: PriceFact): Asset {
  const p: Price = {
    answer: price.answer,
    decimals: price.decimals,
    updatedAt: price.updatedAt,
    ...(price.maxAge === undefined ? {} : { maxAge: price.maxAge }),
  }
  return {
    kind: 'erc20',
    symbol,
    decimals,
    price: p,
    ...(price.history === undefined ? {} : { priceHistory: price.history }),
  }
}

function liabilityAsset(liability: LiabilityFact, timestamp: number): Asset {
  const { price } = liability
  if (price === undefined)
    return pricedAsset(liability.symbol, liability.decimals, { ...ASSUMED_USD, updatedAt: timestamp })
  if ('peg' in price)
    return pricedAsset(liability.symbol, liability.decimals, { ...price.peg, updatedAt: timestamp })
  return pricedAsset(liability.symbol, liability.decimals, price)
}

/**
 * Per asset symbol, the update in force at `timestamp`: per (chain, asset) the latest
 * `effectiveAt <= timestamp` (ties: the later block, then log), then across chains the latest
 * `effectiveAt` (ties: the lower chain id, for a deterministic answer).
 */
function riskInForce(updates: readonly RiskUpdateFact[], timestamp: number): Map<string, RiskUpdateFact> {
  const perChain = new Map<string, RiskUpdateFact>()
  const later = (a: RiskUpdateFact, b: RiskUpdateFact) =>
    a.effectiveAt - b.effectiveAt || a.blockNumber - b.blockNumber || a.logIndex - b.logIndex
  for (const u of updates) {
    if (u.effectiveAt > timestamp) continue
    const key = `${u.chainId}:${u.asset}`
    const known = perChain.get(key)
    if (known === undefined || later(u, known) > 0) perChain.set(key, u)
  }
  const out = new Map<string, RiskUpdateFact>()
  for (const u of [...perChain.values()].sort((a, b) => a.chainId - b.chainId)) {
    const known = out.get(u.asset)
    if (known === undefined || u.effectiveAt > known.effectiveAt) out.set(u.asset, u)
  }
  return out
}

function toParameters(symbol: string, r: RiskUpdateFact | ConfiguredRisk): AssetRiskParameters {
  return {
    asset: symbol,
    haircutFloor: bpsToWad(r.haircutFloorBps),
    liquidationThreshold: bpsToWad(r.liquidationThresholdBps),
    liquidationHorizon: Math.max(1, r.liquidationHorizon),
  }
}
