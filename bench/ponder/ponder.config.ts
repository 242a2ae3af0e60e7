// Ponder's side of the side-by-side benchmark: the same chains, contracts and events as Ballast,
// from the bench target JSON the harness writes (BENCH_TARGET), into PGlite or PostgreSQL
// (BENCH_PONDER_DATABASE: `pglite:<dir>` or a postgres URL).
import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { createConfig } from 'ponder'
import { type Address, erc20Abi } from 'viem'
import type { BenchTargetChain } from '../src/BenchTarget.js'
import { present, target } from './benchTarget.js'

const databaseSetting = process.env.BENCH_PONDER_DATABASE ?? 'pglite:.ponder/pglite'
const pollingInterval = Number(process.env.BENCH_POLLING_MS ?? 1_000)

const transferAbi = erc20Abi.filter((item) => item.type === 'event' && item.name === 'Transfer')

type PerChain = Record<string, { address: Address[]; startBlock: number }>

/** Per chain name: the addresses of one contract kind, for the chains that have any. */
const on = (pick: (chain: BenchTargetChain) => readonly Address[]): PerChain =>
  Object.fromEntries(
    target.chains
      .filter((chain) => pick(chain).length > 0)
      .map((chain) => [chain.name, { address: [...pick(chain)], startBlock: chain.startBlock }]),
  )

const all = {
  Token: { abi: transferAbi, chain: on((c) => c.tokens.map((t) => t.address)) },
  Registry: { abi: reservePoolRegistryAbi, chain: on((c) => c.registries) },
  Feed: { abi: aggregatorV3Abi, chain: on((c) => c.feeds) },
  Oft: { abi: oftAbi, chain: on((c) => c.ofts) },
  Vault: { abi: erc4626Abi, chain: on((c) => c.vaults) },
}

export default createConfig({
  // Each chain in its own block order, as Ballast does (no cross-chain ordering is needed for sums).
  ordering: 'multichain',
  database: databaseSetting.startsWith('pglite:')
    ? { kind: 'pglite', directory: databaseSetting.slice('pglite:'.length) }
    : { kind: 'postgres', connectionString: databaseSetting },
  chains: Object.fromEntries(
    target.chains.map((chain) => [chain.name, { id: chain.chainId, rpc: chain.rpcUrl, pollingInterval }]),
  ),
  contracts: Object.fromEntries(
    Object.entries(all).filter(([kind]) => present[kind as keyof typeof present]),
  ) as typeof all,
})
