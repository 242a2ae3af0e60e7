import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi, type Hex } from 'viem'
import type { ResolvedChainConfig, ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { ConfigError } from '../errors/ConfigError.js'
import type { ChainRpc } from '../rpc/createChainRpc.js'
import { type MulticallCall, multicallAt } from '../rpc/multicallAt.js'
import { RpcError } from '../rpc/RpcError.js'
import type { Tracked } from '../sync/loadTracked.js'
import { aggregatorAt } from './followProxies.js'
import { type CheckpointMeta, positionAbi } from './readCheckpoints.js'

/** What the chain says about the configured contracts (read once per sync). */
type Resolved = CheckpointMeta & {
  aave: Map<Address, { pool: Address; underlying: Address }>
  proxies: Set<Address>
}

/**
 * Reads the metadata of a chain's configured positions and feeds from the chain at its head and
 * checks it against the config: every token's and feed's `decimals()` (a mismatch, or no
 * contract, is a `ConfigError` naming both values), an aToken's `UNDERLYING_ASSET_ADDRESS()`
 * against its configured underlying and its `POOL()`, an LP pair's `token0()`/`token1()` against
 * its configured pair, and which feeds are Chainlink proxies (they answer `aggregator()`). Then
 * fills the tracked set: the Aave pools, and each proxy's aggregator at the cursor.
 *
 * @param rpc The chain's RPC client.
 * @param config The config.
 * @param chain The chain.
 * @param tracked Its tracked set (filled in place).
 * @param cursor The last indexed block (proxies' aggregators are read there).
 * @param known What an earlier call resolved (the metadata does not change; only the cursor).
 * @returns The metadata, to pass back on the next call.
 * @throws ConfigError when the chain disagrees with the config.
 * @example
 * ```ts
 * meta = await resolvePositions(rpc, config, chain, tracked, cursor.number, meta)
 * ```
 */
export async function resolvePositions(
  rpc: ChainRpc,
  config: ResolvedIndexerConfig,
  chain: ResolvedChainConfig,
  tracked: Tracked,
  cursor: number,
  known?: CheckpointMeta,
): Promise<CheckpointMeta> {
  const resolved = (known as Resolved | undefined) ?? (await readMetadata(rpc, config, chain))
  for (const [token, reserve] of resolved.aave) tracked.aave.set(token, reserve)
  for (const proxy of resolved.proxies)
    tracked.proxies.set(proxy, cursor < 0 ? undefined : await aggregatorAt(rpc, proxy, cursor))
  return resolved
}

async function readMetadata(
  rpc: ChainRpc,
  config: ResolvedIndexerConfig,
  chain: ResolvedChainConfig,
): Promise<Resolved> {
  const id = chain.chainId
  const head = (await rpc.getBlock('latest')).number
  const checks: { field: string; address: Address; expected: number; what: string }[] = []
  const feeds: { field: string; address: Address; decimals: number }[] = []
  for (const [i, asset] of config.assets.entries()) {
    const token = asset.tokens[id]
    if (token !== undefined && asset.kind !== 'native')
      checks.push({
        field: `assets[${i}].decimals`,
        address: token,
        expected: asset.decimals,
        what: `${asset.symbol} on ${chain.name}`,
      })
    for (const [f, feed] of [
      [`assets[${i}].feed`, asset.feed],
      [`assets[${i}].feed.times`, asset.feed?.times],
    ] as const) {
      if (feed?.chainId === id)
        feeds.push({ field: `${f}.decimals`, address: feed.address, decimals: feed.decimals })
    }
  }
  for (const [i, liability] of config.liabilities.entries()) {
    for (const [f, feed] of [
      [`liabilities[${i}].feed`, liability.feed],
      [`liabilities[${i}].feed.times`, liability.feed?.times],
    ] as const) {
      if (feed?.chainId === id)
        feeds.push({ field: `${f}.decimals`, address: feed.address, decimals: feed.decimals })
    }
  }
  for (const feed of feeds)
    checks.push({
      field: feed.field,
      address: feed.address,
      expected: feed.decimals,
      what: `feed ${feed.address}`,
    })

  const decimalsCall = encodeFunctionData({ abi: erc20Abi, functionName: 'decimals' })
  const results = await multicallAt(
    rpc,
    chain.multicall3,
    checks.map((c): MulticallCall => ({ target: c.address, callData: decimalsCall })),
    head,
  )
  const shareDecimals = new Map<Address, number>()
  for (const [i, check] of checks.entries()) {
    const r = results[i]
    if (r?.success !== true || r.returnData.length !== 66) {
      throw new ConfigError(
        check.field,
        `cannot be checked: ${check.address} answers no decimals() on chain ${chain.name}`,
        {
          hint: `Check the address of ${check.what} (block ${head}); a token or feed that is not deployed yet cannot be indexed.`,
        },
      )
    }
    const onChain = Number(BigInt(r.returnData))
    if (onChain !== check.expected) {
      throw new ConfigError(
        check.field,
        `is ${check.expected}, but ${check.what} has ${onChain} decimals on chain`,
        {
          value: check.expected,
          hint: `Set it to ${onChain} (the value of decimals() at ${check.address}).`,
        },
      )
    }
    shareDecimals.set(check.address, onChain)
  }

  const aave = new Map<Address, { pool: Address; underlying: Address }>()
  for (const [i, asset] of config.assets.entries()) {
    const token = asset.tokens[id]
    if (token === undefined) continue
    if (asset.kind === 'aave-v3-atoken') {
      const [pool, underlying] = await Promise.all([
        readAddress(rpc, token, 'POOL', head),
        readAddress(rpc, token, 'UNDERLYING_ASSET_ADDRESS', head),
      ])
      const configured = config.assets.find((a) => a.symbol === asset.underlying)?.tokens[id]
      if (pool === undefined || underlying === undefined || underlying !== configured) {
        throw new ConfigError(
          `assets[${i}].underlying`,
          `does not match the aToken ${token} on chain ${chain.name}`,
          {
            value: asset.underlying,
            hint:
              underlying === undefined
                ? 'The address answers no UNDERLYING_ASSET_ADDRESS()/POOL(): is it an Aave V3 aToken?'
                : `The aToken's reserve asset is ${underlying}; ${asset.underlying} is ${configured ?? 'not configured'} on this chain.`,
          },
        )
      }
      aave.set(token, { pool, underlying })
    }
    if (asset.kind === 'uniswap-v2-lp' && asset.pair !== undefined) {
      const [token0, token1] = await Promise.all([
        readAddress(rpc, token, 'token0', head),
        readAddress(rpc, token, 'token1', head),
      ])
      const want = asset.pair.map((symbol) => config.assets.find((a) => a.symbol === symbol)?.tokens[id])
      if (token0 !== want[0] || token1 !== want[1]) {
        throw new ConfigError(
          `assets[${i}].pair`,
          `does not match the pair ${token} on chain ${chain.name}`,
          {
            value: asset.pair,
            hint: `The pair's token0 is ${token0 ?? 'unknown'} and token1 ${token1 ?? 'unknown'}: list the symbols in that order.`,
          },
        )
      }
    }
  }

  const proxies = new Set<Address>()
  for (const feed of feeds)
    if ((await aggregatorAt(rpc, feed.address, head)) !== undefined) proxies.add(feed.address)
  return { shareDecimals, aave, proxies }
}

async function readAddress(
  rpc: ChainRpc,
  target: Address,
  functionName: 'POOL' | 'UNDERLYING_ASSET_ADDRESS' | 'token0' | 'token1',
  block: number,
): Promise<Address | undefined> {
  let data: Hex
  try {
    data = await rpc.call(target, encodeFunctionData({ abi: positionAbi, functionName }), block)
  } catch (error) {
    // A revert is "no such function here"; a node or transport failure is not an answer.
    if (error instanceof RpcError && error.kind !== 'fatal') throw error
    return undefined
  }
  if (data.length !== 66) return undefined
  return (decodeFunctionResult({ abi: positionAbi, functionName, data }) as Address).toLowerCase() as Address
}
