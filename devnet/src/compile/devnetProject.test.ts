import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ArtifactsHashFile, checkArtifacts } from '@ballast/contracts/compile'
import { describe, expect, it } from 'vitest'
import { project } from './devnetProject.js'

describe('devnet artifacts', () => {
  it('are fresh (compiled by the contracts package from devnet/contracts)', () => {
    const recorded = JSON.parse(
      readFileSync(join(project.artifactsDir, 'hash.json'), 'utf8'),
    ) as ArtifactsHashFile
    expect(checkArtifacts(project)).toBe(recorded.hash)
  })
})
