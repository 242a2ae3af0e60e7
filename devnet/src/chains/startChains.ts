import {
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from 'viem'
import { installMulticall3 } from '../anvil/installMulticall3.js'
import { type AnvilProcess, startAnvil } from '../anvil/startAnvil.js'
import { DevnetError } from '../errors/DevnetError.js'
import { type DevnetChainSpec, devnetChainSpec, maxDevnetChains } from './devnetChainSpec.js'

/** Genesis time of every devnet chain (2024-01-01T00:00:00Z): fixed so histories are reproducible. */
export const devnetGenesisTimestamp = 1_704_067_200

/** Seconds between consecutive blocks: every block's time is genesis + 12 * number. */
export const devnetBlockTime = 12

export type StartChainsParameters = {
  /** How many chains (1 to 8). */
  count: number
  /** First port; chain i listens on `basePort + i`. Omitted: free ports chosen by the OS. */
  basePort?: number | undefined
  /** Environment for locating anvil (`BALLAST_ANVIL_BIN`). */
  env?: NodeJS.ProcessEnv | undefined
}

/** One running chain with viem clients bound to it. */
export type DevnetChainHandle = DevnetChainSpec & {
  rpcUrl: string
  pid: number
  chain: Chain
  public: PublicClient
  wallet: WalletClient
  test: TestClient<'anvil'>
}

export type RunningChains = {
  chains: DevnetChainHandle[]
  /** Stops every anvil; resolves when all have exited. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Starts `count` anvil chains in parallel on loopback ports, each with its own chain id and
 * LayerZero eid (see `devnetChainSpec`), deterministic block times, and viem clients. If any chain
 * fails to start, the others are stopped before the error is thrown.
 *
 * @param parameters Number of chains and optional base port.
 * @returns The chains and `stop()`.
 * @throws DevnetError for a bad count, a port in use, or a missing anvil binary.
 * @example
 * ```ts
 * const { chains, stop } = await startChains({ count: 3 })
 * await chains[0].public.getBlockNumber() // 0n
 * await stop()
 * ```
 */
export async function startChains(parameters: StartChainsParameters): Promise<RunningChains> {
  const { count, basePort, env } = parameters
  if (!Number.isInteger(count) || count < 1 || count > maxDevnetChains) {
    throw new DevnetError('Invalid number of chains.', {
      details: `chains = ${count}; expected an integer from 1 to ${maxDevnetChains}.`,
      metaMessages: ['Use --chains 3 (the default) for a typical multi-chain devnet.'],
    })
  }
  if (
    basePort !== undefined &&
    (!Number.isInteger(basePort) || basePort < 1 || basePort + count - 1 > 65_535)
  ) {
    throw new DevnetError('Invalid port.', {
      details: `port = ${basePort}; chain i listens on port + i, which must stay within 1..65535.`,
      metaMessages: ['Omit the port to let the devnet pick free ports.'],
    })
  }
  const specs = Array.from({ length: count }, (_, i) => devnetChainSpec(i))
  const results = await Promise.allSettled(
    specs.map((spec) =>
      startAnvil({
        chainId: spec.chainId,
        port: basePort === undefined ? 0 : basePort + spec.index,
        genesisTimestamp: devnetGenesisTimestamp,
        env,
      }),
    ),
  )
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await Promise.all(started.map((a) => a.stop()))
    throw failed.reason
  }
  const chains = await Promise.all(specs.map((spec, i) => connect(spec, started[i] as AnvilProcess)))
  let stopped: Promise<void> | undefined
  return {
    chains,
    stop: () => {
      stopped ??= Promise.all(started.map((a) => a.stop())).then(() => undefined)
      return stopped
    },
  }
}

async function connect(spec: DevnetChainSpec, anvil: AnvilProcess): Promise<DevnetChainHandle> {
  const chain = defineChain({
    id: spec.chainId,
    name: `devnet ${spec.name}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  // Local chains answer in microseconds: no response cache, fast polling.
  const transport = http(anvil.rpcUrl, { batch: false, retryCount: 0 })
  const publicClient = createPublicClient({ chain, transport, cacheTime: 0, pollingInterval: 50 })
  const wallet = createWalletClient({ chain, transport, cacheTime: 0, pollingInterval: 50 })
  const test = createTestClient({ chain, transport, mode: 'anvil', cacheTime: 0, pollingInterval: 50 })
  // Each block is 12 s after its parent, whatever the wall clock says: same inputs, same timestamps.
  await test.setBlockTimestampInterval({ interval: devnetBlockTime })
  await installMulticall3(test)
  return { ...spec, rpcUrl: anvil.rpcUrl, pid: anvil.pid, chain, public: publicClient, wallet, test }
}
