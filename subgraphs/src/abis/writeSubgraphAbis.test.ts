import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { subgraphAbis } from './subgraphAbis.js'
import { writeSubgraphAbis } from './writeSubgraphAbis.js'

const abisDir = join(import.meta.dirname, '..', '..', 'abis')
const tmp = mkdtempSync(join(tmpdir(), 'ballast-abis-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('writeSubgraphAbis', () => {
  it('finds the committed abis/*.json up to date with the SDK (run `pnpm abis` when this fails)', () => {
    expect(writeSubgraphAbis(abisDir, { check: true })).toEqual([])
  })

  it('reports and rewrites a stale file', () => {
    expect(writeSubgraphAbis(tmp).sort()).toEqual(Object.keys(subgraphAbis).sort())
    writeFileSync(join(tmp, 'OFT.json'), '[]\n')
    expect(writeSubgraphAbis(tmp, { check: true })).toEqual(['OFT'])
    expect(writeSubgraphAbis(tmp)).toEqual(['OFT'])
    expect(JSON.parse(readFileSync(join(tmp, 'OFT.json'), 'utf8'))).toEqual(subgraphAbis.OFT)
    expect(writeSubgraphAbis(tmp, { check: true })).toEqual([])
  })
})
