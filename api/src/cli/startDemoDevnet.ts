import { type DevnetManifest, startDevnet } from '@ballast/devnet'

/** The demo's devnet: its manifest (written to `manifestPath`) and how to stop it. */
export type DemoDevnet = { manifest: DevnetManifest; manifestPath: string; stop: () => Promise<void> }

/** Where the demo writes the devnet manifest. */
export const demoManifestPath = '.ballast/devnet.json'

/**
 * Starts the demo devnet: 3 anvil chains with every contract, the `steady` scenario's history,
 * the LayerZero relayer, and live activity that keeps running; writes its manifest.
 *
 * @returns the devnet.
 * @example
 * ```ts
 * const devnet = await startDemoDevnet()
 * await devnet.stop()
 * ```
 */
export async function startDemoDevnet(): Promise<DemoDevnet> {
  const devnet = await startDevnet({
    chains: 3,
    scenario: 'steady',
    seed: 1,
    keepRunning: true,
    manifestPath: demoManifestPath,
  })
  return { manifest: devnet.manifest, manifestPath: demoManifestPath, stop: () => devnet.stop() }
}
