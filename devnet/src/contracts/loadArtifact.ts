import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ContractName, contractArtifact, contractNames } from '@ballast/contracts'
import type { Abi, Hex } from 'viem'
import { project } from '../compile/devnetProject.js'
import { DevnetError } from '../errors/DevnetError.js'

/**
 * Names of the committed artifacts: the devnet's own (compiled with solc-js, LayerZero's as
 * shipped) and Ballast's production contracts from `@ballast/contracts`.
 */
export type ArtifactName =
  | ContractName
  | 'DevnetOFT'
  | 'DevnetOFTAdapter'
  | 'DevnetPriceFeed'
  | 'DevnetToken'
  | 'DevnetVault'
  | 'EndpointV2'
  | 'HistoryStorm'
  | 'SimpleMessageLib'

export type Artifact = { contractName: string; abi: Abi; bytecode: Hex }

const cache = new Map<ArtifactName, Artifact>()

/**
 * Reads a committed artifact (`devnet/artifacts/<name>.json`, or the contracts package's for its
 * contracts). Never compiles: run `pnpm --filter @ballast/devnet compile` after changing a contract.
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
  if ((contractNames as readonly string[]).includes(name)) return contractArtifact(name as ContractName)
  let artifact: Artifact
  try {
    artifact = JSON.parse(readFileSync(join(project.artifactsDir, `${name}.json`), 'utf8')) as Artifact
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
