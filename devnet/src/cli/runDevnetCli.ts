import { resolve } from 'node:path'
import { type Devnet, startDevnet } from '../startDevnet.js'
import { parseDevnetArgs } from '../validateDevnetOptions.js'

export type RunDevnetCliParameters = {
  /** Arguments after `devnet`, e.g. `['--chains', '3', '--scenario', 'crash']`. */
  argv: readonly string[]
  /** Where lines go (default console.log). */
  log?: ((line: string) => void) | undefined
  /** Resolves when the devnet should stop; default: the first SIGINT or SIGTERM. */
  until?: Promise<unknown> | undefined
  /** Called once the devnet is up (history laid down, manifest written). */
  onStarted?: ((devnet: Devnet) => void) | undefined
}

/**
 * `ballast devnet [--chains N] [--scenario steady|crash] [--seed S] [--manifest PATH] [--port P]
 * [--steps N] [--rate N] [--confirmations N] [--step-interval MS] [--no-live]`: starts the devnet,
 * writes the manifest (default `.ballast/devnet.json`), prints where everything is, runs live until
 * interrupted, then stops every chain.
 *
 * @param parameters argv and hooks.
 * @returns The devnet after it stopped.
 * @throws DevnetError for bad flags (before anything starts), a port in use, or a missing anvil.
 * @example
 * ```ts
 * await runDevnetCli({ argv: process.argv.slice(3) })
 * ```
 */
export async function runDevnetCli(parameters: RunDevnetCliParameters): Promise<Devnet> {
  const log = parameters.log ?? ((line: string) => console.log(line))
  const options = parseDevnetArgs(parameters.argv)
  const manifestPath = resolve(options.manifestPath ?? '.ballast/devnet.json')
  const devnet = await startDevnet({ ...options, manifestPath })
  const { chainsMs, deployMs, historyMs } = devnet.timings
  log(
    `devnet up: ${options.chains} chains in ${chainsMs.toFixed(0)} ms, deployed in ${deployMs.toFixed(0)} ms, ` +
      `${options.scenario} history (seed ${options.seed}) in ${historyMs.toFixed(0)} ms`,
  )
  for (const c of devnet.manifest.chains) log(`  ${c.name}: chain ${c.chainId}, eid ${c.eid}, ${c.rpcUrl}`)
  log(`manifest: ${manifestPath}`)
  parameters.onStarted?.(devnet)
  const until =
    parameters.until ??
    new Promise<void>((done) => {
      const onSignal = () => {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        done()
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    })
  if (options.keepRunning) log('running; Ctrl-C stops')
  try {
    if (options.keepRunning) await until
  } finally {
    await devnet.stop()
    log('devnet stopped')
  }
  return devnet
}
