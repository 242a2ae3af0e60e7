import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/ConfigError.js'
import { loadConfig } from './loadConfig.js'

const dir = mkdtempSync(join(tmpdir(), 'ballast-config-'))
const config = {
  chains: [{ chainId: 31337, rpcUrls: ['http://127.0.0.1:8545'], finalityDepth: 2, startBlock: 0 }],
  pools: [
    { id: `0x${'01'.repeat(32)}`, registries: { 31337: '0x000000000000000000000000000000000000a001' } },
  ],
  assets: [],
}

describe('loadConfig', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('loads JSON and module configs and validates them', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify(config))
    writeFileSync(join(dir, 'b.mjs'), `export default ${JSON.stringify({ ...config, database: 'x.sqlite' })}`)
    expect((await loadConfig(join(dir, 'a.json'))).chains[0]?.chainId).toBe(31337)
    expect((await loadConfig(join(dir, 'b.mjs'))).database).toEqual({ kind: 'sqlite', file: 'x.sqlite' })
  })

  it('fails with a ConfigError for a missing file, no default export, or a bad field', async () => {
    await expect(loadConfig(join(dir, 'missing.ts'))).rejects.toThrow(ConfigError)
    writeFileSync(join(dir, 'c.mjs'), 'export const x = 1')
    await expect(loadConfig(join(dir, 'c.mjs'))).rejects.toThrow('has no default export')
    writeFileSync(
      join(dir, 'd.json'),
      JSON.stringify({ ...config, chains: [{ ...config.chains[0], chainId: 0 }] }),
    )
    const error = await loadConfig(join(dir, 'd.json')).catch((e: unknown) => e)
    expect((error as ConfigError).field).toBe('chains[0].chainId')
  })

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the JSON config's own syntax
  it('fills "${env:NAME}" in a JSON config from the environment, inside longer strings too', async () => {
    process.env.BALLAST_TEST_RPC_KEY = 'k3y'
    try {
      const withEnv = {
        ...config,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the JSON config's own syntax
        chains: [{ ...config.chains[0], rpcUrls: ['http://127.0.0.1:8545/v2/${env:BALLAST_TEST_RPC_KEY}'] }],
      }
      writeFileSync(join(dir, 'e.json'), JSON.stringify(withEnv))
      expect((await loadConfig(join(dir, 'e.json'))).chains[0]?.rpcUrls).toEqual([
        'http://127.0.0.1:8545/v2/k3y',
      ])
    } finally {
      delete process.env.BALLAST_TEST_RPC_KEY
    }
  })
})
