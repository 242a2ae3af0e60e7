import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type ArtifactsHashFile, artifactsDir, artifactsHash, installedSolcVersion } from './artifactsHash.js'

describe('artifactsHash', () => {
  const recorded = JSON.parse(readFileSync(join(artifactsDir, 'hash.json'), 'utf8')) as ArtifactsHashFile

  it('matches the committed artifacts (they are fresh)', () => {
    expect(recorded.solcVersion).toBe(installedSolcVersion())
    expect(artifactsHash(installedSolcVersion(), recorded.librarySources)).toBe(recorded.hash)
  })

  it('changes with the compiler version and with the set of library sources', () => {
    expect(artifactsHash('0.8.29', recorded.librarySources)).not.toBe(recorded.hash)
    expect(artifactsHash(installedSolcVersion(), recorded.librarySources.slice(1))).not.toBe(recorded.hash)
  })
})
