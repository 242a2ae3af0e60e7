import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  createChainRpc,
  createDatabase,
  type ResolvedIndexerConfig,
  serveIndexerMetrics,
} from '@ballast/indexer'
import { type Address, type Client, createClient, custom, parseAbi } from 'viem'
import { getCode, readContract } from 'viem/actions'
import { createIndexerDataSource } from '../dataSource/createIndexerDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { createKeeper } from '../keeper/createKeeper.js'
import { createKeeperJournal } from '../keeper/createKeeperJournal.js'
import { createKeeperMetrics } from '../keeper/createKeeperMetrics.js'
import { definePolicy } from '../keeper/definePolicy.js'
import type { KeeperDecision, KeeperMode } from '../keeper/KeeperDecision.js'
import type { KeeperPolicy, ResolvedPolicy } from '../keeper/KeeperPolicy.js'
import type { GovernanceContracts } from '../keeper/proposeRiskUpdate.js'
import { deployerAccount } from './deployerAccount.js'
import type { CliIo } from './runCli.js'
import { untilSignal } from './untilSignal.js'

/** The variable holding the execute-mode account's private key (never a flag, never a config file). */
export const KEEPER_KEY_ENV = 'BALLAST_KEEPER_PRIVATE_KEY'

/** Options of {@link keeperCommand}. */
export type KeeperCommandOptions = {
  config: ResolvedIndexerConfig
  /** Path of the policy: JSON, or a module whose default export is the policy. */
  policyPath: string
  mode: KeeperMode
  /** execute mode: a Web3 Secret Storage keystore file instead of the key in the environment. */
  keystore?: string | undefined
  /** Batch files (required in propose mode). */
  outDir?: string | undefined
  webhookUrl?: string | undefined
  /** Serve Prometheus metrics at /metrics on this port (0: any free port) while the keeper runs. */
  metricsPort?: number | undefined
  /** Decide once at the latest indexed state and return (default: on every new head until a signal). */
  once?: boolean | undefined
  io: CliIo
  /** Resolves when a long-running keeper should stop (default: SIGINT or SIGTERM). */
  until?: Promise<void> | undefined
}

/**
 * `ballast keeper`: reads the pool the policy names from the indexer's database (read-only, like
 * `serve`), and decides on each new indexed head. Chain reads and dry runs go through the config's
 * RPC URLs with the indexer's retries, failover and redaction.
 *
 * @param options - config, policy path, mode, output folder, webhook, once.
 * @returns the decisions made
 * @throws {ApiError|PolicyError} on a policy that cannot be read or is invalid, or a Safe library
 *   without code
 */
export async function keeperCommand(options: KeeperCommandOptions): Promise<KeeperDecision[]> {
  const policy = definePolicy(await loadPolicyFile(options.policyPath))
  const { config, io } = options
  const clients: Record<number, Client> = {}
  for (const chain of config.chains) {
    const rpc = createChainRpc(chain)
    clients[chain.chainId] = createClient({
      transport: custom({
        request: ({ method, params }) => rpc.request(method, (params as unknown[]) ?? []),
      }),
    })
  }
  if (options.mode === 'propose') {
    for (const [chainId, libs] of policy.safeLibraries) {
      const client = clients[chainId]
      for (const [name, address] of Object.entries(libs)) {
        if (client !== undefined && ((await getCode(client, { address })) ?? '0x') === '0x') {
          throw new ApiError(`No contract at safeLibraries.${chainId}.${name}.`, {
            details: `${address} has no code on chain ${chainId}.`,
            metaMessages: [
              "Use the chain's Safe 1.4.1 deployment of MultiSendCallOnly and SimulateTxAccessor.",
            ],
          })
        }
      }
    }
  }
  // execute mode: a keystore (password from BALLAST_KEYSTORE_PASSWORD) or BALLAST_KEEPER_PRIVATE_KEY.
  const account =
    options.mode === 'execute'
      ? await deployerAccount({
          keystore: options.keystore,
          env: process.env,
          keyEnv: KEEPER_KEY_ENV,
          role: 'keeper',
        })
      : undefined
  const database = await createDatabase(config.database, { migrate: false })
  const signals = options.once || options.until !== undefined ? undefined : untilSignal(io)
  const metrics = options.metricsPort === undefined ? undefined : createKeeperMetrics()
  const metricsServer =
    metrics === undefined ? undefined : await serveIndexerMetrics(metrics, { port: options.metricsPort! })
  if (metricsServer !== undefined) io.out(`Keeper metrics at ${metricsServer.url}`)
  try {
    const keeper = createKeeper({
      policy,
      mode: options.mode,
      dataSource: createIndexerDataSource({ db: database.db, config }),
      journal: createKeeperJournal(database.db),
      account,
      clients,
      assets: Object.fromEntries(config.assets.map((a) => [a.symbol, { tokens: a.tokens, ofts: a.ofts }])),
      governance: await governanceContracts(policy, config, clients),
      endpointIds: Object.fromEntries(
        config.chains.filter((c) => c.eid !== undefined).map((c) => [c.chainId, c.eid as number]),
      ),
      outDir: options.outDir,
      webhookUrl: options.webhookUrl,
      log: (line) => io.out(line),
      metrics,
    })
    if (options.once) return [await keeper.decide()]
    const controller = new AbortController()
    const until = options.until ?? (signals as { received: Promise<void> }).received
    until.then(() => controller.abort())
    io.out(
      `Keeper "${policy.name}" watching pool ${policy.pool} in ${options.mode} mode. Press Ctrl-C to stop.`,
    )
    await keeper.run(controller.signal)
    return [...keeper.decisions()]
  } finally {
    signals?.release()
    await metricsServer?.close()
    await database.destroy()
  }
}

/**
 * Governance actions: the pool's registry on each chain (the config's), and its risk timelock as
 * the registry itself reports it (`riskTimelock()`, fixed at construction): nothing to configure
 * twice, nothing to get out of step.
 */
async function governanceContracts(
  policy: ResolvedPolicy,
  config: ResolvedIndexerConfig,
  clients: Readonly<Record<number, Client>>,
): Promise<GovernanceContracts> {
  if (!policy.actions.some((a) => a.kind === 'governance')) return {}
  const pool = config.pools.find((p) => p.id.toLowerCase() === policy.pool)
  const out: Record<number, { registry: Address; riskTimelock: Address }> = {}
  for (const [key, registry] of Object.entries(pool?.registries ?? {})) {
    const client = clients[Number(key)]
    if (client === undefined) continue
    const riskTimelock = await readContract(client, {
      address: registry,
      abi: parseAbi(['function riskTimelock() view returns (address)']),
      functionName: 'riskTimelock',
    })
    out[Number(key)] = { registry, riskTimelock }
  }
  if (Object.keys(out).length === 0) {
    throw new ApiError('A governance action needs the pool’s registry.', {
      details: `Pool ${policy.pool} has no registries in the config.`,
      metaMessages: ['Add pools[].registries ({ "<chainId>": "0x…" }) to the config, or remove the action.'],
    })
  }
  return out
}

/** Reads a policy: `.json` parsed, anything else imported (its default export). */
async function loadPolicyFile(path: string): Promise<KeeperPolicy> {
  const file = resolve(path)
  try {
    if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8')) as KeeperPolicy
    const module = (await import(pathToFileURL(file).href)) as { default?: KeeperPolicy }
    return module.default as KeeperPolicy
  } catch (error) {
    throw new ApiError('Cannot read the keeper policy.', {
      details: `${file}: ${(error as Error).message.split('\n')[0]}`,
      metaMessages: ['Pass --policy with a JSON file or a module that exports the policy as default.'],
      cause: error,
    })
  }
}
