import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Builds the sdk as a consumer would get it (tsc with tsconfig.build.json) into a temp dir, then
// bundles a one-function import with esbuild to prove the ESM output tree-shakes.
const sdkDir = join(import.meta.dirname, '..', '..')
const tsc = join(sdkDir, '..', 'node_modules', 'typescript', 'bin', 'tsc')
let dir = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-sdk-build-'))
  execFileSync(
    process.execPath,
    [tsc, '-p', join(sdkDir, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')],
    {
      stdio: 'pipe',
    },
  )
  const manifest = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as { sideEffects: unknown }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'sdk-build-check', type: 'module', sideEffects: manifest.sideEffects }),
  )
}, 180_000)

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe('sdk package build', () => {
  it('declares sideEffects: false and a build script', () => {
    const manifest = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as {
      sideEffects: unknown
      scripts: Record<string, string>
    }
    expect(manifest.sideEffects).toBe(false)
    expect(manifest.scripts.build).toBe('tsc -p tsconfig.build.json')
  })

  it('emits ESM JavaScript with type declarations', () => {
    for (const file of [
      'index',
      'math/index',
      'math/evaluatePool',
      'math/monteCarlo',
      'money/parseDecimal',
      'state/PoolState',
    ]) {
      expect(existsSync(join(dir, 'dist', `${file}.js`)), `${file}.js`).toBe(true)
      expect(existsSync(join(dir, 'dist', `${file}.d.ts`)), `${file}.d.ts`).toBe(true)
    }
    expect(readFileSync(join(dir, 'dist', 'math', 'index.js'), 'utf8')).toMatch(/^export \{/m)
    expect(readFileSync(join(dir, 'dist', 'math', 'evaluatePool.d.ts'), 'utf8')).toContain(
      'export declare function evaluatePool',
    )
  })

  for (const entry of ['dist/index.js', 'dist/math/index.js']) {
    it(`importing one function from ${entry} tree-shakes the rest away`, async () => {
      const source = join(dir, `entry-${entry.replace(/\W/g, '-')}.js`)
      writeFileSync(
        source,
        `import { parseDecimal } from './${entry}'\nexport const amount = parseDecimal('1.5', 6)\n`,
      )
      const out = join(dir, `bundle-${entry.replace(/\W/g, '-')}.js`)
      await build({
        entryPoints: [source],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        packages: 'external',
        outfile: out,
        logLevel: 'silent',
      })
      const bundle = readFileSync(out, 'utf8')
      // parseDecimal and what it needs are in...
      expect(bundle).toContain('Invalid decimal string.')
      // ...Monte Carlo, stress tests, the pool evaluation and the ABIs are not.
      for (const absent of [
        'Invalid path count.',
        'Matrix is not positive semi-definite.',
        'Unknown stress scenario.',
        'Which pool?',
        'latestRoundData',
      ]) {
        expect(bundle).not.toContain(absent)
      }
      expect(bundle.length).toBeLessThan(8_000)
      const mod = (await import(out)) as { amount: bigint }
      expect(mod.amount).toBe(1_500_000n)
    })
  }
})
