import type { DevnetManifest } from '@ballast/devnet'
import { describe, expect, it } from 'vitest'
import { configFromDevnetManifest } from './configFromDevnetManifest.js'
import { defineConfig } from './defineConfig.js'

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
  chains: [
    {
      name: 'alpha',
      chainId: 31337,
      eid: 40101,
      rpcUrl: 'http://127.0.0.1:8545',
      finalityDepth: 5,
      contracts: { ...ballast(20), endpoint: a(1), sendLib: a(2), receiveLib: a(3), registry: a(4) },
      deployBlock: 7,
    },
    {
      name: 'beta',
      chainId: 31338,
      eid: 40102,
      rpcUrl: 'http://127.0.0.1:8546',
      finalityDepth: 3,
      contracts: { ...ballast(20), endpoint: a(11), sendLib: a(12), receiveLib: a(13), registry: a(14) },
      deployBlock: 9,
    },
  ],
  assets: [
    {
      symbol: 'USDC',
      decimals: 6,
      homeChainId: 31337,
      tokens: { 31337: { token: a(20), oft: a(21) }, 31338: { token: a(22), oft: a(22) } },
      feed: { chainId: 31337, address: a(23), decimals: 8 },
    },
  ],
  vaults: [{ chainId: 31338, address: a(30), symbol: 'vUSDC', asset: 'USDC' }],
  pools: [
    { id: `0x${'01'.repeat(32)}`, name: 'main', minRatioBps: 10_000, targetRatioBps: 12_000, members: [] },
  ],
}

describe('configFromDevnetManifest', () => {
  it('maps chains, registries, assets, feeds and vaults into a valid config', () => {
    const config = defineConfig(configFromDevnetManifest(manifest, { database: '.ballast/x.sqlite' }))
    expect(config.database).toEqual({ kind: 'sqlite', file: '.ballast/x.sqlite' })
    expect(config.chains.map((c) => [c.name, c.chainId, c.eid, c.startBlock, c.finalityDepth])).toEqual([
      ['alpha', 31337, 40101, 7, 5],
      ['beta', 31338, 40102, 9, 3],
    ])
    expect(config.pools[0]?.registries).toEqual({ 31337: a(4), 31338: a(14) })
    expect(config.assets[0]?.tokens).toEqual({ 31337: a(20), 31338: a(22) })
    expect(config.assets[0]?.ofts).toEqual({ 31337: a(21), 31338: a(22) })
    // The manifest gives no heartbeat: the feed gets the documented default, so a stale devnet
    // price is flagged `stale-price`.
    expect(config.assets[0]?.feed).toEqual({ chainId: 31337, address: a(23), decimals: 8, maxAge: 86_400 })
    // A vault is an erc4626 asset of its one chain, valued through its underlying.
    expect(config.assets.find((x) => x.symbol === 'vUSDC')).toEqual({
      symbol: 'vUSDC',
      kind: 'erc4626',
      decimals: config.assets[0]?.decimals,
      tokens: { 31338: a(30) },
      underlying: 'USDC',
    })
  })
})
