import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  configFromDevnetManifest,
  configPath,
  defineConfig,
  type ResolvedIndexerConfig,
} from '@ballast/indexer'
import {
  createBallastClient,
  KeeperDecisionsDocument,
  PoolHealthDocument,
  type PoolHealthQuery,
  PoolsDocument,
} from '@ballast/sdk/client'
import type { ServerLimits } from '../server/serveApi.js'
import { type RunningBallast, startBallast } from '../startBallast.js'
import { formatKeeperLine, formatPoolSummary } from './formatPoolSummary.js'
import { loadConfigFile } from './loadConfigFile.js'
import type { CliIo } from './runCli.js'
import { type DemoDevnet, startDemoDevnet } from './startDemoDevnet.js'
import { untilSignal } from './untilSignal.js'

/** Options of {@link startCommand}. */
export type StartCommandOptions = {
  config?: string | undefined
  host: string
  port: number
  /** HTTP timeouts and the connection bound (`--max-connections` etc.; defaults: `defaultServerLimits`). */
  serverLimits?: Partial<ServerLimits> | undefined
  io: CliIo
  /** Resolves when the command should stop (default: SIGINT or SIGTERM). */
  until?: Promise<void>
  /** Where the demo keeps its database and devnet manifest (default `.ballast`). */
  stateDir?: string
  /** Built dashboard served at `/` (default: the repository's `web/dist`). */
  dashboardDir?: string | URL
  /** Called once everything runs (tests query the API here). */
  onReady?: (ballast: RunningBallast) => void
}

/**
 * The repository's built dashboard (`web/dist`, built by `web/scripts/buildIfChanged.mjs`, which
 * `npm start` and `npm test` run first). A folder, not an import: the api never loads web's code.
 */
export const defaultDashboardDir = new URL('../../../web/dist/', import.meta.url)

/** SQLite file of the demo under its state directory (recreated on each run: the chains are new each time). */
export const demoDatabaseName = 'demo.sqlite'

/**
 * Prints the health summary of every pool, read through the API itself with the sdk client
 * (`ballast start` and `ballast serve`).
 *
 * @param ballast - the running API (of `startBallast` or `serveBallast`).
 * @param io - where to print.
 * @returns nothing.
 * @example
 * ```ts
 * await printSummary(ballast, io)
 * ```
 */
export async function printSummary(ballast: Pick<RunningBallast, 'url' | 'api'>, io: CliIo): Promise<void> {
  const client = createBallastClient({
    url: ballast.url,
    fetch: (input, init) => ballast.api.fetch(input, init),
  })
  const { pools } = await client.request(PoolsDocument, { first: 100 })
  for (const p of pools.nodes) {
    // A pool without figures yet (say, `ballast serve` during a backfill) is said so: the summary
    // never stops the server.
    let pool: PoolHealthQuery['pool']
    try {
      pool = (await client.request(PoolHealthDocument, { id: p.id })).pool
    } catch (error) {
      io.out(
        `\nPool ${p.name} (${p.id.slice(0, 10)}…): no figures yet: ${error instanceof Error ? error.message : String(error)}`,
      )
      continue
    }
    const { pool: keeper } = await client.request(KeeperDecisionsDocument, { id: p.id, first: 1 })
    io.out(`\n${formatPoolSummary(pool)}\n${formatKeeperLine(keeper.decisions.nodes[0])}`)
  }
}

/**
 * `ballast start`: the indexer and the API in one process. With a config file (`--config`, or the
 * default `ballast.config.ts`/`.json` when present), over its chains; without one, the demo: a fresh 3-chain devnet running the `steady` scenario, indexed into
 * SQLite under `.ballast/`. Prints where to look and a pool health summary, then runs until
 * Ctrl-C, and stops everything (API, indexer, database, devnet) cleanly.
 *
 * @param options - config path, listen address, io.
 * @returns when stopped.
 * @example
 * ```ts
 * await startCommand({ host: '127.0.0.1', port: 4000, io: processIo })
 * ```
 */
export async function startCommand(options: StartCommandOptions): Promise<void> {
  const { io } = options
  const signals = options.until === undefined ? untilSignal(io) : undefined
  const until = options.until ?? (signals as { received: Promise<void> }).received
  let devnet: DemoDevnet | undefined
  let ballast: RunningBallast | undefined
  try {
    let config: ResolvedIndexerConfig
    // No --config: the default config file when there is one here, else the demo.
    const path = options.config ?? (existsSync(configPath()) ? configPath() : undefined)
    if (path !== undefined) {
      config = await loadConfigFile(path)
    } else {
      io.out(
        'Starting the demo devnet: 3 anvil chains, Ballast contracts, LayerZero relayer, `steady` scenario…',
      )
      const stateDir = options.stateDir ?? '.ballast'
      const demoDatabaseFile = join(stateDir, demoDatabaseName)
      devnet = await startDemoDevnet(join(stateDir, 'devnet.json'))
      await rm(demoDatabaseFile, { force: true })
      await rm(`${demoDatabaseFile}-wal`, { force: true })
      await rm(`${demoDatabaseFile}-shm`, { force: true })
      config = defineConfig(
        configFromDevnetManifest(devnet.manifest, { database: { kind: 'sqlite', file: demoDatabaseFile } }),
      )
      for (const c of devnet.manifest.chains)
        io.out(`  chain ${c.name} (id ${c.chainId}, eid ${c.eid}) ${c.rpcUrl}`)
      io.out(`  manifest ${devnet.manifestPath}`)
    }
    io.out(
      `Indexing ${config.chains.length} chains into ${config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL'}…`,
    )
    ballast = await startBallast({
      config,
      host: options.host,
      port: options.port,
      ...(options.serverLimits === undefined ? {} : { serverLimits: options.serverLimits }),
      api: { dashboardDir: options.dashboardDir ?? defaultDashboardDir },
      ...(path === undefined ? { logger: false as const } : {}),
    })
    io.out(
      [
        '',
        'Ballast is running.',
        `  Dashboard               ${ballast.origin}/   (open it in a browser)`,
        `  GraphQL API + GraphiQL  ${ballast.url}`,
        `  health                  ${ballast.origin}/healthz`,
        `  Prometheus metrics      ${ballast.origin}/metrics`,
      ].join('\n'),
    )
    await printSummary(ballast, io)
    io.out(
      [
        '',
        'Try:',
        `  curl -s ${ballast.url} -H 'content-type: application/json' \\`,
        `    -d '{"query":"{ pools { nodes { name reserveRatio members { nodes { name reserveRatio } } } } }"}'`,
        '',
        devnet === undefined
          ? 'Press Ctrl-C to stop.'
          : 'The devnet keeps producing activity; the indexer follows it. Press Ctrl-C to stop everything.',
      ].join('\n'),
    )
    options.onReady?.(ballast)
    await until
    io.out('Stopping…')
  } finally {
    try {
      await ballast?.stop()
      await devnet?.stop()
    } finally {
      signals?.release()
    }
  }
  io.out('Stopped.')
}
