import { join } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// The planner ships to browsers: bundling its entry for the browser platform must resolve without
// Node built-ins and must not pull Node's Buffer or ethers v5 (lz-v2-utilities is test-only).
describe('planner browser bundle', () => {
  it('bundles for the browser without Node-only code', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, 'index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      metafile: true,
    })
    const code = result.outputFiles[0]!.text
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((i) => i.includes('lz-v2-utilities'))).toBe(false)
    expect(inputs.some((i) => i.includes('@ethersproject'))).toBe(false)
    expect(inputs.some((i) => i.includes('lz-definitions'))).toBe(true)
    expect(code).not.toMatch(/\bBuffer\.(from|alloc)\(/)
    expect(code).not.toMatch(/require\(["']node:/)
  }, 60_000)
})
