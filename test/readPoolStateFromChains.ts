import type { DevnetManifest } from '@ballast/devnet'
import {
  type Asset,
  type AssetRiskParameters,
  aggregatorV3Abi,
  bpsToWad,
  erc4626Abi,
  type Holding,
  type Member,
  type PoolState,
  reservePoolRegistryAbi,
  WAD,
} from '@ballast/sdk'
import { type Address, createPublicClient, erc20Abi, http, type PublicClient } from 'viem'

/**
 * Builds a pool's `PoolState` straight from the chains with plain `eth_call`s at given blocks
 * (registry membership and holders, `balanceOf`, `totalSupply`, feeds' `latestRoundData`, vaults'
 * `convertToAssets`, the registry's risk parameters in force), independently of the indexer:
 * the reference the end-to-end test compares the API with. Bridge transfers in flight are not
 * read (the test relays every packet first); liabilities are priced at 1 USD as the indexer does.
 *
 * @param manifest - the devnet manifest.
 * @param poolId - the pool.
 * @param blocks - per chain id, the block to read at (as the API reports them).
 * @param timestamp - the state's time (the API's `at`).
 * @returns the state, and whether every chain's registry agrees on the risk parameters in force.
 * @example
 * ```ts
 * const { state } = await readPoolStateFromChains(manifest, poolId, blocks, at)
 * ```
 */
export async function readPoolStateFromChains(
  manifest: DevnetManifest,
  poolId: `0x${string}`,
  blocks: ReadonlyMap<number, bigint>,
  timestamp: number,
): Promise<{ state: PoolState; riskAgrees: boolean }> {
  const clients = new Map<number, PublicClient>(
    manifest.chains.map((c) => [c.chainId, createPublicClient({ transport: http(c.rpcUrl), cacheTime: 0 })]),
  )
  const client = (chainId: number) => clients.get(chainId) as PublicClient
  const at = (chainId: number) => blocks.get(chainId) as bigint
  const registry = (chainId: number) =>
    manifest.chains.find((c) => c.chainId === chainId)?.contracts.registry as Address
  const pool = manifest.pools.find((p) => p.id === poolId)
  if (pool === undefined) throw new Error(`pool ${poolId} not in the manifest`)

  const assets: Asset[] = []
  const priced = new Set<string>()
  const deployed = async (chainId: number, address: Address) =>
    (await client(chainId).getCode({ address, blockNumber: at(chainId) })) !== undefined
  for (const a of manifest.assets) {
    if (!(await deployed(a.feed.chainId, a.feed.address))) continue
    const [roundId, answer, , updatedAt] = await client(a.feed.chainId).readContract({
      address: a.feed.address,
      abi: aggregatorV3Abi,
      functionName: 'latestRoundData',
      blockNumber: at(a.feed.chainId),
    })
    if (roundId === 0n) continue
    priced.add(a.symbol)
    assets.push({
      kind: 'erc20',
      symbol: a.symbol,
      decimals: a.decimals,
      price: { answer, decimals: a.feed.decimals, updatedAt: Number(updatedAt) },
    })
  }
  for (const v of manifest.vaults) {
    const underlying = manifest.assets.find((a) => a.symbol === v.asset)
    if (underlying === undefined || !priced.has(underlying.symbol)) continue
    // Not deployed yet at that block: no shares exist, one share would be one asset.
    const assetsPerShare = (await deployed(v.chainId, v.address))
      ? await client(v.chainId).readContract({
          address: v.address,
          abi: erc4626Abi,
          functionName: 'convertToAssets',
          args: [10n ** BigInt(underlying.decimals)],
          blockNumber: at(v.chainId),
        })
      : 10n ** BigInt(underlying.decimals)
    assets.push({
      kind: 'erc4626',
      symbol: v.symbol,
      decimals: underlying.decimals,
      underlying: v.asset,
      assetsPerShare,
    })
  }

  // Reserve tokens per chain: asset tokens and vault shares, by address.
  const reserveTokens = new Map<number, { address: Address; symbol: string; decimals: number }[]>()
  const push = (chainId: number, t: { address: Address; symbol: string; decimals: number }) =>
    reserveTokens.set(chainId, [...(reserveTokens.get(chainId) ?? []), t])
  for (const a of manifest.assets) {
    if (!priced.has(a.symbol)) continue
    for (const [chainId, t] of Object.entries(a.tokens))
      push(Number(chainId), { address: t.token, symbol: a.symbol, decimals: a.decimals })
  }
  for (const v of manifest.vaults) {
    const asset = assets.find((x) => x.symbol === v.symbol)
    if (asset !== undefined)
      push(v.chainId, { address: v.address, symbol: v.symbol, decimals: asset.decimals })
  }

  const members: Member[] = []
  for (const m of pool.members) {
    const holdings = new Map<string, Holding>()
    const liabilities: Member['liabilities'][number][] = []
    let symbol: string | undefined
    let isMemberSomewhere = false
    for (const chain of manifest.chains) {
      const c = client(chain.chainId)
      const blockNumber = at(chain.chainId)
      if (!(await deployed(chain.chainId, registry(chain.chainId)))) continue
      const member = await c.readContract({
        address: registry(chain.chainId),
        abi: reservePoolRegistryAbi,
        functionName: 'isMember',
        args: [poolId, m.id],
        blockNumber,
      })
      if (!member) continue
      isMemberSomewhere = true
      const token = m.liability.tokens[chain.chainId]
      if (token !== undefined) {
        const supply = await c.readContract({
          address: token,
          abi: erc20Abi,
          functionName: 'totalSupply',
          blockNumber,
        })
        symbol ??= await c.readContract({
          address: token,
          abi: erc20Abi,
          functionName: 'symbol',
          blockNumber,
        })
        liabilities.push({ chainId: chain.chainId, supply, decimals: m.liability.decimals })
      }
      const holders = await c.readContract({
        address: registry(chain.chainId),
        abi: reservePoolRegistryAbi,
        functionName: 'holdersOf',
        args: [poolId, m.id],
        blockNumber,
      })
      for (const t of reserveTokens.get(chain.chainId) ?? []) {
        for (const holder of holders) {
          const amount = await c.readContract({
            address: t.address,
            abi: erc20Abi,
            functionName: 'balanceOf',
            args: [holder],
            blockNumber,
          })
          if (amount === 0n) continue
          const key = `${chain.chainId}:${t.symbol}`
          const existing = holdings.get(key)
          holdings.set(key, {
            chainId: chain.chainId,
            asset: t.symbol,
            amount: (existing?.amount ?? 0n) + amount,
            decimals: t.decimals,
          })
        }
      }
    }
    if (!isMemberSomewhere) continue
    const liabilityAsset = symbol ?? m.liability.symbol
    if (!assets.some((a) => a.symbol === liabilityAsset)) {
      assets.push({
        kind: 'erc20',
        symbol: liabilityAsset,
        decimals: m.liability.decimals,
        price: { answer: 100_000_000n, decimals: 8, updatedAt: timestamp },
      })
    }
    members.push({
      id: m.id,
      name: m.name,
      poolId,
      liabilityAsset,
      holdings: [...holdings.values()],
      liabilities,
      inFlight: [],
    })
  }

  // Risk parameters in force: the registry's view on every chain where the asset has a token.
  let riskAgrees = true
  const riskParameters: AssetRiskParameters[] = []
  for (const asset of assets) {
    const tokens: [number, Address][] = []
    const spec = manifest.assets.find((a) => a.symbol === asset.symbol)
    if (spec !== undefined)
      for (const [chainId, t] of Object.entries(spec.tokens)) tokens.push([Number(chainId), t.token])
    const vault = manifest.vaults.find((v) => v.symbol === asset.symbol)
    if (vault !== undefined) tokens.push([vault.chainId, vault.address])
    for (const m of pool.members) {
      if (m.liability.symbol !== asset.symbol) continue
      for (const [chainId, t] of Object.entries(m.liability.tokens)) tokens.push([Number(chainId), t])
    }
    const views = new Set<string>()
    for (const [chainId, address] of tokens) {
      if (!(await deployed(chainId, registry(chainId)))) continue
      const [floor, threshold, horizon] = await client(chainId).readContract({
        address: registry(chainId),
        abi: reservePoolRegistryAbi,
        functionName: 'riskParameters',
        args: [pool.id, address],
        blockNumber: at(chainId),
      })
      if (horizon !== 0) views.add(`${floor}:${threshold}:${horizon}`)
    }
    if (views.size > 1) riskAgrees = false
    const [view] = [...views]
    if (view === undefined) {
      riskParameters.push({
        asset: asset.symbol,
        haircutFloor: WAD,
        liquidationThreshold: 0n,
        liquidationHorizon: 86_400,
      })
    } else {
      const [floor, threshold, horizon] = view.split(':').map(Number) as [number, number, number]
      riskParameters.push({
        asset: asset.symbol,
        haircutFloor: bpsToWad(floor),
        liquidationThreshold: bpsToWad(threshold),
        liquidationHorizon: Math.max(1, horizon),
      })
    }
  }

  const blockTimestamps = await Promise.all(
    manifest.chains.map(async (c) => ({
      chainId: c.chainId,
      blockNumber: at(c.chainId),
      timestamp: Number((await client(c.chainId).getBlock({ blockNumber: at(c.chainId) })).timestamp),
    })),
  )
  const state: PoolState = {
    timestamp,
    blocks: blockTimestamps,
    chains: manifest.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets,
    riskParameters,
    pools: [
      {
        id: poolId,
        name: pool.name,
        minRatio: bpsToWad(pool.minRatioBps),
        targetRatio: bpsToWad(Math.max(pool.minRatioBps, pool.targetRatioBps)),
        liquidityTargets: [],
      },
    ],
    members,
  }
  return { state, riskAgrees }
}
