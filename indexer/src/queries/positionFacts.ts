import { aTokenBalance } from '@ballast/sdk'
import type { Address } from 'viem'
import type { ResolvedAssetConfig } from '../config/IndexerConfig.js'
import { CHECKPOINT_FIELD } from '../positions/readCheckpoints.js'
import { decodeUint256 } from '../storage/uint256.js'
import { latestRows } from './latestRows.js'
import type { QueryContext } from './QueryContext.js'
import type { ResolvedAt } from './resolveAt.js'

/** A holder's amount of one configured asset token on one chain, or why it is not known. */
export type HolderAmount = {
  chainId: number
  token: Address
  holder: Address
  asset: ResolvedAssetConfig
} & ({ amount: bigint; observedAtBlock?: bigint | undefined } | { missing: string })

/** A contract-wide value of a vault or pair at the asked blocks. */
export type PositionFacts = {
  holders: HolderAmount[]
  /** `chainId:vault` -> one share's assets (`convertToAssets(10^decimals)`), observed at a checkpoint. */
  vaultRates: Map<
    string,
    | { assetsPerShare: bigint; observedAtBlock: bigint }
    | { estimated: bigint; assumption: string }
    | { missing: string }
  >
  /** `chainId:pair` -> reserves (read at each `Sync`) and LP supply (mints - burns). */
  pairs: Map<string, { reserve0: bigint; reserve1: bigint; totalSupply: bigint } | { missing: string }>
}

/**
 * Everything the chains say about holders' positions at `at`, by kind (see `KIND_TRAITS`):
 * `Transfer`-summed balances (erc20, erc4626 shares, LP shares) from `balances`; read balances
 * (weth9, rebasing-shares, native) from the latest checkpoint `reads`; aToken balances by Aave's
 * formula from the latest `scaledBalanceOf` and reserve index at the chain's block time; vault
 * rates and pair reserves. A value never read at or before a chain's block is `missing` (with
 * the reason), never 0. Checkpoint-only values (native balances, vault rates) carry the block they
 * were observed at.
 *
 * @param ctx Database and config.
 * @param at Blocks per chain.
 * @param holders Holders per chain id.
 * @returns The facts.
 * @example
 * ```ts
 * const facts = await positionFacts(ctx, at, new Map([[1, [treasury]]]))
 * ```
 */
export async function positionFacts(
  ctx: QueryContext,
  at: ResolvedAt,
  holders: ReadonlyMap<number, readonly Address[]>,
): Promise<PositionFacts> {
  const assets = ctx.config.assets
  const allHolders = [...new Set([...holders.values()].flat())]
  const tokensOf = (pred: (a: ResolvedAssetConfig) => boolean) =>
    [...new Set(assets.filter(pred).flatMap((a) => Object.values(a.tokens)))] as string[]
  const transferTokens = tokensOf((a) => ['erc20', 'erc4626', 'uniswap-v2-lp'].includes(a.kind))
  const readTokens = tokensOf((a) => !['erc20', 'erc4626', 'uniswap-v2-lp'].includes(a.kind))
  const contractTokens = tokensOf((a) => ['erc4626', 'uniswap-v2-lp', 'aave-v3-atoken'].includes(a.kind))

  const [balances, reads, contractReads, supplies, checkpoints] = await Promise.all([
    latestRows(ctx, 'balances', ['token', 'holder'], at, { holder: allHolders, token: transferTokens }),
    latestRows(ctx, 'reads', ['contract', 'holder', 'field'], at, {
      holder: allHolders,
      contract: readTokens,
    }),
    latestRows(ctx, 'reads', ['contract', 'holder', 'field'], at, { holder: '', contract: contractTokens }),
    latestRows(ctx, 'supplies', ['token'], at, { token: tokensOf((a) => a.kind === 'uniswap-v2-lp') }),
    latestRows(ctx, 'reads', ['contract', 'holder', 'field'], at, {
      contract: '',
      holder: '',
      field: CHECKPOINT_FIELD,
    }),
  ])
  const balanceOf = new Map(
    balances.map((b) => [`${b.chain_id}:${b.token}:${b.holder}`, decodeUint256(b.balance)]),
  )
  const readOf = new Map(
    [...reads, ...contractReads].map((r) => [`${r.chain_id}:${r.contract}:${r.holder}:${r.field}`, r]),
  )
  const checkpointOf = new Map(checkpoints.map((c) => [c.chain_id, BigInt(c.block_number)]))
  const blockOf = (chainId: number) => at.chains.get(chainId)?.blockNumber ?? -1
  const notRead = (what: string, chainId: number) =>
    `${what} has not been read at or before block ${blockOf(chainId)} of chain ${chainId} (the indexer reads it at checkpoints: wait for the next one, or ask for a later block).`
  /** A read value, or why there is none ('' is a call that reverted at that checkpoint). */
  const readValue = (
    chainId: number,
    contract: string,
    holder: string,
    field: string,
    what: string,
  ): { missing: string } | { value: bigint; block: number } => {
    const row = readOf.get(`${chainId}:${contract}:${holder}:${field}`)
    if (row === undefined) return { missing: notRead(what, chainId) }
    if (row.value === '')
      return {
        missing: `${what} could not be read at block ${row.block_number} of chain ${chainId} (the call reverted).`,
      }
    return { value: decodeUint256(row.value), block: row.block_number }
  }

  const out: PositionFacts = { holders: [], vaultRates: new Map(), pairs: new Map() }
  for (const asset of assets) {
    for (const [chainKey, token] of Object.entries(asset.tokens)) {
      const chainId = Number(chainKey)
      for (const holder of holders.get(chainId) ?? []) {
        const base = { chainId, token, holder, asset }
        if (asset.kind === 'erc20' || asset.kind === 'erc4626' || asset.kind === 'uniswap-v2-lp') {
          out.holders.push({ ...base, amount: balanceOf.get(`${chainId}:${token}:${holder}`) ?? 0n })
          continue
        }
        if (asset.kind === 'aave-v3-atoken') {
          const what = `The ${asset.symbol} position of ${holder}`
          const scaled = readValue(chainId, token, holder, 'scaledBalance', what)
          const index = readValue(chainId, token, '', 'liquidityIndex', `The ${asset.symbol} reserve index`)
          const rate = readValue(chainId, token, '', 'liquidityRate', `The ${asset.symbol} reserve rate`)
          const last = readValue(chainId, token, '', 'lastUpdate', `The ${asset.symbol} reserve update time`)
          const missing = [scaled, index, rate, last].find((v) => 'missing' in v)
          if (missing !== undefined && 'missing' in missing) {
            out.holders.push({ ...base, missing: missing.missing })
            continue
          }
          const v = (x: typeof scaled) => ('value' in x ? x.value : 0n)
          const time = at.chains.get(chainId)?.timestamp ?? at.timestamp
          out.holders.push({
            ...base,
            amount: aTokenBalance(
              v(scaled),
              { liquidityIndex: v(index), liquidityRate: v(rate), lastUpdate: Number(v(last)) },
              time,
            ),
          })
          continue
        }
        const read = readValue(chainId, token, holder, 'balance', `The ${asset.symbol} balance of ${holder}`)
        if ('missing' in read) out.holders.push({ ...base, missing: read.missing })
        else {
          // Native balances move without logs: say which checkpoint they were read at.
          const observed = asset.kind === 'native' ? checkpointOf.get(chainId) : undefined
          out.holders.push({
            ...base,
            amount: read.value,
            ...(observed === undefined ? {} : { observedAtBlock: observed }),
          })
        }
      }
      if (asset.kind === 'erc4626') {
        const rate = readValue(chainId, token, '', 'assetsPerShare', `The ${asset.symbol} share rate`)
        out.vaultRates.set(
          `${chainId}:${token}`,
          'missing' in rate
            ? await estimatedVaultRate(ctx, at, chainId, token, asset, rate.missing)
            : {
                assetsPerShare: rate.value,
                observedAtBlock: checkpointOf.get(chainId) ?? BigInt(rate.block),
              },
        )
      }
      if (asset.kind === 'uniswap-v2-lp') {
        const r0 = readValue(chainId, token, '', 'reserve0', `The ${asset.symbol} reserves`)
        const r1 = readValue(chainId, token, '', 'reserve1', `The ${asset.symbol} reserves`)
        const supply = supplies.find((s) => s.chain_id === chainId && s.token === token)
        out.pairs.set(
          `${chainId}:${token}`,
          'missing' in r0
            ? { missing: r0.missing }
            : 'missing' in r1
              ? { missing: r1.missing }
              : {
                  reserve0: r0.value,
                  reserve1: r1.value,
                  totalSupply: supply === undefined ? 0n : decodeUint256(supply.supply),
                },
        )
      }
    }
  }
  return out
}

/**
 * A vault's rate before any checkpoint read of it (a database indexed before rates were read):
 * OpenZeppelin ERC4626's `10^d * (totalAssets + 1) / (totalSupply + 1)` from the indexed totals
 * (its balance of the underlying, its share mints - burns), as Ballast valued vaults then. Served
 * as `estimated`: exact only for a vault holding its own assets with decimals offset 0.
 */
async function estimatedVaultRate(
  ctx: QueryContext,
  at: ResolvedAt,
  chainId: number,
  vault: Address,
  asset: ResolvedAssetConfig,
  missing: string,
): Promise<{ estimated: bigint; assumption: string } | { missing: string }> {
  const underlying = ctx.config.assets.find((a) => a.symbol === asset.underlying)
  const underlyingToken = underlying?.tokens[chainId]
  if (underlying === undefined || underlyingToken === undefined) return { missing }
  const [held, supply] = await Promise.all([
    latestRows(ctx, 'balances', ['token', 'holder'], at, { token: [underlyingToken], holder: [vault] }),
    latestRows(ctx, 'supplies', ['token'], at, { token: [vault] }),
  ])
  const totalAssets = held[0] === undefined ? 0n : decodeUint256(held[0].balance)
  const totalSupply = supply[0] === undefined ? 0n : decodeUint256(supply[0].supply)
  // An empty vault shows no rate to estimate from.
  if (totalAssets === 0n && totalSupply === 0n) return { missing }
  return {
    estimated: (10n ** BigInt(underlying.decimals) * (totalAssets + 1n)) / (totalSupply + 1n),
    assumption:
      'OpenZeppelin ERC4626 (assets held by the vault, decimals offset 0) from its indexed totals, because no checkpoint read it at or before this block.',
  }
}
