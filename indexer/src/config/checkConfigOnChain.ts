import { aggregatorV3Abi } from '@ballast/sdk'
import { type Address, decodeFunctionResult, encodeFunctionData, erc20Abi } from 'viem'
import { type ChainRpc, type CreateChainRpcOptions, createChainRpc } from '../rpc/createChainRpc.js'
import { RpcError } from '../rpc/RpcError.js'
import { redactUrl } from '../rpc/redactUrl.js'
import type { ResolvedChainConfig, ResolvedIndexerConfig } from './IndexerConfig.js'

/** One finding of {@link checkConfigOnChain}. */
export type ConfigFinding = {
  /** `ok`: as configured; `warn`: works, but worth a look; `fail`: the indexer would be wrong or stop. */
  status: 'ok' | 'warn' | 'fail'
  /** The chain's name. */
  chain: string
  /** What was checked: `chain id`, `code`, `decimals`, `feed`, `archive`, `finalized tag`. */
  check: string
  /** The config field it concerns (`chains[0].rpcUrls[1]`, `assets[0].tokens.1`). */
  field: string
  /** What was found. */
  detail: string
}

/**
 * Checks a config against its chains, as `ballast config check` does: each RPC URL answers with
 * the configured chain id (and whether it knows the `finalized` tag); every configured contract
 * (registries, tokens, OFTs, feeds, vaults, static members' liability tokens) has code at the
 * head; each token's `decimals()` equals the config's; each feed answers `latestRoundData()` with
 * the configured `decimals()`; and the node serves state at `startBlock - 1` (an archive check:
 * balances and supplies are read there). Subgraph chains are skipped. Nothing throws for a
 * finding: every problem is a row.
 *
 * @param config The resolved config.
 * @param options Retry policy of the RPC clients.
 * @returns The findings, in config order.
 * @example
 * ```ts
 * const findings = await checkConfigOnChain(await loadConfig())
 * if (findings.some((f) => f.status === 'fail')) process.exitCode = 1
 * ```
 */
export async function checkConfigOnChain(
  config: ResolvedIndexerConfig,
  options: CreateChainRpcOptions = {},
): Promise<ConfigFinding[]> {
  const perChain = await Promise.all(
    config.chains.map(async (chain, i) => {
      if (chain.subgraph !== undefined) return []
      const out: ConfigFinding[] = []
      const add = (status: ConfigFinding['status'], check: string, field: string, detail: string) =>
        out.push({ status, chain: chain.name, check, field, detail })
      const working: ChainRpc[] = []
      const byUrl = new Map<number, ChainRpc>()
      for (const [j, url] of chain.rpcUrls.entries()) {
        const field = `chains[${i}].rpcUrls[${j}]`
        const rpc = createChainRpc({ ...chain, rpcUrls: [url] }, { maxAttempts: 3, ...options })
        try {
          const served = await rpc.getChainId()
          if (served !== chain.chainId) {
            add(
              'fail',
              'chain id',
              field,
              `${redactUrl(url)} serves chain id ${served}, not ${chain.chainId}`,
            )
            continue
          }
          add('ok', 'chain id', field, `${redactUrl(url)} serves chain ${served}`)
          working.push(rpc)
          byUrl.set(j, rpc)
          const finalized = await rpc.getBlock('finalized').then(
            (b) => `finalized block ${b.number}`,
            () => undefined,
          )
          add(
            finalized === undefined ? 'warn' : 'ok',
            'finalized tag',
            field,
            finalized ?? `no 'finalized' tag: finality by depth (${chain.finalityDepth} blocks)`,
          )
        } catch (error) {
          add('fail', 'chain id', field, `${redactUrl(url)} does not answer: ${shortOf(error)}`)
        }
      }
      const rpc = working[0]
      if (rpc === undefined) return out
      await checkContracts(config, chain, rpc, add)
      const at = chain.startBlock - 1
      if (at >= 0) {
        for (const [j, url] of chain.rpcUrls.entries()) {
          const one = byUrl.get(j)
          if (one === undefined) continue
          try {
            await one.getBalance('0x0000000000000000000000000000000000000000', at)
            add('ok', 'archive', `chains[${i}].startBlock`, `${redactUrl(url)} serves state at block ${at}`)
          } catch (error) {
            const unavailable = error instanceof RpcError && error.kind === 'unavailable'
            add(
              'fail',
              'archive',
              `chains[${i}].startBlock`,
              `${redactUrl(url)} cannot serve state at block ${at} (startBlock - 1)${unavailable ? ': use an archive node URL or a later startBlock' : `: ${shortOf(error)}`}`,
            )
          }
        }
      }
      return out
    }),
  )
  return perChain.flat()
}

async function checkContracts(
  config: ResolvedIndexerConfig,
  chain: ResolvedChainConfig,
  rpc: ChainRpc,
  add: (status: ConfigFinding['status'], check: string, field: string, detail: string) => void,
): Promise<void> {
  const id = chain.chainId
  const contracts: { field: string; address: Address; decimals?: number | undefined; feed?: boolean }[] = []
  for (const [p, pool] of config.pools.entries()) {
    const registry = pool.registries?.[id]
    if (registry !== undefined) contracts.push({ field: `pools[${p}].registries.${id}`, address: registry })
    for (const [m, member] of (pool.members ?? []).entries()) {
      const token = member.liabilityTokens[id]
      if (token !== undefined)
        contracts.push({ field: `pools[${p}].members[${m}].liabilityTokens.${id}`, address: token })
    }
  }
  for (const [a, asset] of config.assets.entries()) {
    const token = asset.tokens[id]
    // A native coin has no contract to check.
    if (token !== undefined && asset.kind !== 'native')
      contracts.push({ field: `assets[${a}].tokens.${id}`, address: token, decimals: asset.decimals })
    const oft = asset.ofts?.[id]
    if (oft !== undefined) contracts.push({ field: `assets[${a}].ofts.${id}`, address: oft })
    if (asset.feed?.chainId === id) {
      contracts.push({
        field: `assets[${a}].feed.address`,
        address: asset.feed.address,
        decimals: asset.feed.decimals,
        feed: true,
      })
    }
  }
  const head = await rpc.getBlock('latest')
  await Promise.all(
    contracts.map(async (c) => {
      const code = await rpc.getCode(c.address, head.number).catch(() => undefined)
      if (code === undefined || code === '0x') {
        add('fail', 'code', c.field, `no contract at ${c.address} (block ${head.number})`)
        return
      }
      add('ok', 'code', c.field, `contract at ${c.address}`)
      if (c.decimals === undefined) return
      try {
        const data = await rpc.call(
          c.address,
          encodeFunctionData({ abi: erc20Abi, functionName: 'decimals' }),
          head.number,
        )
        const decimals = Number(decodeFunctionResult({ abi: erc20Abi, functionName: 'decimals', data }))
        add(
          decimals === c.decimals ? 'ok' : 'fail',
          'decimals',
          c.field,
          decimals === c.decimals
            ? `decimals() = ${decimals}`
            : `decimals() = ${decimals}, config says ${c.decimals}`,
        )
      } catch (error) {
        add('fail', 'decimals', c.field, `decimals() failed: ${shortOf(error)}`)
      }
      if (!c.feed) return
      try {
        const data = await rpc.call(
          c.address,
          encodeFunctionData({ abi: aggregatorV3Abi, functionName: 'latestRoundData' }),
          head.number,
        )
        const [, answer, , updatedAt] = decodeFunctionResult({
          abi: aggregatorV3Abi,
          functionName: 'latestRoundData',
          data,
        }) as readonly [bigint, bigint, bigint, bigint, bigint]
        const age = head.timestamp - Number(updatedAt)
        add(
          answer > 0n ? 'ok' : 'fail',
          'feed',
          c.field,
          `latestRoundData() answer ${answer}, updated ${age} s before the head`,
        )
      } catch (error) {
        add('fail', 'feed', c.field, `latestRoundData() failed: ${shortOf(error)}`)
      }
    }),
  )
}

function shortOf(error: unknown): string {
  if (error instanceof RpcError) return error.details ?? error.shortMessage
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
}
