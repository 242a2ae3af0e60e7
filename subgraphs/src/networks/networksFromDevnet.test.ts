import type { DevnetManifest } from '@ballast/devnet'
import { describe, expect, it } from 'vitest'
import { networksFromDevnet } from './networksFromDevnet.js'
import { contextsJson, networksJson } from './networksJson.js'

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const
/** The devnet's Ballast contracts beyond the registry (timelocks, attestation), from address n on. */
const ballast = (n: number) => ({
  poolAdminTimelock: a(n),
  membershipTimelock: a(n + 1),
  riskTimelock: a(n + 2),
  attestation: a(n + 3),
})

const manifest: DevnetManifest = {
  version: 1,
  scenario: { name: 'steady', seed: 1 },
  chains: [31337, 31338].map((chainId, i) => ({
    name: i === 0 ? 'alpha' : 'beta',
    chainId,
    eid: 40101 + i,
    rpcUrl: 'http://127.0.0.1:1',
    finalityDepth: 2,
    contracts: { ...ballast(20), endpoint: a(1), sendLib: a(2), receiveLib: a(3), registry: a(10 + i) },
    deployBlock: 4 + i,
  })),
  assets: [
    {
      symbol: 'USDC',
      decimals: 6,
      homeChainId: 31337,
      tokens: { 31337: { token: a(20), oft: a(21) }, 31338: { token: a(22), oft: a(22) } },
      feed: { chainId: 31337, address: a(30), decimals: 8 },
    },
  ],
  vaults: [{ chainId: 31338, address: a(40), symbol: 'vUSDC', asset: 'USDC' }],
  pools: [],
}

describe('networksFromDevnet', () => {
  it('gives each chain its registry, reserve tokens, vaults, OFTs, the feeds living there, timelocks and attestation', () => {
    const networks = networksFromDevnet(manifest)
    expect(networksJson(networks)).toEqual({
      'ballast-devnet-31337': { Registry: { address: a(10), startBlock: 4 } },
      'ballast-devnet-31338': { Registry: { address: a(11), startBlock: 5 } },
    })
    expect(contextsJson(networks)).toEqual({
      'ballast-devnet-31337': {
        reserveTokens: a(20),
        vaults: '',
        ofts: a(21),
        feeds: `USDC:${a(30)}`,
        timelocks: [a(20), a(21), a(22)].join(','),
        attestations: a(23),
      },
      'ballast-devnet-31338': {
        reserveTokens: a(22),
        vaults: a(40),
        ofts: a(22),
        feeds: '',
        timelocks: [a(20), a(21), a(22)].join(','),
        attestations: a(23),
      },
    })
  })

  it('rejects a feed symbol the mapping could not parse', () => {
    expect(() =>
      contextsJson([
        {
          name: 'n',
          contracts: {},
          context: { reserveTokens: [], vaults: [], ofts: [], feeds: [{ symbol: 'A:B', address: a(1) }] },
        },
      ]),
    ).toThrow('Invalid feed symbol for n: "A:B".')
  })
})
