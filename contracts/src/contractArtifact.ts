import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'
import { contractsProject } from './compile/contractsProject.js'
import { ContractsError } from './errors/ContractsError.js'

/** Ballast's production contracts (and the example `GatedMinter`), as committed in `contracts/artifacts/`. */
export const contractNames = [
  'BallastTimelock',
  'GatedMinter',
  'ReserveAttestation',
  'ReservePoolRegistry',
] as const
export type ContractName = (typeof contractNames)[number]

export type ContractArtifact = { contractName: string; abi: Abi; bytecode: Hex }

const cache = new Map<ContractName, ContractArtifact>()

/**
 * Reads a committed artifact (`contracts/artifacts/<name>.json`). Never compiles: run
 * `pnpm --filter @ballast/contracts compile` after changing a contract.
 *
 * @param name The contract name.
 * @returns Its ABI and creation bytecode.
 * @example
 * ```ts
 * const { abi, bytecode } = contractArtifact('ReservePoolRegistry')
 * ```
 */
export function contractArtifact(name: ContractName): ContractArtifact {
  const hit = cache.get(name)
  if (hit) return hit
  let artifact: ContractArtifact
  try {
    artifact = JSON.parse(
      readFileSync(join(contractsProject.artifactsDir, `${name}.json`), 'utf8'),
    ) as ContractArtifact
  } catch (cause) {
    throw new ContractsError('Contract artifact missing.', {
      details: `contracts/artifacts/${name}.json could not be read.`,
      metaMessages: ['Run `pnpm --filter @ballast/contracts compile`.'],
      cause,
    })
  }
  cache.set(name, artifact)
  return artifact
}
