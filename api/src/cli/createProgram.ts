import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { type DevnetManifest, runDevnetCli } from '@ballast/devnet'
import {
  checkConfigOnChain,
  configFromDevnetManifest,
  defineConfig,
  loadConfig,
  runIndexerCommand,
} from '@ballast/indexer'
import { Command, InvalidArgumentError, Option } from 'commander'
import { ApiError } from '../errors/ApiError.js'
import { formatFindings } from './formatFindings.js'
import { parseTime } from './parseTime.js'
import { planCommand } from './planCommand.js'
import { proveCommand } from './proveCommand.js'
import { type CliIo, processIo, runCli } from './runCli.js'
import { startCommand } from './startCommand.js'

/** The `--config` option of every command that reads a config (one default for all). */
const CONFIG_OPTION = 'config file (.ts or .json; default ballast.config.ts, else ballast.config.json)'

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535.')
  return n
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
    .option('-p, --port <port>', 'port to listen on', port, 4000)
    .action(
      runCli(io, async (options: { config?: string; host: string; port: number }) => {
        await startCommand({ ...options, io })
      }),
    )

  program
    .command('index')
    .description(
      'Run the indexer alone (no API): backfill every chain, then follow the heads until Ctrl-C; with --until-synced, stop once every chain reached its head.',
    )
    .option('-c, --config <path>', CONFIG_OPTION)
    .option('--until-synced', 'stop once every chain has reached its head')
    .action(
      runCli(io, async (options: { config?: string; untilSynced?: boolean }) => {
        await runIndexerCommand({ config: options.config, untilSynced: options.untilSynced === true })
        if (options.untilSynced) io.out('Synced.')
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
        const findings = await checkConfigOnChain(await loadConfig(options.config))
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
          config: await loadConfig(options.config),
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
            config: await loadConfig(options.config),
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

  return program
}
