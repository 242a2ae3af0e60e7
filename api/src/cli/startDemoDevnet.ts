import type { DevnetManifest } from '@ballast/devnet'
import { loadDevnet } from './loadDevnet.js'

/** The demo's devnet: its manifest (written to `manifestPath`) and how to stop it. */
export type DemoDevnet = { manifest: DevnetManifest; manifestPath: string; stop: () => Promise<void> }

/**
 * Starts the demo devnet: 3 anvil chains with every contract, the `steady` scenario's history,
 * the LayerZero relayer, and live activity that keeps running; writes its manifest.
 *
 * @param manifestPath - where to write the manifest (the demo uses `.ballast/devnet.json`).
 * @returns the devnet.
 * @example
 * ```ts
 * const devnet = await startDemoDevnet('.ballast/devnet.json')
 * await devnet.stop()
 * ```
 */
export async function startDemoDevnet(manifestPath: string): Promise<DemoDevnet> {
  const { startDevnet } = await loadDevnet('ballast start (the demo, without --config)')
  const devnet = await startDevnet({
    chains: 3,
    scenario: 'steady',
    seed: 1,
    keepRunning: true,
    manifestPath,
  })
  return { manifest: devnet.manifest, manifestPath, stop: () => devnet.stop() }
}
