import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type ArtifactsHashFile, artifactsHash, installedSolcVersion } from './artifactsHash.js'
import { checkArtifacts } from './checkArtifacts.js'
import { contractsProject } from './contractsProject.js'

describe('artifactsHash', () => {
  const recorded = JSON.parse(
    readFileSync(join(contractsProject.artifactsDir, 'hash.json'), 'utf8'),
  ) as ArtifactsHashFile

  it('matches the committed artifacts (they are fresh)', () => {
    expect(recorded.solcVersion).toBe(installedSolcVersion())
    expect(checkArtifacts(contractsProject)).toBe(recorded.hash)
  })

  it('changes with the compiler version and with the set of library sources', () => {
    expect(artifactsHash(contractsProject, '0.8.29', recorded.librarySources)).not.toBe(recorded.hash)
    expect(
      artifactsHash(contractsProject, installedSolcVersion(), recorded.librarySources.slice(1)),
    ).not.toBe(recorded.hash)
  })

  it('refuses stale artifacts with the command that rebuilds them', () => {
    const elsewhere = {
      ...contractsProject,
      name: '@ballast/devnet',
      sourcesDir: join(contractsProject.packageDir, 'src', 'compile'),
    }
    expect(() => checkArtifacts({ ...elsewhere, artifactsDir: contractsProject.artifactsDir })).toThrow(
      /artifacts are stale[\s\S]*pnpm --filter @ballast\/devnet compile/,
    )
  })
})
