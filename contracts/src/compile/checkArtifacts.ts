import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ContractsError } from '../errors/ContractsError.js'
import { type ArtifactsHashFile, artifactsHash, installedSolcVersion } from './artifactsHash.js'
import type { SolidityProject } from './SolidityProject.js'

/**
 * Checks that a project's committed artifacts are fresh: `hash.json` matches the sources, the
 * libraries they imported, the compiler and its settings.
 *
 * @param project The Solidity project.
 * @returns The current hash.
 * @throws ContractsError naming the project and the command that rebuilds it when stale.
 * @example
 * ```ts
 * checkArtifacts(contractsProject) // '5a1c...'
 * ```
 */
export function checkArtifacts(project: SolidityProject): string {
  const recorded = JSON.parse(
    readFileSync(join(project.artifactsDir, 'hash.json'), 'utf8'),
  ) as ArtifactsHashFile
  const now = artifactsHash(project, installedSolcVersion(project), recorded.librarySources)
  if (now !== recorded.hash) {
    throw new ContractsError(`${project.name} artifacts are stale.`, {
      details: `${basename(project.artifactsDir)}/: sources, solc or settings changed (hash ${now.slice(0, 12)} != recorded ${recorded.hash.slice(0, 12)}).`,
      metaMessages: [`Run \`pnpm --filter ${project.name} compile\` and commit its artifacts/.`],
    })
  }
  return now
}
