import { type DatabaseConfig, defineConfig, type ResolvedIndexerConfig } from '@ballast/indexer'
import { type Address, type Hex, keccak256, toHex } from 'viem'
import type { BenchTarget } from '../BenchTarget.js'

/** Options of {@link ballastConfigFor}. */
export type BallastBenchOptions = {
  database: DatabaseConfig
  /** Head polling once synced, ms (the same value is given to Ponder). */
  pollingInterval: number
  /** Blocks behind the head treated as final; 30 is Ponder's default for unknown chains. */
  finalityDepth: number
}

/** Id of the bench's one pool (bytes32: keccak256 of its name). */
export const benchPoolId: Hex = keccak256(toHex('bench-pool'))

/**
 * Tracked holders of member number `member` on a chain: the holders go round-robin over the
 * members (one member per liability token).
 *
 * @returns the member's holders on that chain.
 * @example
 * const holders = memberHolders(target.chains[0], 0, 2)
 */
export function memberHolders(
  chain: BenchTarget['chains'][number],
  member: number,
  members: number,
): Address[] {
  return chain.holders.filter((_, i) => i % members === member)
}

/**
 * Ballast's indexer config for a bench target: every chain, the reserve tokens as assets, and one
 * pool whose static members own the liability tokens and split the tracked holders (each
 * liability token makes a member, the holders go round-robin). The same contracts, holders and
 * range that the Ponder app and the floor see.
 *
 * @param target - the laid-down history.
 * @param options - database, polling and finality.
 * @returns a resolved config for `runIndexer`.
 * @example
 * const config = ballastConfigFor(target, { database: 'bench.sqlite', pollingInterval: 100, finalityDepth: 30 })
 */
export function ballastConfigFor(target: BenchTarget, options: BallastBenchOptions): ResolvedIndexerConfig {
  const first = target.chains[0]
  const reserve = first?.tokens.filter((t) => t.kind === 'reserve') ?? []
  const liability = first?.tokens.filter((t) => t.kind === 'liability') ?? []
  const id = (name: string): Hex => keccak256(toHex(name))
  return defineConfig({
    database: options.database,
    chains: target.chains.map((chain) => ({
      name: chain.name,
      chainId: chain.chainId,
      rpcUrls: [chain.rpcUrl],
      finalityDepth: options.finalityDepth,
      startBlock: chain.startBlock,
      pollingInterval: options.pollingInterval,
      rpcTimeout: 60_000,
    })),
    pools: [
      {
        id: benchPoolId,
        name: 'bench-pool',
        minRatioBps: 10_000,
        targetRatioBps: 12_000,
        members: liability.map((token, m) => ({
          id: id(`bench-member-${token.symbol}`),
          name: token.symbol,
          liabilityTokens: Object.fromEntries(
            target.chains.map((chain) => [chain.chainId, bySymbol(chain.tokens, token.symbol)]),
          ),
          holders: Object.fromEntries(
            target.chains.map((chain) => [
              chain.chainId,
              chain.holders.filter((_, i) => i % liability.length === m),
            ]),
          ),
        })),
      },
    ],
    assets: reserve.map((token) => ({
      symbol: token.symbol,
      decimals: token.decimals,
      ...(first && token.feed ? { feed: { chainId: first.chainId, address: token.feed, decimals: 8 } } : {}),
      tokens: Object.fromEntries(
        target.chains.map((chain) => [chain.chainId, bySymbol(chain.tokens, token.symbol)]),
      ),
    })),
  })
}

function bySymbol(tokens: BenchTarget['chains'][number]['tokens'], symbol: string) {
  const token = tokens.find((t) => t.symbol === symbol)
  if (!token) throw new Error(`token ${symbol} missing on a chain of the bench target`)
  return token.address
}
