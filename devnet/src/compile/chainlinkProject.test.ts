import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ArtifactsHashFile, checkArtifacts } from '@ballast/contracts/compile'
import { describe, expect, it } from 'vitest'
import { project } from './chainlinkProject.js'

describe('Chainlink artifacts', () => {
  const recorded = JSON.parse(
    readFileSync(join(project.artifactsDir, 'hash.json'), 'utf8'),
  ) as ArtifactsHashFile

  it('are fresh (compiled with solc 0.6.6 from the published sources)', () => {
    expect(recorded.solcVersion).toBe('0.6.6')
    expect(checkArtifacts(project)).toBe(recorded.hash)
  })

  it('were read from the published package, not from our own files', () => {
    expect(recorded.librarySources).toContain('@chainlink/contracts-0.6/src/v0.6/EACAggregatorProxy.sol')
    expect(recorded.librarySources).toContain('@chainlink/contracts-0.6/src/v0.6/FluxAggregator.sol')
  })
})
