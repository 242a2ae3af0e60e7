import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ContractName, contractArtifact, contractNames } from '@ballast/contracts'
import type { Abi, Hex } from 'viem'
import { project as chainlinkProject } from '../compile/chainlinkProject.js'
import { project } from '../compile/devnetProject.js'
import { DevnetError } from '../errors/DevnetError.js'

/**
 * Names of the committed artifacts: the devnet's own (compiled with solc-js, LayerZero's as
 * shipped), Chainlink's feeds (compiled from their published 0.6 sources) and Ballast's production
 * contracts from `@ballast/contracts`.
 */
export type ArtifactName =
  | ContractName
  | 'AccruingVault'
  | 'DevnetOFT'
  | 'DevnetOFTAdapter'
  | 'DevnetPriceFeed'
  | 'DevnetSequencerUptimeFeed'
  | 'DevnetToken'
  | 'DevnetVault'
  | 'EACAggregatorProxy'
  | 'EndpointV2'
  | 'FluxAggregator'
  | 'HistoryStorm'
  | 'RebasingShares'
  | 'SimpleMessageLib'

/** Artifacts built by the Chainlink 0.6 project (`devnet/artifacts-chainlink/`). */
const chainlinkArtifacts = new Set<string>(Object.keys(chainlinkProject.publishedSources ?? {}))

export type Artifact = { contractName: string; abi: Abi; bytecode: Hex }

const cache = new Map<ArtifactName, Artifact>()

/**
 * Reads a committed artifact (`devnet/artifacts/<name>.json`, `devnet/artifacts-chainlink/` for
 * Chainlink's, or the contracts package's for its contracts). Never compiles: run `pnpm --filter @ballast/devnet compile` after changing a contract.
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
  const dir = chainlinkArtifacts.has(name) ? chainlinkProject.artifactsDir : project.artifactsDir
  let artifact: Artifact
  try {
    artifact = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Artifact
  } catch (cause) {
    throw new DevnetError('Contract artifact missing.', {
      details: `${join(dir, `${name}.json`)} could not be read.`,
      metaMessages: ['Run `pnpm --filter @ballast/devnet compile`.'],
      cause,
    })
  }
  cache.set(name, artifact)
  return artifact
}
