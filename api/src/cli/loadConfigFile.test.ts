import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DeploymentFile } from './deployCommand.js'
import { loadConfigFile } from './loadConfigFile.js'

const dir = mkdtempSync(join(tmpdir(), 'ballast-config-'))
const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`
const POOL = `0x${'ab'.repeat(32)}`

function deployment(name: string, chainId: number, registry: string): string {
  const file: DeploymentFile = {
    chain: name,
    chainId,
    salt: `0x${'00'.repeat(32)}`,
    contracts: { registry: registry as `0x${string}` },
    blocks: { registry: 5 },
  }
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(file))
  return `${name}.json`
}

function config(pool: Record<string, unknown>): string {
  const path = join(dir, `config-${Math.random()}.json`)
  writeFileSync(
    path,
    JSON.stringify({
      chains: [1, 2].map((chainId) => ({
        chainId,
        rpcUrls: ['http://127.0.0.1:1'],
        finalityDepth: 4,
        startBlock: 0,
      })),
      pools: [{ id: POOL, ...pool }],
      assets: [{ symbol: 'USDC', decimals: 6, tokens: { 1: a(9) } }],
    }),
  )
  return path
}

describe('loadConfigFile', () => {
  it("takes a pool's registries from the deployment files it names", async () => {
    const files = [deployment('one', 1, a(0xaa)), deployment('two', 2, a(0xbb))]
    const loaded = await loadConfigFile(config({ deployments: files }))
    expect(loaded.pools[0]?.registries).toEqual({ 1: a(0xaa), 2: a(0xbb) })
  })

  it('refuses a deployment file that is missing', async () => {
    await expect(loadConfigFile(config({ deployments: ['nowhere.json'] }))).rejects.toThrow(
      /A deployment file the config names has no registry\.[\s\S]*nowhere\.json: not found/,
    )
  })
})
