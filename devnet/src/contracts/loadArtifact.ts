import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'
import { artifactsDir } from '../compile/artifactsHash.js'
import { DevnetError } from '../errors/DevnetError.js'

/** Names of the committed artifacts (ours compiled with solc-js, LayerZero's as shipped). */
export type ArtifactName =
  | 'DevnetOFT'
  | 'DevnetOFTAdapter'
  | 'DevnetPriceFeed'
  | 'DevnetToken'
  | 'DevnetVault'
  | 'EndpointV2'
  | 'HistoryStorm'
  | 'ReservePoolRegistry'
  | 'SimpleMessageLib'

export type Artifact = { contractName: string; abi: Abi; bytecode: Hex }

const cache = new Map<ArtifactName, Artifact>()

/**
 * Reads a committed artifact (`devnet/artifacts/<name>.json`). Never compiles: run
 * `pnpm --filter @ballast/devnet compile` after changing a contract.
 *
 * @param name The contract name.
 * @returns Its ABI and creation bytecode.
 * @example
 * ```ts
 * const { abi, bytecode } = loadArtifact('ReservePoolRegistry')
 * ```
 */
export function loadArtifact(name: ArtifactName): Artifact {
  const hit = cache.get(name)
  if (hit) return hit
  let artifact: Artifact
  try {
    artifact = JSON.parse(readFileSync(join(artifactsDir, `${name}.json`), 'utf8')) as Artifact
  } catch (cause) {
    throw new DevnetError('Contract artifact missing.', {
      details: `devnet/artifacts/${name}.json could not be read.`,
      metaMessages: ['Run `pnpm --filter @ballast/devnet compile`.'],
      cause,
    })
  }
  cache.set(name, artifact)
  return artifact
}
