import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk/abi'
import type { Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { type ArtifactName, loadArtifact } from './loadArtifact.js'

/** Canonical signature of an ABI item: name, input types (tuples expanded) and indexed flags. */
function signature(item: Abi[number]): string | undefined {
  if (item.type !== 'event' && item.type !== 'function') return undefined
  type Param = { type: string; indexed?: boolean | undefined; components?: readonly Param[] | undefined }
  const param = (p: Param): string => {
    const type = p.components ? `(${p.components.map(param).join(',')})${p.type.slice(5)}` : p.type
    return `${type}${p.indexed ? ' indexed' : ''}`
  }
  const outputs =
    item.type === 'function' ? ` returns (${(item.outputs as readonly Param[]).map(param).join(',')})` : ''
  return `${item.type} ${item.name}(${(item.inputs as readonly Param[]).map(param).join(',')})${outputs}`
}

const cases: [string, Abi, ArtifactName[]][] = [
  ['reservePoolRegistryAbi', reservePoolRegistryAbi, ['ReservePoolRegistry']],
  ['oftAbi', oftAbi, ['DevnetOFT', 'DevnetOFTAdapter']],
  ['aggregatorV3Abi', aggregatorV3Abi, ['DevnetPriceFeed']],
  ['erc4626Abi', erc4626Abi, ['DevnetVault']],
]

describe('compiled ABIs match the sdk ABIs other packages code against', () => {
  for (const [sdkName, sdkAbi, artifacts] of cases) {
    for (const artifact of artifacts) {
      it(`${artifact} has every event and function of ${sdkName}`, () => {
        const compiled = new Set(loadArtifact(artifact).abi.map(signature))
        const wanted = sdkAbi.map(signature).filter((s): s is string => s !== undefined)
        expect(wanted.length).toBeGreaterThan(0)
        expect(wanted.filter((s) => !compiled.has(s))).toEqual([])
      })
    }
  }
})
