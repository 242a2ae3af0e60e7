import { MAX_DECIMALS } from '../money/assertDecimals.js'
import { WAD } from '../money/wad.js'
import { InvalidPoolStateError } from './InvalidPoolStateError.js'
import type { Asset, PoolState } from './PoolState.js'

type Obj = Record<string, unknown>

/**
 * Checks that a value is a well-formed, self-consistent `PoolState` and returns it typed. Checks
 * types (bigints for amounts, integers for decimals and times), ranges (no negative amounts, prices
 * > 0, haircuts and thresholds in `[0, 1e18]`, `targetRatio >= minRatio`), uniqueness of ids and
 * symbols, and that every reference (chain, asset, pool, underlying) exists. The first problem
 * throws an `InvalidPoolStateError` whose `path` names the field.
 *
 * @param value - Anything (e.g. a state a frontend built by hand, or one the indexer assembled).
 * @returns The same object, typed as `PoolState`.
 * @example
 * ```ts
 * const state = validatePoolState(input) // throws InvalidPoolStateError('members[0].holdings[1].amount ...')
 * ```
 */
export function validatePoolState(value: unknown): PoolState {
  const s = object(value, 'state')
  nonNegativeInteger(s.timestamp, 'timestamp', 'unix seconds')

  const chainIds = new Set<number>()
  array(s.chains, 'chains').forEach((c, i) => {
    const p = `chains[${i}]`
    const chain = object(c, p)
    const id = chainId(chain.chainId, `${p}.chainId`)
    if (chainIds.has(id)) fail(`${p}.chainId`, 'is a duplicate', id, 'List each chain once.')
    chainIds.add(id)
    string(chain.name, `${p}.name`)
  })
  const knownChain = (v: unknown, p: string) => {
    const id = chainId(v, p)
    if (!chainIds.has(id)) fail(p, 'is not a chain of the state', v, 'Add the chain to `chains` first.')
  }

  const blockChains = new Set<unknown>()
  array(s.blocks, 'blocks').forEach((b, i) => {
    const p = `blocks[${i}]`
    const block = object(b, p)
    knownChain(block.chainId, `${p}.chainId`)
    if (blockChains.has(block.chainId))
      fail(`${p}.chainId`, 'is a duplicate', block.chainId, 'One block per chain.')
    blockChains.add(block.chainId)
    nonNegativeBigint(block.blockNumber, `${p}.blockNumber`)
    nonNegativeInteger(block.timestamp, `${p}.timestamp`, 'unix seconds')
  })

  const assets = new Map<string, Asset>()
  const rawAssets = array(s.assets, 'assets')
  rawAssets.forEach((a, i) => {
    const p = `assets[${i}]`
    const asset = object(a, p)
    const symbol = string(asset.symbol, `${p}.symbol`)
    if (assets.has(symbol)) fail(`${p}.symbol`, 'is a duplicate', symbol, 'Asset symbols are unique keys.')
    decimals(asset.decimals, `${p}.decimals`)
    assets.set(symbol, asset as Asset)
  })
  const erc20 = (v: unknown, p: string) => {
    const symbol = string(v, p)
    if (assets.get(symbol)?.kind !== 'erc20') {
      fail(p, 'is not an erc20 asset of the state', v, 'Reference a priced `erc20` asset by its symbol.')
    }
  }
  rawAssets.forEach((a, i) => {
    const p = `assets[${i}]`
    const asset = a as Obj
    switch (asset.kind) {
      case 'erc20': {
        const price = object(asset.price, `${p}.price`)
        positiveBigint(price.answer, `${p}.price.answer`)
        decimals(price.decimals, `${p}.price.decimals`)
        nonNegativeInteger(price.updatedAt, `${p}.price.updatedAt`, 'unix seconds')
        if (price.maxAge !== undefined) nonNegativeInteger(price.maxAge, `${p}.price.maxAge`, 'seconds')
        if (asset.priceHistory !== undefined) {
          let last = -1
          array(asset.priceHistory, `${p}.priceHistory`).forEach((h, j) => {
            const q = `${p}.priceHistory[${j}]`
            const point = object(h, q)
            positiveBigint(point.answer, `${q}.answer`)
            const t = nonNegativeInteger(point.updatedAt, `${q}.updatedAt`, 'unix seconds')
            if (t < last) fail(`${q}.updatedAt`, 'goes back in time', t, 'Order price history oldest first.')
            last = t
          })
        }
        break
      }
      case 'erc4626':
        erc20(asset.underlying, `${p}.underlying`)
        nonNegativeBigint(asset.assetsPerShare, `${p}.assetsPerShare`)
        break
      case 'constantProductLp':
        erc20(asset.token0, `${p}.token0`)
        erc20(asset.token1, `${p}.token1`)
        if (asset.token0 === asset.token1) {
          fail(
            `${p}.token1`,
            'equals token0',
            asset.token1,
            'A constant-product pool has two different tokens.',
          )
        }
        nonNegativeBigint(asset.reserve0, `${p}.reserve0`)
        nonNegativeBigint(asset.reserve1, `${p}.reserve1`)
        positiveBigint(asset.totalSupply, `${p}.totalSupply`)
        break
      default:
        fail(
          `${p}.kind`,
          'is not a known asset kind',
          asset.kind,
          'Use "erc20", "erc4626" or "constantProductLp".',
        )
    }
  })
  const knownAsset = (v: unknown, p: string) => {
    const symbol = string(v, p)
    if (!assets.has(symbol)) fail(p, 'is not an asset of the state', v, 'Add the asset to `assets` first.')
    return symbol
  }

  const risk = new Set<string>()
  array(s.riskParameters, 'riskParameters').forEach((r, i) => {
    const p = `riskParameters[${i}]`
    const params = object(r, p)
    const symbol = knownAsset(params.asset, `${p}.asset`)
    if (risk.has(symbol)) fail(`${p}.asset`, 'is a duplicate', symbol, 'One risk parameter set per asset.')
    risk.add(symbol)
    wadFraction(params.haircutFloor, `${p}.haircutFloor`)
    wadFraction(params.liquidationThreshold, `${p}.liquidationThreshold`)
    if (
      typeof params.liquidationHorizon !== 'number' ||
      !Number.isFinite(params.liquidationHorizon) ||
      params.liquidationHorizon <= 0
    ) {
      fail(
        `${p}.liquidationHorizon`,
        'must be a positive number of seconds',
        params.liquidationHorizon,
        'E.g. 86400 for one day.',
      )
    }
    if (params.liquid !== undefined && typeof params.liquid !== 'boolean') {
      fail(`${p}.liquid`, 'must be a boolean', params.liquid, 'Omit it (liquid) or pass true/false.')
    }
  })
  const riskedAsset = (v: unknown, p: string) => {
    const symbol = knownAsset(v, p)
    if (!risk.has(symbol)) {
      fail(p, 'has no risk parameters', v, 'Add an entry to `riskParameters` for every reserve asset.')
    }
  }

  const poolIds = new Set<string>()
  array(s.pools, 'pools').forEach((x, i) => {
    const p = `pools[${i}]`
    const pool = object(x, p)
    const id = string(pool.id, `${p}.id`)
    if (poolIds.has(id)) fail(`${p}.id`, 'is a duplicate', id, 'Pool ids are unique.')
    poolIds.add(id)
    string(pool.name, `${p}.name`)
    const min = nonNegativeBigint(pool.minRatio, `${p}.minRatio`)
    const target = nonNegativeBigint(pool.targetRatio, `${p}.targetRatio`)
    if (target < min)
      fail(`${p}.targetRatio`, 'is below minRatio', target, 'targetRatio >= minRatio (both WAD).')
    array(pool.liquidityTargets, `${p}.liquidityTargets`).forEach((t, j) => {
      const q = `${p}.liquidityTargets[${j}]`
      const lt = object(t, q)
      knownChain(lt.chainId, `${q}.chainId`)
      const lo = nonNegativeBigint(lt.minLiquidityUsd, `${q}.minLiquidityUsd`)
      const hi = nonNegativeBigint(lt.targetLiquidityUsd, `${q}.targetLiquidityUsd`)
      if (hi < lo)
        fail(`${q}.targetLiquidityUsd`, 'is below minLiquidityUsd', hi, 'target >= min (USD, 18 decimals).')
    })
  })

  const memberIds = new Set<string>()
  array(s.members, 'members').forEach((x, i) => {
    const p = `members[${i}]`
    const member = object(x, p)
    const id = string(member.id, `${p}.id`)
    if (memberIds.has(id)) fail(`${p}.id`, 'is a duplicate', id, 'Member ids are unique.')
    memberIds.add(id)
    string(member.name, `${p}.name`)
    const poolId = string(member.poolId, `${p}.poolId`)
    if (!poolIds.has(poolId))
      fail(`${p}.poolId`, 'is not a pool of the state', poolId, 'Add the pool to `pools`.')
    erc20(member.liabilityAsset, `${p}.liabilityAsset`)
    array(member.holdings, `${p}.holdings`).forEach((h, j) => {
      const q = `${p}.holdings[${j}]`
      const holding = object(h, q)
      knownChain(holding.chainId, `${q}.chainId`)
      riskedAsset(holding.asset, `${q}.asset`)
      nonNegativeBigint(holding.amount, `${q}.amount`)
      decimals(holding.decimals, `${q}.decimals`)
      if (holding.observedAtBlock !== undefined)
        nonNegativeBigint(holding.observedAtBlock, `${q}.observedAtBlock`)
    })
    array(member.liabilities, `${p}.liabilities`).forEach((l, j) => {
      const q = `${p}.liabilities[${j}]`
      const liability = object(l, q)
      knownChain(liability.chainId, `${q}.chainId`)
      nonNegativeBigint(liability.supply, `${q}.supply`)
      decimals(liability.decimals, `${q}.decimals`)
    })
    array(member.inFlight, `${p}.inFlight`).forEach((t, j) => {
      const q = `${p}.inFlight[${j}]`
      const transfer = object(t, q)
      if (transfer.asset !== member.liabilityAsset) riskedAsset(transfer.asset, `${q}.asset`)
      knownChain(transfer.fromChainId, `${q}.fromChainId`)
      knownChain(transfer.toChainId, `${q}.toChainId`)
      nonNegativeBigint(transfer.amount, `${q}.amount`)
      decimals(transfer.decimals, `${q}.decimals`)
      if (transfer.guid !== undefined) string(transfer.guid, `${q}.guid`)
    })
  })
  if (s.degraded !== undefined) {
    const codes = new Set([
      'unpriced',
      'unreadable',
      'unassessed',
      'assumed-peg',
      'stale-price',
      'estimated',
      'sequencer-down',
    ])
    array(s.degraded, 'degraded').forEach((d, i) => {
      const p = `degraded[${i}]`
      const reason = object(d, p)
      if (!codes.has(reason.code as string))
        fail(`${p}.code`, 'is not a known reason code', reason.code, `Use one of ${[...codes].join(', ')}.`)
      string(reason.message, `${p}.message`)
      if (reason.poolId !== undefined && !poolIds.has(string(reason.poolId, `${p}.poolId`)))
        fail(`${p}.poolId`, 'is not a pool of the state', reason.poolId, 'Add the pool to `pools`.')
      if (reason.chainId !== undefined) knownChain(reason.chainId, `${p}.chainId`)
      if (reason.asset !== undefined) string(reason.asset, `${p}.asset`)
    })
  }
  return value as PoolState
}

function fail(path: string, problem: string, value: unknown, hint: string): never {
  throw new InvalidPoolStateError(path, problem, value, hint)
}

function object(v: unknown, p: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(p, 'must be an object', v, 'See the PoolState type.')
  return v as Obj
}

function array(v: unknown, p: string): readonly unknown[] {
  if (!Array.isArray(v)) fail(p, 'must be an array', v, 'Pass an empty array when there is nothing to list.')
  return v
}

function string(v: unknown, p: string): string {
  if (typeof v !== 'string' || v.length === 0)
    fail(p, 'must be a non-empty string', v, 'Ids, names and symbols are strings.')
  return v
}

function nonNegativeInteger(v: unknown, p: string, unit: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    fail(p, `must be a non-negative integer (${unit})`, v, 'Times are whole unix seconds as numbers.')
  }
  return v
}

function chainId(v: unknown, p: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    fail(p, 'must be a positive integer chain id', v, 'Use the EVM chainId, e.g. 1 or 31337.')
  }
  return v
}

function decimals(v: unknown, p: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DECIMALS) {
    fail(
      p,
      `must be an integer from 0 to ${MAX_DECIMALS}`,
      v,
      'Token and feed decimals: 6, 8 and 18 are typical.',
    )
  }
  return v
}

function nonNegativeBigint(v: unknown, p: string): bigint {
  if (typeof v !== 'bigint')
    fail(p, 'must be a bigint', v, 'Amounts are bigints in the smallest unit (e.g. 1_000_000n for 1 USDC).')
  if (v < 0n) fail(p, 'must not be negative', v, 'Amounts, supplies and ratios are >= 0.')
  return v
}

function positiveBigint(v: unknown, p: string): bigint {
  const x = nonNegativeBigint(v, p)
  if (x === 0n) fail(p, 'must be positive', v, 'Prices and LP total supplies are > 0.')
  return x
}

function wadFraction(v: unknown, p: string): bigint {
  const x = nonNegativeBigint(v, p)
  if (x > WAD) fail(p, 'must be at most 1e18 (100%)', v, 'Fractions are WAD: bpsToWad(1500) is 15%.')
  return x
}
