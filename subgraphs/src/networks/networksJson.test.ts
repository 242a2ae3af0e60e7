import { describe, expect, it } from 'vitest'
import { networksJson } from './networksJson.js'

const registry = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

describe('networksJson', () => {
  it('maps networks to data sources with lowercase addresses', () => {
    expect(
      networksJson([
        { name: 'ballast-devnet-1', contracts: { Registry: { address: registry, startBlock: 3 } } },
      ]),
    ).toEqual({
      'ballast-devnet-1': { Registry: { address: registry.toLowerCase(), startBlock: 3 } },
    })
  })

  it('rejects bad addresses, blocks and duplicate networks with the field named', () => {
    expect(() =>
      networksJson([{ name: 'n', contracts: { Registry: { address: '0x12', startBlock: 0 } } }]),
    ).toThrow('Invalid address for n.Registry')
    expect(() =>
      networksJson([{ name: 'n', contracts: { Registry: { address: registry, startBlock: -1 } } }]),
    ).toThrow('Invalid startBlock for n.Registry')
    expect(() =>
      networksJson([
        { name: 'n', contracts: {} },
        { name: 'n', contracts: {} },
      ]),
    ).toThrow('listed twice')
  })
})
