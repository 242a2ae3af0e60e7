import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SubgraphError } from '../errors/SubgraphError.js'
import { hostFunctionNames } from '../host/hostFunctions.js'
import { contextsJson, networksJson } from '../networks/networksJson.js'
import { buildSubgraph, checkHostImports } from './buildSubgraph.js'
import { prepareSubgraph } from './prepareSubgraph.js'
import { wasmImports } from './wasmImports.js'

const registry = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const usdc = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const networks = networksJson([
  { name: 'ballast-devnet-31337', contracts: { Registry: { address: registry, startBlock: 7 } } },
])
const contexts = contextsJson([
  {
    name: 'ballast-devnet-31337',
    contracts: {},
    context: { reserveTokens: [usdc], vaults: [], ofts: [], feeds: [{ symbol: 'USDC', address: usdc }] },
  },
])
const tmp = mkdtempSync(join(tmpdir(), 'ballast-subgraph-build-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('buildSubgraph', () => {
  it('builds a network with its address, start block and context', { timeout: 180_000 }, async () => {
    const dir = prepareSubgraph({ outDir: join(tmp, 'ok'), networks, contexts })
    const { builds } = await buildSubgraph({
      dir,
      networks: ['ballast-devnet-31337'],
      contexts,
      hostFunctions: hostFunctionNames,
    })
    const manifest = readFileSync(join(builds[0]!.outputDir, 'subgraph.yaml'), 'utf8')
    expect(manifest).toContain(`address: "${registry.toLowerCase()}"`)
    expect(manifest).toContain('startBlock: 7')
    expect(manifest).toMatch(new RegExp(`data: "?${usdc.toLowerCase()}"?\\n`))
    expect(manifest).toMatch(new RegExp(`data: "?USDC:${usdc.toLowerCase()}"?\\n`))
    expect(builds[0]!.wasmFiles).toHaveLength(1)
    expect(wasmImports(builds[0]!.wasmFiles[0]!)).toContain('index.store.set')
    // The source manifest is untouched (graph-cli only rewrote the copy).
    expect(readFileSync(join(import.meta.dirname, '../../subgraph.yaml'), 'utf8')).toContain(
      'address: "0x0000000000000000000000000000000000000000"',
    )
  })

  it('fails on a mapping that does not compile, with the compiler error', { timeout: 180_000 }, async () => {
    const dir = prepareSubgraph({ outDir: join(tmp, 'broken'), networks, contexts })
    const token = join(dir, 'mappings', 'token.ts')
    writeFileSync(token, readFileSync(token, 'utf8').replace('event.params.value', '"not a BigInt"'))
    const error = await buildSubgraph({ dir, networks: ['ballast-devnet-31337'], contexts }).catch((e) => e)
    expect(error).toBeInstanceOf(SubgraphError)
    expect(error.shortMessage).toBe(
      'graph build --network ballast-devnet-31337 --output-dir ' +
        join(dir, 'build', 'ballast-devnet-31337') +
        ' failed (exit code 1).',
    )
    expect(error.details).toMatch(/TS2322|not assignable/)
  })

  it('fails when a mapping imports a host function the test host does not implement', () => {
    const outputDir = join(tmp, 'ok', 'build', 'ballast-devnet-31337')
    const wasmFiles = [join(outputDir, 'Registry', 'Registry.wasm')]
    expect(() => checkHostImports(outputDir, wasmFiles, hostFunctionNames)).not.toThrow()
    const withoutCall = new Set([...hostFunctionNames].filter((name) => name !== 'ethereum.call'))
    const error = (() => {
      try {
        checkHostImports(outputDir, wasmFiles, withoutCall)
      } catch (e) {
        return e as SubgraphError
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(SubgraphError)
    expect(error?.shortMessage).toBe('A mapping imports a host function the test host does not implement.')
    expect(error?.details).toBe('Registry/Registry.wasm imports ethereum.call')
  })
})
