import { POSITION_KINDS } from '@ballast/sdk'
import type { Address } from 'viem'
import { ConfigError } from '../errors/ConfigError.js'
import { checkAddress, checkBytes32, checkInteger, checkUsd } from './configChecks.js'
import type {
  BridgeConfig,
  FeedConfig,
  IndexerConfig,
  LiquidityTargetConfig,
  PoolConfig,
  ResolvedAssetConfig,
  ResolvedDatabaseConfig,
  ResolvedFeedConfig,
  ResolvedIndexerConfig,
  ResolvedLiabilityConfig,
  RiskConfig,
  StaticMemberConfig,
} from './IndexerConfig.js'
import { DEFAULT_FEED_MAX_AGE, DEFAULT_PRICE_HISTORY } from './IndexerConfig.js'
import { resolveChain } from './resolveChain.js'

/** The token address of a `native` asset (a chain's coin has no contract). */
export const NATIVE_TOKEN: Address = '0x0000000000000000000000000000000000000000'

/** Default SQLite file, relative to the working directory. */
export const DEFAULT_DATABASE_FILE = '.ballast/ballast.sqlite'

/**
 * Validates an indexer config and fills in defaults; what `ballast.config.ts` exports.
 * Every problem throws a {@link ConfigError} naming the field (`chains[0].rpcUrls[1]`).
 * Checks here are static; `checkRpcUrls` verifies at start-up that each URL answers with the chain id.
 *
 * @param config The config as written by hand (or by `configFromDevnetManifest`).
 * @returns The resolved config: defaults filled, addresses lower-cased.
 * @example
 * ```ts
 * export default defineConfig({
 *   chains: [{ chainId: 31337, rpcUrls: ['http://127.0.0.1:8545'], finalityDepth: 12, startBlock: 0 }],
 *   pools: [{ id: '0x…', registries: { 31337: '0x…' } }],
 *   assets: [{ symbol: 'USDC', decimals: 6, tokens: { 31337: '0x…' } }],
 * })
 * ```
 */
export function defineConfig(config: IndexerConfig): ResolvedIndexerConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError('config', 'must be an object', { value: config })
  }
  const database = resolveDatabase(config.database)
  if (!Array.isArray(config.chains) || config.chains.length === 0) {
    throw new ConfigError('chains', 'must list at least one chain', { value: config.chains })
  }
  const chains = config.chains.map((chain, i) => resolveChain(chain, `chains[${i}]`))
  const chainIds = new Set<number>()
  for (const [i, chain] of chains.entries()) {
    if (chainIds.has(chain.chainId)) {
      throw new ConfigError(`chains[${i}].chainId`, 'is listed twice', { value: chain.chainId })
    }
    chainIds.add(chain.chainId)
  }
  const subgraphChains = new Set(chains.filter((c) => c.subgraph !== undefined).map((c) => c.chainId))
  const known = (field: string, chainId: string | number) => {
    const id = Number(chainId)
    if (!chainIds.has(id)) {
      throw new ConfigError(field, 'names a chain that is not in `chains`', {
        value: chainId,
        hint: `Add chain ${chainId} to \`chains\` or remove this entry. Known: ${[...chainIds].join(', ')}.`,
      })
    }
    return id
  }
  const addressMap = (value: unknown, field: string): Record<number, Address> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(field, 'must map chain ids to addresses', { value })
    }
    const out: Record<number, Address> = {}
    for (const [key, address] of Object.entries(value)) {
      out[known(`${field}.${key}`, key)] = checkAddress(address, `${field}.${key}`)
    }
    return out
  }

  if (!Array.isArray(config.assets)) {
    throw new ConfigError('assets', 'must be an array', { value: config.assets })
  }
  const resolveFeed = (feed: FeedConfig, f: string, composed: boolean): ResolvedFeedConfig => {
    if (typeof feed !== 'object' || feed === null)
      throw new ConfigError(f, 'must be an object', { value: feed })
    if (composed && feed.times !== undefined) {
      throw new ConfigError(`${f}.times`, 'composes a composed feed', {
        hint: 'Compose at most two feeds (e.g. stETH/ETH x ETH/USD).',
      })
    }
    return {
      chainId: known(`${f}.chainId`, feed.chainId),
      address: checkAddress(feed.address, `${f}.address`),
      decimals: checkInteger(feed.decimals, `${f}.decimals`, 0, 77),
      // Filled here, the one place: the RPC and subgraph paths both read the resolved value, so a
      // stale answer is flagged the same way whichever built the state.
      maxAge: checkInteger(feed.maxAge ?? DEFAULT_FEED_MAX_AGE, `${f}.maxAge`, 1, 365 * 86_400),
      ...(feed.times === undefined ? {} : { times: resolveFeed(feed.times, `${f}.times`, true) }),
    }
  }
  const symbols = new Set<string>()
  const assets: ResolvedAssetConfig[] = config.assets.map((asset, i): ResolvedAssetConfig => {
    const f = `assets[${i}]`
    if (typeof asset.symbol !== 'string' || asset.symbol === '') {
      throw new ConfigError(`${f}.symbol`, 'must be a non-empty string', { value: asset.symbol })
    }
    if (symbols.has(asset.symbol)) {
      throw new ConfigError(`${f}.symbol`, 'is listed twice', { value: asset.symbol })
    }
    symbols.add(asset.symbol)
    const kind = asset.kind ?? 'erc20'
    if (!POSITION_KINDS.includes(kind)) {
      throw new ConfigError(`${f}.kind`, 'is not a position kind Ballast can value', {
        value: kind,
        hint: `Use one of ${POSITION_KINDS.join(', ')}.`,
      })
    }
    checkInteger(asset.decimals, `${f}.decimals`, 0, 77)
    const tokens = addressMap(asset.tokens, `${f}.tokens`)
    if (kind === 'native') {
      for (const [id, token] of Object.entries(tokens)) {
        if (token !== NATIVE_TOKEN) {
          throw new ConfigError(`${f}.tokens.${id}`, 'must be the zero address for a native asset', {
            value: token,
            hint: 'A native coin has no contract: write 0x0000000000000000000000000000000000000000.',
          })
        }
      }
    }
    const ofts = asset.ofts === undefined ? undefined : addressMap(asset.ofts, `${f}.ofts`)
    const feed = asset.feed === undefined ? undefined : resolveFeed(asset.feed, `${f}.feed`, false)
    const needsUnderlying = kind === 'erc4626' || kind === 'aave-v3-atoken'
    if (needsUnderlying && typeof asset.underlying !== 'string') {
      throw new ConfigError(`${f}.underlying`, `is required for a ${kind} asset`, {
        hint: 'Name the asset it converts to, e.g. underlying: "USDC" (an assets[].symbol).',
      })
    }
    if (!needsUnderlying && asset.underlying !== undefined) {
      throw new ConfigError(`${f}.underlying`, `means nothing for a ${kind} asset`, {
        value: asset.underlying,
      })
    }
    if (kind === 'uniswap-v2-lp') {
      if (!Array.isArray(asset.pair) || asset.pair.length !== 2 || asset.pair[0] === asset.pair[1]) {
        throw new ConfigError(`${f}.pair`, 'must name the two symbols of the pair (token0, token1)', {
          value: asset.pair,
        })
      }
    } else if (asset.pair !== undefined) {
      throw new ConfigError(`${f}.pair`, `means nothing for a ${kind} asset`, { value: asset.pair })
    }
    const priced = kind !== 'erc4626' && kind !== 'uniswap-v2-lp'
    if (!priced && Object.keys(tokens).length !== 1) {
      throw new ConfigError(`${f}.tokens`, `must name exactly one chain for a ${kind} asset`, {
        value: asset.tokens,
        hint: "A vault or pair has its own rate or reserves: list each chain's contract as its own asset.",
      })
    }
    if (!priced && feed !== undefined) {
      throw new ConfigError(`${f}.feed`, `is not used for a ${kind} asset`, {
        hint: 'It is valued through its underlying assets: give them feeds instead.',
      })
    }
    return {
      symbol: asset.symbol,
      kind,
      decimals: asset.decimals,
      tokens,
      ofts,
      feed,
      ...(asset.underlying === undefined ? {} : { underlying: asset.underlying }),
      ...(asset.pair === undefined ? {} : { pair: [asset.pair[0], asset.pair[1]] as const }),
    }
  })
  // `vaults` are a shorthand for `erc4626` assets (decimals: those of the underlying, which the
  // chain check confirms against the vault's own `decimals()`).
  for (const [i, vault] of (config.vaults ?? []).entries()) {
    const f = `vaults[${i}]`
    const underlying = assets.find((a) => a.symbol === vault.asset)
    if (underlying === undefined) {
      throw new ConfigError(`${f}.asset`, 'is not the symbol of an asset in `assets`', { value: vault.asset })
    }
    const symbol = String(vault.symbol)
    const chainId = known(`${f}.chainId`, vault.chainId)
    const address = checkAddress(vault.address, `${f}.address`)
    const existing = assets.find((a) => a.symbol === symbol)
    if (existing !== undefined && (existing.kind !== 'erc4626' || existing.underlying !== vault.asset)) {
      throw new ConfigError(`${f}.symbol`, 'is already the symbol of another asset', { value: symbol })
    }
    if (existing !== undefined) {
      throw new ConfigError(`${f}.symbol`, 'is already the symbol of another vault', {
        value: symbol,
        hint: "Each vault is its own asset (its rate is its own): give each chain's vault its own symbol.",
      })
    } else {
      assets.push({
        symbol,
        kind: 'erc4626',
        decimals: underlying.decimals,
        tokens: { [chainId]: address },
        underlying: vault.asset,
      })
    }
  }
  for (const [i, asset] of assets.entries()) {
    for (const ref of [asset.underlying, ...(asset.pair ?? [])]) {
      if (ref === undefined) continue
      const target = assets.find((a) => a.symbol === ref)
      if (target === undefined || target.kind === 'erc4626' || target.kind === 'uniswap-v2-lp') {
        throw new ConfigError(
          `assets[${i}].${asset.underlying === ref ? 'underlying' : 'pair'}`,
          'must name a priced asset of `assets`',
          {
            value: ref,
            hint: 'Vaults and LP tokens are valued through plain priced assets (erc20, weth9, ...).',
          },
        )
      }
    }
  }

  const liabilities = (config.liabilities ?? []).map((liability, i): ResolvedLiabilityConfig => {
    const f = `liabilities[${i}]`
    if (typeof liability.symbol !== 'string' || liability.symbol === '') {
      throw new ConfigError(`${f}.symbol`, "must be the liability token's symbol", {
        value: liability.symbol,
      })
    }
    if ((liability.feed === undefined) === (liability.peg === undefined)) {
      throw new ConfigError(f, 'must give exactly one of feed and peg', {
        hint: 'A liability is priced by its feed, or by an explicit peg in USD (e.g. peg: "1").',
      })
    }
    if (
      liability.peg !== undefined &&
      (typeof liability.peg !== 'string' || !/^\d+(\.\d{1,18})?$/.test(liability.peg))
    ) {
      throw new ConfigError(`${f}.peg`, 'must be a USD amount as a decimal string (e.g. "1")', {
        value: liability.peg,
      })
    }
    return {
      symbol: liability.symbol,
      ...(liability.feed === undefined ? {} : { feed: resolveFeed(liability.feed, `${f}.feed`, false) }),
      ...(liability.peg === undefined ? {} : { peg: liability.peg }),
    }
  })

  const bridges = (config.bridges ?? []).map(
    (bridge, i): BridgeConfig => ({
      symbol: String(bridge.symbol),
      ofts: addressMap(bridge.ofts, `bridges[${i}].ofts`),
    }),
  )

  if (!Array.isArray(config.pools)) {
    throw new ConfigError('pools', 'must be an array', { value: config.pools })
  }
  const pools = config.pools.map((pool, i): PoolConfig => {
    const f = `pools[${i}]`
    checkBytes32(pool.id, `${f}.id`)
    const registries =
      pool.registries === undefined ? undefined : addressMap(pool.registries, `${f}.registries`)
    const attestations =
      pool.attestations === undefined ? undefined : addressMap(pool.attestations, `${f}.attestations`)
    const members = (pool.members ?? ([] as const)).map(
      (member: StaticMemberConfig, j: number): StaticMemberConfig => {
        const g = `${f}.members[${j}]`
        checkBytes32(member.id, `${g}.id`)
        const holders: Record<number, Address[]> = {}
        for (const [key, list] of Object.entries(member.holders ?? {})) {
          if (!Array.isArray(list)) {
            throw new ConfigError(`${g}.holders.${key}`, 'must be an array of addresses', {
              value: list,
            })
          }
          holders[known(`${g}.holders.${key}`, key)] = list.map((a, k) =>
            checkAddress(a, `${g}.holders.${key}[${k}]`),
          )
        }
        // The subgraph follows the registry's members only: a static member's holders and token
        // on a subgraph chain would silently count as empty.
        const onSubgraph = [
          ...Object.keys(holders).map((id) => ['holders', id] as const),
          ...Object.keys(member.liabilityTokens ?? {}).map((id) => ['liabilityTokens', id] as const),
        ].find(([, id]) => subgraphChains.has(Number(id)))
        if (onSubgraph !== undefined) {
          throw new ConfigError(
            `${g}.${onSubgraph[0]}.${onSubgraph[1]}`,
            'is on a chain read from a subgraph',
            {
              hint: 'The subgraph follows the members of its Registry only: let the member join the registry, or read the chain over rpcUrls.',
            },
          )
        }
        return {
          id: member.id.toLowerCase() as `0x${string}`,
          name: String(member.name),
          liabilityTokens: addressMap(member.liabilityTokens ?? {}, `${g}.liabilityTokens`),
          holders,
        }
      },
    )
    if (registries === undefined && members.length === 0) {
      throw new ConfigError(f, 'has neither registries nor static members', {
        hint: 'Give `registries` (registry address per chain id) or list `members`.',
      })
    }
    for (const key of ['minRatioBps', 'targetRatioBps'] as const) {
      if (pool[key] !== undefined) checkInteger(pool[key], `${f}.${key}`, 0, 1_000_000)
    }
    const risk: Record<string, RiskConfig> = {}
    for (const [symbol, r] of Object.entries((pool.risk ?? {}) as Record<string, Partial<RiskConfig>>)) {
      const g = `${f}.risk.${symbol}`
      if (!symbols.has(symbol)) {
        throw new ConfigError(g, 'names no asset of `assets`', { hint: `Known: ${[...symbols].join(', ')}.` })
      }
      risk[symbol] = {
        haircutFloorBps: checkInteger(r?.haircutFloorBps, `${g}.haircutFloorBps`, 0, 10_000),
        liquidationThresholdBps: checkInteger(
          r?.liquidationThresholdBps,
          `${g}.liquidationThresholdBps`,
          0,
          10_000,
        ),
        liquidationHorizon: checkInteger(r?.liquidationHorizon, `${g}.liquidationHorizon`, 1, 365 * 86_400),
      }
    }
    const liquidityTargets: Record<number, LiquidityTargetConfig> = {}
    for (const [key, t] of Object.entries((pool.liquidityTargets ?? {}) as Record<string, unknown>)) {
      const g = `${f}.liquidityTargets.${key}`
      const target = (t ?? {}) as Partial<LiquidityTargetConfig>
      const [min, want] = (['minLiquidityUsd', 'targetLiquidityUsd'] as const).map((k) =>
        checkUsd(target[k], `${g}.${k}`),
      )
      if (want! < min!) {
        throw new ConfigError(`${g}.targetLiquidityUsd`, 'is below minLiquidityUsd', {
          value: target.targetLiquidityUsd,
          hint: 'The target is what the planner aims for above the minimum.',
        })
      }
      liquidityTargets[known(g, key)] = {
        minLiquidityUsd: target.minLiquidityUsd!,
        targetLiquidityUsd: target.targetLiquidityUsd!,
      }
    }
    return {
      id: pool.id.toLowerCase() as `0x${string}`,
      name: pool.name,
      registries,
      ...(attestations === undefined ? {} : { attestations }),
      members,
      minRatioBps: pool.minRatioBps,
      targetRatioBps: pool.targetRatioBps,
      ...(pool.risk === undefined ? {} : { risk }),
      ...(pool.liquidityTargets === undefined ? {} : { liquidityTargets }),
    }
  })
  const poolIds = new Set<string>()
  for (const [i, pool] of pools.entries()) {
    if (poolIds.has(pool.id)) throw new ConfigError(`pools[${i}].id`, 'is listed twice', { value: pool.id })
    poolIds.add(pool.id)
  }

  if (config.rpcCache !== undefined && (typeof config.rpcCache !== 'string' || config.rpcCache === '')) {
    throw new ConfigError('rpcCache', 'must be a file path', { value: config.rpcCache })
  }
  const snapshotInterval = config.snapshotInterval ?? 3_600
  checkInteger(snapshotInterval, 'snapshotInterval', 0, 365 * 86_400)
  const priceHistory = resolvePriceHistory(config.priceHistory)
  return {
    database,
    chains,
    pools,
    assets,
    liabilities,
    bridges,
    rpcCache: config.rpcCache,
    snapshotInterval,
    priceHistory,
  }
}

function resolvePriceHistory(value: IndexerConfig['priceHistory']): ResolvedIndexerConfig['priceHistory'] {
  if (value === false) return undefined
  if (value === undefined) return { ...DEFAULT_PRICE_HISTORY }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('priceHistory', 'must be { interval, points } or false', {
      value,
      hint: 'E.g. { interval: 86400, points: 90 } (daily over 90 days), or false for governance floors only.',
    })
  }
  const interval = value.interval ?? DEFAULT_PRICE_HISTORY.interval
  checkInteger(interval, 'priceHistory.interval', 1, 365 * 86_400)
  const points = value.points ?? DEFAULT_PRICE_HISTORY.points
  checkInteger(points, 'priceHistory.points', 3, 10_000)
  return { interval, points }
}

function resolveDatabase(database: IndexerConfig['database']): ResolvedDatabaseConfig {
  if (database === undefined) return { kind: 'sqlite', file: DEFAULT_DATABASE_FILE }
  if (typeof database === 'string') {
    if (database === '') throw new ConfigError('database', 'must not be empty', { value: database })
    if (/^postgres(ql)?:\/\//.test(database))
      return { kind: 'postgres', url: database, schema: undefined, poolSize: 4 }
    return { kind: 'sqlite', file: database }
  }
  if (typeof database === 'object' && database !== null) {
    if (database.kind === 'sqlite' && typeof database.file === 'string' && database.file !== '') {
      return { kind: 'sqlite', file: database.file }
    }
    if (database.kind === 'postgres') {
      if (typeof database.url !== 'string' || !/^postgres(ql)?:\/\//.test(database.url)) {
        throw new ConfigError('database.url', 'must be a postgres:// URL', { value: database.url })
      }
      const { schema, poolSize = 4 } = database
      if (schema !== undefined && (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))) {
        throw new ConfigError('database.schema', 'must be a lower-case SQL identifier (letters, digits, _)', {
          value: schema,
        })
      }
      checkInteger(poolSize, 'database.poolSize', 1, 100)
      return { kind: 'postgres', url: database.url, schema, poolSize }
    }
  }
  throw new ConfigError('database', 'must be a SQLite file path, a postgres:// URL or { kind, ... }', {
    value: database,
  })
}
