import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type DevnetChainHandle, startChains } from './chains/startChains.js'
import type { DevnetManifest } from './DevnetManifest.js'
import { type DevnetDeployment, deployDevnet } from './deploy/deployDevnet.js'
import { createRelayer, type Relayer } from './relayer/createRelayer.js'
import { createScenarioRunner, type ScenarioRunner } from './scenario/createScenarioRunner.js'
import { findScenario } from './scenario/scenarios.js'
import {
  type DevnetOptions,
  type DevnetOptionsInput,
  validateDevnetOptions,
} from './validateDevnetOptions.js'

/** A running devnet. */
export type Devnet = {
  manifest: DevnetManifest
  /** Chains with viem clients (`public`, `wallet`, `test`). */
  chains: DevnetChainHandle[]
  deployment: DevnetDeployment
  relayer: Relayer
  runner: ScenarioRunner
  options: DevnetOptions
  /** Errors of live steps (`keepRunning`); a failed step is logged here and the next one still runs. */
  liveErrors: readonly unknown[]
  /** Milliseconds spent: chains up, contracts deployed, history laid down. */
  timings: { chainsMs: number; deployMs: number; historyMs: number }
  /** Stops live activity, the relayer and every anvil. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Starts a devnet: N anvil chains, every contract deployed and wired, a scenario's history laid down
 * deterministically (same options and seed, same blocks and logs), a relayer, and optionally live
 * activity. Writes the manifest to `manifestPath` when given. On any failure everything started is
 * stopped before the error propagates.
 *
 * @param input Options (see `DevnetOptions`); strings are accepted for numbers (CLI flags).
 * @returns The devnet.
 * @throws DevnetError for invalid options, a port in use, or a missing anvil.
 * @example
 * ```ts
 * const devnet = await startDevnet({ chains: 3, scenario: 'steady', seed: 1, manifestPath: '.ballast/devnet.json' })
 * console.log(devnet.manifest.chains.map((c) => c.rpcUrl))
 * await devnet.stop()
 * ```
 */
export async function startDevnet(input: DevnetOptionsInput = {}): Promise<Devnet> {
  const options = validateDevnetOptions(input)
  const scenario = findScenario(options.scenario)
  const t0 = performance.now()
  const running = await startChains({ count: options.chains, basePort: options.port })
  let relayer: Relayer | undefined
  let live: NodeJS.Timeout | undefined
  let liveStep: Promise<void> = Promise.resolve()
  let stopping = false
  const liveErrors: unknown[] = []
  const stop = async () => {
    stopping = true
    if (live) clearTimeout(live)
    await liveStep.catch(() => undefined)
    await relayer?.stop()
    await running.stop()
  }
  try {
    const t1 = performance.now()
    const deployment = await deployDevnet(running.chains)
    const t2 = performance.now()
    relayer = createRelayer({
      chains: running.chains.map((handle, i) => ({
        handle,
        endpoint: deployment.chains[i]?.endpoint as never,
        receiveLib: deployment.chains[i]?.receiveLib as never,
      })),
      account: deployment.relayer,
      confirmations: options.confirmations,
    })
    const runner = createScenarioRunner({
      chains: running.chains,
      deployment,
      relayer,
      confirmations: options.confirmations,
      scenario,
      seed: options.seed,
      steps: options.steps,
      actionsPerStep: options.actionsPerStep,
    })
    await runner.run()
    const t3 = performance.now()
    const manifest = buildManifest(options, running.chains, deployment, runner)
    if (options.manifestPath) {
      mkdirSync(dirname(options.manifestPath), { recursive: true })
      writeFileSync(options.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
    }
    if (options.relay === 'background') relayer.start()
    if (options.keepRunning) {
      const tick = () => {
        liveStep = runner.step().finally(() => {
          if (!stopping) live = setTimeout(tick, options.stepIntervalMs)
        })
        liveStep.catch((e) => liveErrors.push(e))
      }
      live = setTimeout(tick, options.stepIntervalMs)
    }
    return {
      manifest,
      chains: running.chains,
      deployment,
      relayer,
      runner,
      options,
      liveErrors,
      timings: { chainsMs: t1 - t0, deployMs: t2 - t1, historyMs: t3 - t2 },
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}

function buildManifest(
  options: DevnetOptions,
  chains: readonly DevnetChainHandle[],
  d: DevnetDeployment,
  runner: ScenarioRunner,
): DevnetManifest {
  return {
    version: 1,
    scenario: { name: options.scenario, seed: options.seed },
    chains: chains.map((c, i) => {
      const cd = d.chains[i] as DevnetDeployment['chains'][number]
      return {
        name: c.name,
        chainId: c.chainId,
        eid: c.eid,
        rpcUrl: c.rpcUrl,
        finalityDepth: options.confirmations,
        contracts: {
          endpoint: cd.endpoint,
          sendLib: cd.sendLib,
          receiveLib: cd.receiveLib,
          registry: cd.registry,
          poolAdminTimelock: cd.poolAdminTimelock,
          membershipTimelock: cd.membershipTimelock,
          riskTimelock: cd.riskTimelock,
          attestation: cd.attestation,
        },
        deployBlock: cd.deployBlock,
      }
    }),
    assets: d.assets,
    vaults: d.vaults,
    pools: runner.pools(),
  }
}
