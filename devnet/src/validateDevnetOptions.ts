import { maxDevnetChains } from './chains/devnetChainSpec.js'
import { DevnetError } from './errors/DevnetError.js'
import { findScenario } from './scenario/scenarios.js'

/** Options of `startDevnet` (and of `ballast devnet`). */
export type DevnetOptions = {
  /** Number of chains, 1 to 8. Default 3. */
  chains: number
  /** Scenario name: `steady` or `crash`. Default `steady`. */
  scenario: string
  /** Seed of the activity generator. Default 1. */
  seed: number
  /** History length in steps (default: the scenario's). */
  steps?: number | undefined
  /** Random actions per step (default: the scenario's). */
  actionsPerStep?: number | undefined
  /** First port (chain i on port + i); omitted: free ports. */
  port?: number | undefined
  /** Where to write the manifest JSON; omitted: not written. */
  manifestPath?: string | undefined
  /** Source-chain confirmations before the relayer delivers; also the chains' finality depth. Default 2. */
  confirmations: number
  /** After the history, keep stepping the scenario live every `stepIntervalMs`. Default false. */
  keepRunning: boolean
  /** Live step interval in ms. Default 2000. */
  stepIntervalMs: number
  /** `background` (default): the relayer polls by itself after the history; `manual`: call `relayer.poll()`. */
  relay: 'background' | 'manual'
}

/** What callers may pass: every field optional; numbers may come as strings (CLI flags). */
export type DevnetOptionsInput = { [K in keyof DevnetOptions]?: DevnetOptions[K] | string | undefined }

function integer(name: string, value: unknown, min: number, max: number, hint: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new DevnetError(`Invalid --${name}.`, {
      details: `${name} = ${JSON.stringify(value)}; expected an integer from ${min} to ${max}.`,
      metaMessages: [hint],
    })
  }
  return n
}

/**
 * Validates and completes devnet options (from code or from CLI flags, where numbers are strings).
 *
 * @param input The options.
 * @returns Options with defaults filled in.
 * @throws DevnetError with the offending value and a hint, e.g. for `--chains 0` or an unknown scenario.
 * @example
 * ```ts
 * validateDevnetOptions({ chains: '3', scenario: 'crash', seed: '7' }).chains // 3
 * ```
 */
export function validateDevnetOptions(input: DevnetOptionsInput = {}): DevnetOptions {
  const chains = integer('chains', input.chains ?? 3, 1, maxDevnetChains, 'Use --chains 3 (the default).')
  const scenario = String(input.scenario ?? 'steady')
  findScenario(scenario)
  const seed = integer('seed', input.seed ?? 1, 0, 2 ** 32 - 1, 'Use any integer from 0 to 4294967295.')
  const opt = (name: string, v: unknown, min: number, max: number, hint: string) =>
    v === undefined ? undefined : integer(name, v, min, max, hint)
  const relay = input.relay ?? 'background'
  if (relay !== 'background' && relay !== 'manual') {
    throw new DevnetError('Invalid relay mode.', {
      details: `relay = ${JSON.stringify(relay)}; expected "background" or "manual".`,
    })
  }
  return {
    chains,
    scenario,
    seed,
    steps: opt('steps', input.steps, 0, 1_000_000, 'Use --steps 24 for a short history.'),
    actionsPerStep: opt('rate', input.actionsPerStep, 0, 10_000, 'Use --rate 6 (actions per step).'),
    port: opt('port', input.port, 1, 65_535, 'Omit --port to pick free ports.'),
    manifestPath: input.manifestPath === undefined ? undefined : String(input.manifestPath),
    confirmations: integer('confirmations', input.confirmations ?? 2, 0, 64, 'Use 2 (the default).'),
    keepRunning: input.keepRunning === true || input.keepRunning === 'true',
    stepIntervalMs: integer('step-interval', input.stepIntervalMs ?? 2_000, 10, 3_600_000, 'Use 2000 ms.'),
    relay,
  }
}

/**
 * Parses `ballast devnet` flags: `--chains N --scenario NAME --seed S --manifest PATH --port P
 * --steps N --rate N --confirmations N --step-interval MS --no-live`.
 *
 * @param argv The arguments after `devnet`.
 * @returns Validated options (`keepRunning` defaults to true for the CLI: it runs until interrupted).
 * @throws DevnetError for an unknown flag, a missing value, or an invalid value.
 * @example
 * ```ts
 * parseDevnetArgs(['--chains', '3', '--scenario', 'crash']).scenario // 'crash'
 * ```
 */
export function parseDevnetArgs(argv: readonly string[]): DevnetOptions {
  const flags: Record<string, keyof DevnetOptions> = {
    '--chains': 'chains',
    '--scenario': 'scenario',
    '--seed': 'seed',
    '--manifest': 'manifestPath',
    '--port': 'port',
    '--steps': 'steps',
    '--rate': 'actionsPerStep',
    '--confirmations': 'confirmations',
    '--step-interval': 'stepIntervalMs',
  }
  const input: Record<string, unknown> = { keepRunning: true }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--no-live') {
      input.keepRunning = false
      continue
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg]
    const key = flag === undefined ? undefined : flags[flag]
    if (!key) {
      throw new DevnetError('Unknown option.', {
        details: `${arg} is not an option of ballast devnet.`,
        metaMessages: [`Options: ${Object.keys(flags).join(', ')}, --no-live.`],
      })
    }
    const value = inline ?? argv[++i]
    if (value === undefined || value.startsWith('--')) {
      throw new DevnetError('Missing option value.', { details: `${flag} needs a value.` })
    }
    input[key] = value
  }
  return validateDevnetOptions(input as DevnetOptionsInput)
}
