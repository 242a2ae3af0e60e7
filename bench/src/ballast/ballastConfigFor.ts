import {
  configFromDevnetManifest,
  type DatabaseConfig,
  defineConfig,
  type ResolvedIndexerConfig,
} from '@ballast/indexer'
import type { BenchTarget } from '../BenchTarget.js'

/** Options of {@link ballastConfigFor}. */
export type BallastBenchOptions = {
  database: DatabaseConfig
  /** Head polling once synced, ms (the same value is given to Ponder). */
  pollingInterval: number
  /** Blocks behind the head treated as final; 30 is Ponder's default for unknown chains. */
  finalityDepth: number
}

/**
 * Ballast's indexer config for a bench target. A devnet history uses the indexer's own
 * `configFromDevnetManifest` (registries, assets with OFTs and feeds, vaults; members discovered
 * from `MemberJoined`). The bench's own history has no registry: its pool lists the members
 * statically (one per liability token, with the tracked holders) and the reserve tokens as
 * assets with their feeds. Either way: the same contracts, holders and range the Ponder app and
 * the floor see, with the same polling and finality depth.
 *
 * @param target - the laid-down history.
 * @param options - database, polling and finality.
 * @returns a resolved config for `startBallast`.
 * @example
 * const config = ballastConfigFor(target, { database: 'bench.sqlite', pollingInterval: 100, finalityDepth: 30 })
 */
export function ballastConfigFor(target: BenchTarget, options: BallastBenchOptions): ResolvedIndexerConfig {
  const chainOptions = {
    pollingInterval: options.pollingInterval,
    finalityDepth: options.finalityDepth,
    rpcTimeout: 60_000,
  }
  if (target.manifest) {
    const config = configFromDevnetManifest(target.manifest, { database: options.database })
    return defineConfig({ ...config, chains: config.chains.map((c) => ({ ...c, ...chainOptions })) })
  }
  const first = target.chains[0]
  const reserve = first?.tokens.filter((t) => t.kind === 'reserve') ?? []
  return defineConfig({
    database: options.database,
    chains: target.chains.map((chain) => ({
      name: chain.name,
      chainId: chain.chainId,
      rpcUrls: [chain.rpcUrl],
      startBlock: chain.startBlock,
      ...chainOptions,
    })),
    pools: [
      {
        id: target.poolId,
        name: 'bench-pool',
        minRatioBps: 10_000,
        targetRatioBps: 12_000,
        members: target.members.map((member) => ({
          id: memberId(member.name),
          name: member.name,
          liabilityTokens: Object.fromEntries(
            target.chains.map((chain) => [chain.chainId, bySymbol(chain.tokens, member.name)]),
          ),
          holders: member.holders,
        })),
      },
    ],
    assets: reserve.map((token) => ({
      symbol: token.symbol,
      decimals: token.decimals,
      tokens: Object.fromEntries(
        target.chains.map((chain) => [chain.chainId, bySymbol(chain.tokens, token.symbol)]),
      ),
      ...(first && token.feed ? { feed: { chainId: first.chainId, address: token.feed, decimals: 8 } } : {}),
    })),
  })
}

/** bytes32 id of a static member: its name, right-padded (readable in the database). */
function memberId(name: string): `0x${string}` {
  return `0x${Buffer.from(name).toString('hex').padEnd(64, '0')}`
}

function bySymbol(tokens: BenchTarget['chains'][number]['tokens'], symbol: string) {
  const token = tokens.find((t) => t.symbol === symbol)
  if (!token) throw new Error(`token ${symbol} missing on a chain of the bench target`)
  return token.address
}
