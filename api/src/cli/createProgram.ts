import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { DevnetManifest } from '@ballast/devnet'
import {
  checkConfigOnChain,
  configFromDevnetManifest,
  defineConfig,
  runIndexerCommand,
} from '@ballast/indexer'
import { Argument, Command, InvalidArgumentError, Option } from 'commander'
import { ApiError } from '../errors/ApiError.js'
import type { ServerLimits } from '../server/serveApi.js'
import { attestCommand } from './attestCommand.js'
import { deployCommand, readDeploymentFile } from './deployCommand.js'
import { DEPLOYER_KEY_ENV, KEYSTORE_PASSWORD_ENV } from './deployerAccount.js'
import { formatFindings } from './formatFindings.js'
import { loadConfigFile } from './loadConfigFile.js'
import { loadDevnet } from './loadDevnet.js'
import { parseTime } from './parseTime.js'
import { planCommand } from './planCommand.js'
import { proveCommand } from './proveCommand.js'
import { parseTrancheOptions, type RiskCommandRequest, riskCommand } from './riskCommand.js'
import { type CliIo, processIo, runCli } from './runCli.js'
import { startCommand } from './startCommand.js'

/** The `--config` option of every command that reads a config (one default for all). */
const CONFIG_OPTION = 'config file (.ts or .json; default ballast.config.ts, else ballast.config.json)'

/** `--chains 1,base`: chain ids or names, checked against the config by the command. */
function chainList(value: string): (number | string)[] {
  const entries = value.split(',').map((v) => v.trim())
  if (entries.some((e) => e === ''))
    throw new InvalidArgumentError('chain ids or names, comma-separated (e.g. 1,base).')
  return entries.map((e) => (/^[0-9]+$/.test(e) ? Number(e) : e))
}

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535.')
  return n
}

function positive(value: string): number {
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('a positive whole number.')
  return n
}

/** The HTTP limits options of `start` and `serve` (`serveApi`'s `limits`; defaults there). */
type LimitOptions = {
  headersTimeout?: number
  requestTimeout?: number
  keepAliveTimeout?: number
  maxConnections?: number
}

function withLimitOptions(command: Command): Command {
  return command
    .option('--headers-timeout <ms>', "time to receive a request's headers (default 5000)", positive)
    .option('--request-timeout <ms>', 'time to receive a whole request (default 10000)', positive)
    .option('--keep-alive-timeout <ms>', 'idle time of a keep-alive connection (default 10000)', positive)
    .option(
      '--max-connections <n>',
      'open connections at most; more are closed at accept (default 1024)',
      positive,
    )
}

function serverLimitsOf(options: LimitOptions): Partial<ServerLimits> {
  return {
    ...(options.headersTimeout === undefined ? {} : { headersTimeoutMs: options.headersTimeout }),
    ...(options.requestTimeout === undefined ? {} : { requestTimeoutMs: options.requestTimeout }),
    ...(options.keepAliveTimeout === undefined ? {} : { keepAliveTimeoutMs: options.keepAliveTimeout }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
  }
}

function addresses(value: string): `0x${string}`[] {
  const list = value.split(',').map((a) => a.trim())
  if (list.length === 0 || list.some((a) => !/^0x[0-9a-fA-F]{40}$/.test(a)))
    throw new InvalidArgumentError('a comma-separated list of 0x addresses.')
  return list as `0x${string}`[]
}

function address(value: string): `0x${string}` {
  const [a] = addresses(value)
  return a as `0x${string}`
}

function seconds(value: string): bigint {
  if (!/^[0-9]+$/.test(value) || BigInt(value) === 0n)
    throw new InvalidArgumentError('a positive number of seconds.')
  return BigInt(value)
}

function proofSecret(io: CliIo): `0x${string}` {
  const env = process.env.BALLAST_PROOF_SECRET
  if (env !== undefined && env !== '') {
    if (!/^0x([0-9a-fA-F]{2}){32,}$/.test(env)) {
      throw new ApiError('BALLAST_PROOF_SECRET is not valid.', {
        details: 'It must be at least 32 bytes as 0x-prefixed hex.',
        metaMessages: ['Generate one with `openssl rand -hex 32` and prefix it with 0x.'],
      })
    }
    return env as `0x${string}`
  }
  io.err(
    'note: BALLAST_PROOF_SECRET is not set; salts are random, so this commitment cannot be rebuilt later.',
  )
  return `0x${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`
}

async function readManifest(path: string): Promise<DevnetManifest> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DevnetManifest
  } catch (cause) {
    throw new ApiError('Cannot read the devnet manifest.', {
      details: `${resolve(path)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      metaMessages: ['Start a devnet with `ballast devnet` (it writes .ballast/devnet.json).'],
      cause,
    })
  }
}

/**
 * Builds the `ballast` command line. Kept separate from the binary so tests can run commands
 * in-process and read what they print.
 *
 * @param io - where commands print (default: stdout and stderr).
 * @returns the commander program.
 * @example
 * ```ts
 * await createProgram().parseAsync(process.argv)
 * ```
 */
export function createProgram(io: CliIo = processIo): Command {
  const program = new Command()
    .name('ballast')
    .description('Multi-chain, cross-protocol reserve pooling: indexer, GraphQL API and reserve math.')
    .showHelpAfterError('(run `ballast --help` for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })

  withLimitOptions(
    program
      .command('start')
      .description(
        'Run the indexer and the GraphQL API in one process; with no config, on a local 3-chain devnet (the demo).',
      )
      .option(
        '-c, --config <path>',
        'config file (default ballast.config.ts, else ballast.config.json; with neither: the devnet demo)',
      )
      .option('--host <host>', 'host to listen on', '127.0.0.1')
      .option('-p, --port <port>', 'port to listen on', port, 4000),
  ).action(
    runCli(io, async (options: { config?: string; host: string; port: number } & LimitOptions) => {
      await startCommand({
        ...(options.config === undefined ? {} : { config: options.config }),
        host: options.host,
        port: options.port,
        serverLimits: serverLimitsOf(options),
        io,
      })
    }),
  )

  program
    .command('index')
    .description(
      'Run the indexer alone (no API): backfill every chain, then follow the heads until Ctrl-C; with --until-synced, stop once every chain reached its head. Never migrates (run `ballast migrate` first); on PostgreSQL one writer per chain (a second waits as a standby).',
    )
    .option('-c, --config <path>', CONFIG_OPTION)
    .option('--until-synced', 'stop once every chain has reached its head')
    .option(
      '--chains <chains>',
      'index only these chains, by id or name (comma-separated); other processes take the rest',
      chainList,
    )
    .option('--no-standby', 'PostgreSQL: exit at once when another indexer holds a chain, instead of waiting')
    .option('--metrics-port <port>', 'serve Prometheus metrics at /metrics on this port', port)
    .action(
      runCli(
        io,
        async (options: {
          config?: string
          untilSynced?: boolean
          chains?: (number | string)[]
          standby: boolean
          metricsPort?: number
        }) => {
          await runIndexerCommand({
            config: options.config,
            untilSynced: options.untilSynced === true,
            chains: options.chains,
            standby: options.standby,
            ...(options.metricsPort === undefined ? {} : { metrics: { port: options.metricsPort } }),
            onMetricsUrl: (url) => io.err(`metrics at ${url}`),
          })
          if (options.untilSynced) io.out('Synced.')
        },
      ),
    )

  withLimitOptions(
    program
      .command('serve')
      .description(
        'Serve the GraphQL API over a database that `ballast index` writes: read-only, never migrates; run several behind a load balancer.',
      )
      .option('-c, --config <path>', CONFIG_OPTION)
      .option('--host <host>', 'host to listen on', '127.0.0.1')
      .option('-p, --port <port>', 'port to listen on', port, 4000),
  ).action(
    runCli(io, async (options: { config?: string; host: string; port: number } & LimitOptions) => {
      const { serveCommand } = await import('./serveCommand.js')
      await serveCommand({
        config: await loadConfigFile(options.config),
        host: options.host,
        port: options.port,
        serverLimits: serverLimitsOf(options),
        io,
      })
    }),
  )

  program
    .command('migrate')
    .description(
      "Create or upgrade the database's schema (the one step that changes it; run it before `index` and `serve`).",
    )
    .option('-c, --config <path>', CONFIG_OPTION)
    .action(
      runCli(io, async (options: { config?: string }) => {
        const { migrateCommand } = await import('./migrateCommand.js')
        const { ran, applied } = await migrateCommand(await loadConfigFile(options.config))
        io.out(
          ran.length === 0
            ? `The schema is up to date (${applied.length} migrations).`
            : `Ran ${ran.length} migration(s): ${ran.join(', ')}. The schema is up to date (${applied.length} migrations).`,
        )
      }),
    )

  program
    .command('devnet')
    .description(
      'Run a local multi-chain devnet (anvil, contracts, LayerZero relayer, scenario activity) until Ctrl-C. ' +
        'Options: --chains N --scenario steady|crash --seed S --manifest PATH --port P --steps N --rate N ' +
        '--confirmations N --step-interval MS --no-live',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]', "the devnet's options (parsed by @ballast/devnet)")
    .action(
      runCli(io, async (args: string[]) => {
        // The devnet package owns its flags and their validation; this is only the entry point.
        const { runDevnetCli } = await loadDevnet('ballast devnet')
        await runDevnetCli({ argv: args, log: (line) => io.out(line) })
        io.out('Stopped.')
      }),
    )

  const config = program.command('config').description('Write and check configs.')
  config
    .command('from-devnet')
    .description('Write a config (JSON) for a running devnet from its manifest.')
    .argument('<manifest>', 'devnet manifest, e.g. .ballast/devnet.json')
    .option('-o, --out <path>', 'where to write the config', 'ballast.config.json')
    .option('--database <file>', 'SQLite file (default .ballast/ballast.sqlite) or a postgres:// URL')
    .action(
      runCli(io, async (manifestPath: string, options: { out: string; database?: string }) => {
        const manifest = await readManifest(manifestPath)
        const raw = configFromDevnetManifest(
          manifest,
          options.database === undefined ? {} : { database: options.database },
        )
        defineConfig(raw) // validate before writing
        await mkdir(dirname(resolve(options.out)), { recursive: true })
        await writeFile(options.out, `${JSON.stringify(raw, null, 2)}\n`)
        io.out(`wrote ${options.out} (${raw.chains.length} chains, ${raw.pools?.length ?? 0} pools)`)
      }),
    )

  config
    .command('check')
    .description(
      "Check a config against its chains: each URL's chain id, contracts have code, token decimals, feeds answer, archive state at startBlock - 1.",
    )
    .option('-c, --config <path>', CONFIG_OPTION)
    .action(
      runCli(io, async (options: { config?: string }) => {
        const findings = await checkConfigOnChain(await loadConfigFile(options.config))
        io.out(formatFindings(findings))
        if (findings.some((f) => f.status === 'fail')) process.exitCode = 1
      }),
    )

  program
    .command('prove')
    .description(
      'Print a solvency statement (JSON): Merkle-sum root of liabilities, adjusted reserves, inclusion proof.',
    )
    .requiredOption('--pool <id>', 'pool id (bytes32 hex)')
    .option('--member <id>', "prove this member's inclusion")
    .option('--at <time>', 'unix seconds or ISO-8601 date (default: latest indexed)')
    .option('-c, --config <path>', CONFIG_OPTION)
    .action(
      runCli(io, async (options: { pool: string; member?: string; at?: string; config?: string }) => {
        const result = await proveCommand({
          config: await loadConfigFile(options.config),
          poolId: options.pool,
          memberId: options.member,
          at: options.at === undefined ? undefined : parseTime(options.at),
          secret: proofSecret(io),
        })
        io.out(result.json)
        if (!result.ok) process.exitCode = 2
      }),
    )

  program
    .command('plan')
    .description("Plan the bridge transfers that put each chain's reserves where its liabilities circulate.")
    .requiredOption('--pool <id>', 'pool id (bytes32 hex)')
    .addOption(
      new Option('--objective <objective>', 'what to minimise')
        .choices(['cheapest', 'fastest'])
        .default('cheapest'),
    )
    .option('-c, --config <path>', CONFIG_OPTION)
    .option('--json', 'print the plan as JSON')
    .action(
      runCli(
        io,
        async (options: {
          pool: string
          objective: 'cheapest' | 'fastest'
          config?: string
          json?: boolean
        }) => {
          const { plan, text } = await planCommand({
            config: await loadConfigFile(options.config),
            poolId: options.pool,
            objective: options.objective,
          })
          io.out(
            options.json
              ? JSON.stringify(plan, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)
              : text,
          )
        },
      ),
    )

  program
    .command('keeper')
    .description(
      'Watch a pool and act on a policy at each new indexed head: record decisions (observe), or write Safe Transaction Builder batches for the signers (propose).',
    )
    .requiredOption('--policy <path>', 'the policy (JSON, or a module exporting it as default)')
    .addOption(
      new Option('--mode <mode>', 'how far to go (execute: sends with BALLAST_KEEPER_PRIVATE_KEY)')
        .choices(['observe', 'propose', 'execute'])
        .default('observe'),
    )
    .option('-o, --out <dir>', 'folder for the Safe batch files (required to propose)')
    .option(
      '--keystore <file>',
      'execute: the account as a keystore file (password in BALLAST_KEYSTORE_PASSWORD)',
    )
    .option('--once', 'decide once at the latest indexed state and exit')
    .option('--metrics-port <port>', 'serve Prometheus metrics at /metrics on this port', port)
    .option('-c, --config <path>', CONFIG_OPTION)
    .action(
      runCli(
        io,
        async (options: {
          policy: string
          mode: 'observe' | 'propose'
          out?: string
          keystore?: string
          once?: boolean
          metricsPort?: number
          config?: string
        }) => {
          const { keeperCommand } = await import('./keeperCommand.js')
          await keeperCommand({
            config: await loadConfigFile(options.config),
            policyPath: options.policy,
            mode: options.mode,
            outDir: options.out,
            keystore: options.keystore,
            metricsPort: options.metricsPort,
            // A webhook URL often carries a token: from the environment, never a flag in shell history.
            webhookUrl: process.env.BALLAST_KEEPER_WEBHOOK,
            once: options.once,
            io,
          })
        },
      ),
    )

  const risk = program
    .command('risk')
    .description(
      'Risk models on the indexed pool: backtest, forecast, recommend, tranches (tables; --json for the figures).',
    )
  const num = (value: string) => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.')
    return n
  }
  // Options are named after the GraphQL arguments (`--horizon-periods` is `horizonPeriods`), so
  // the parsed options are the request.
  const riskSubcommand = (kind: RiskCommandRequest['kind'], description: string) =>
    risk
      .command(kind)
      .description(description)
      .requiredOption('--pool <id>', 'pool id (bytes32 hex)')
      .option('-c, --config <path>', CONFIG_OPTION)
      .option('--json', 'print the figures as JSON')
      .action(
        runCli(
          io,
          async (options: Record<string, unknown> & { pool: string; config: string; json?: boolean }) => {
            const { pool, config: configPath, json, tranche, ...args } = options
            const request = {
              kind,
              ...args,
              ...(kind === 'tranches' ? { tranches: parseTrancheOptions(tranche as string[]) } : {}),
            } as RiskCommandRequest
            const { createDatabase } = await import('@ballast/indexer')
            const { createIndexerDataSource } = await import('../dataSource/createIndexerDataSource.js')
            const config = await loadConfigFile(configPath)
            const database = await createDatabase(config.database)
            try {
              const dataSource = createIndexerDataSource({ db: database.db, config })
              const { figures, text } = await riskCommand(dataSource, pool, request)
              io.out(json ? JSON.stringify(figures, null, 2) : text)
            } finally {
              await database.destroy()
            }
          },
        ),
      )
  riskSubcommand('backtest', 'Backtest the haircut (VaR) model per reserve asset and on the pooled ratio.')
    .option('--window <n>', 'tested periods', num, 250)
    .option('--confidence <q>', 'VaR confidence', num, 0.99)
    .option('--estimation-window <n>', 'periods the EWMA sees before each date', num, 100)
    .option('--horizon-periods <n>', 'VaR horizon in periods', num, 1)
    .option('--period-seconds <s>', 'length of a period', num, 86_400)
  riskSubcommand(
    'forecast',
    'Forecast net redemptions per chain and pool, with the liquidity coverage on it.',
  )
    .option('--horizon-periods <n>', 'horizon in periods', num, 30)
    .option('--period-seconds <s>', 'length of a period', num, 86_400)
    .option('--lookback-periods <n>', 'past periods observed', num, 90)
    .option('--confidence <q>', 'forecast quantile', num, 0.99)
    .option('--stress <x>', 'stress multiplier (>= 1)', num, 1)
    .option('--run-off-rate <rate>', 'stressed run-off floor (fraction of liabilities)', '0.1')
  riskSubcommand('recommend', 'Recommend haircut floors and the minimum ratio for a target P(insolvency).')
    .option('--target <p>', 'target probability of insolvency within the horizon', num, 0.01)
    .option('--horizon-days <n>', 'horizon of the minimum-ratio check', num, 10)
    .option('--paths <n>', 'Monte Carlo paths (at most 20,000)', num, 10_000)
    .option('--seed <n>', 'PRNG seed', num, 1)
  riskSubcommand('tranches', "Price insurance tranches on the pool's shortfall distribution.")
    .option(
      '--tranche <a:d>',
      'attachment:detachment in USD (repeat)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--cost-of-capital <rate>', 'annual cost of capital of the providers', num, 0.1)
    .option('--horizon-days <n>', 'horizon of the cover', num, 10)
    .option('--target <p>', 'target P(insolvency) for the cheapest set', num)
    .option('--paths <n>', 'Monte Carlo paths (at most 20,000)', num, 10_000)
    .option('--seed <n>', 'PRNG seed', num, 1)

  program
    .command('attest')
    .description(
      `Post the pool's current solvency statement (Merkle-sum root, liabilities, adjusted reserves, pooled ratio, blocks) on its ReserveAttestation. The attester account comes from --keystore (password in ${KEYSTORE_PASSWORD_ENV}) or ${DEPLOYER_KEY_ENV}.`,
    )
    .requiredOption('--pool <id>', 'pool id (bytes32 hex)')
    .requiredOption('--chain <name>', 'chain of the attestation contract')
    .requiredOption('--rpc <url>', 'JSON-RPC URL of that chain')
    .option('--attestation <address>', 'the ReserveAttestation (default: from the deployment file)', address)
    .option('--deployment <path>', 'deployment file (default deployments/<chain>.json)')
    .option('--keystore <path>', 'Web3 Secret Storage v3 keystore of the attester')
    .option('-c, --config <path>', CONFIG_OPTION)
    .action(
      runCli(
        io,
        async (options: {
          pool: string
          chain: string
          rpc: string
          attestation?: `0x${string}`
          deployment?: string
          keystore?: string
          config: string
        }) => {
          const deploymentPath = options.deployment ?? `deployments/${options.chain}.json`
          const attestation =
            options.attestation ?? (await readDeploymentFile(deploymentPath))?.contracts.attestation
          if (attestation === undefined) {
            throw new ApiError('No attestation contract.', {
              details: `Neither --attestation nor ${deploymentPath} gives one.`,
              metaMessages: ['Deploy it with `ballast deploy attestation`, or pass --attestation.'],
            })
          }
          const r = await attestCommand({
            config: await loadConfigFile(options.config),
            poolId: options.pool,
            chain: options.chain,
            rpc: options.rpc,
            attestation,
            keystore: options.keystore,
            secret: proofSecret(io),
            env: process.env,
          })
          io.out(
            `posted ${r.root} as of ${r.asOf}: liabilities ${r.totalLiabilities}, adjusted reserves ${r.adjustedReserves}, ratio ${r.pooledRatioWad} (1e18 = 100%), tx ${r.hash}`,
          )
        },
      ),
    )

  program
    .command('deploy')
    .description(
      `Deploy Ballast's contracts through the CREATE2 proxy (same addresses on every chain) and record them in a deployment file. The account comes from --keystore (password in ${KEYSTORE_PASSWORD_ENV}) or ${DEPLOYER_KEY_ENV}.`,
    )
    .addArgument(
      new Argument('<what>', 'registry (a timelock per role + ReservePoolRegistry) or attestation').choices([
        'registry',
        'attestation',
      ]),
    )
    .requiredOption('--chain <name>', 'chain name (recorded in the deployment file)')
    .requiredOption('--rpc <url>', 'JSON-RPC URL of the chain')
    .option('--dry-run', 'read the chain and print the plan; send and write nothing')
    .option('-o, --out <path>', 'deployment file (default deployments/<chain>.json)')
    .option('--keystore <path>', 'Web3 Secret Storage v3 keystore of the deploying account')
    .option('--min-delay <seconds>', 'registry: every timelock delay', seconds, 86_400n)
    .option(
      '--pool-admin <addresses>',
      'registry: pool admin proposers/executors (default: the deployer)',
      addresses,
    )
    .option(
      '--membership <addresses>',
      'registry: membership proposers/executors (default: the deployer)',
      addresses,
    )
    .option('--risk <addresses>', 'registry: risk proposers/executors (default: the deployer)', addresses)
    .option('--admin <address>', 'attestation: admin granting attesters (default: the deployer)', address)
    .option('--attester <address>', 'attestation: first attester (default: the deployer)', address)
    .action(
      runCli(
        io,
        async (
          what: 'registry' | 'attestation',
          options: {
            chain: string
            rpc: string
            dryRun?: boolean
            out?: string
            keystore?: string
            minDelay: bigint
            poolAdmin?: `0x${string}`[]
            membership?: `0x${string}`[]
            risk?: `0x${string}`[]
            admin?: `0x${string}`
            attester?: `0x${string}`
          },
        ) => {
          const out = options.out ?? `deployments/${options.chain}.json`
          const { results, written } = await deployCommand({
            ...options,
            what,
            out,
            dryRun: options.dryRun === true,
            env: process.env,
          })
          for (const r of results) io.out(`${r.status.padEnd(8)} ${r.key.padEnd(20)} ${r.address}`)
          io.out(written ? `wrote ${out}` : 'dry run: nothing sent, nothing written')
        },
      ),
    )

  return program
}
