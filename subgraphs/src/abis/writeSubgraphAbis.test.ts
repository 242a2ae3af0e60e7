import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { contractArtifact } from '@ballast/contracts'
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

  it('declares the governance events and getters exactly as the compiled production contracts', () => {
    // Names, types, `indexed` and outputs must all match.
    type Item = { type: string; name?: string; inputs?: unknown[]; outputs?: unknown[] }
    const shape = (i: Item) => ({
      type: i.type,
      name: i.name,
      inputs: (i.inputs ?? []).map((p) => {
        const { name, type, indexed } = p as { name: string; type: string; indexed?: boolean }
        return { name, type, indexed: indexed ?? false }
      }),
      outputs: (i.outputs ?? []).map((p) => (p as { type: string }).type),
    })
    const signatures = (abi: readonly unknown[]) =>
      new Set(
        (abi as Item[])
          .filter((i) => i.type === 'event' || i.type === 'function')
          .map((i) => JSON.stringify(shape(i))),
      )
    const pairs = [
      ['ReservePoolRegistry', 'ReservePoolRegistry'],
      ['Timelock', 'BallastTimelock'],
      ['ReserveAttestation', 'ReserveAttestation'],
    ] as const
    for (const [ours, contract] of pairs) {
      const production = signatures(contractArtifact(contract).abi)
      const declared = [...signatures(subgraphAbis[ours])]
      expect(declared.length).toBeGreaterThan(0)
      expect(declared.filter((s) => !production.has(s))).toEqual([])
    }
  })
})
