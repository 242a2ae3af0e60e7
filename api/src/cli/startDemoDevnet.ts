import type { DevnetManifest } from '@ballast/devnet'
import { ApiError } from '../errors/ApiError.js'

/** The demo's devnet: its manifest (written to `manifestPath`) and how to stop it. */
export type DemoDevnet = { manifest: DevnetManifest; manifestPath: string; stop: () => Promise<void> }

/**
 * Starts the demo devnet (3 chains, `steady` scenario, kept running) and writes its manifest.
 *
 * @returns the devnet.
 * @example
 * ```ts
 * const devnet = await startDemoDevnet()
 * ```
 */
export async function startDemoDevnet(): Promise<DemoDevnet> {
  // Wired to @ballast/devnet's startDevnet as soon as it is published by the devnet package.
  throw new ApiError('The devnet demo is not available in this build yet.', {
    code: 'NOT_AVAILABLE',
    metaMessages: ['Run `ballast start --config ballast.config.json` against your own chains.'],
  })
}
