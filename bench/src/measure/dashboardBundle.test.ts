import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { firstLoadBudgetBytes, measureDashboardBundle } from './dashboardBundle.js'

const root = join(import.meta.dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'ballast-bundle-'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A built dashboard in `dir/name`: index.html with `head`, `assets/` holding `files`. */
function fakeDist(name: string, head: string, files: Record<string, Buffer | string>): string {
  const dist = join(dir, name)
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), `<!doctype html><html><head>${head}</head></html>`)
  for (const [file, body] of Object.entries(files)) writeFileSync(join(dist, 'assets', file), body)
  return dist
}

describe('dashboard bundle budget', () => {
  it('the built dashboard loads at most 250 KB of gzipped JavaScript up front', () => {
    const build = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
      encoding: 'utf8',
    })
    expect(build.status, build.stderr).toBe(0)
    const bundle = measureDashboardBundle(join(root, 'web', 'dist'))
    const first = bundle.chunks.filter((c) => c.first && c.file.endsWith('.js'))
    expect(first.map((c) => c.file)).toEqual([expect.stringMatching(/^assets\/index-[\w-]+\.js$/)])
    // The worker is fetched when Monte Carlo first runs: not part of the first load.
    const worker = bundle.chunks.find((c) => c.file.startsWith('assets/monteCarlo.worker-'))
    expect(worker?.first).toBe(false)
    expect(bundle.firstLoadJsGzip).toBeGreaterThan(10 * 1024)
    expect(bundle.firstLoadJsGzip).toBeLessThanOrEqual(firstLoadBudgetBytes)
    expect(bundle.withinBudget).toBe(true)
  })

  it('counts gzipped JavaScript that index.html loads, not stylesheets nor chunks loaded later', () => {
    const big = randomBytes(300 * 1024) // incompressible: gzips to more than 250 KB
    const small = 'export const x = 1\n'.repeat(100)
    const entry = '<script type="module" crossorigin src="/assets/index-a.js"></script>'
    const later = measureDashboardBundle(
      fakeDist('later', `${entry}<link rel="stylesheet" href="/assets/index-a.css">`, {
        'index-a.js': small,
        'index-a.css': 'body{}',
        'vendor-b.js': big,
      }),
    )
    expect(later.firstLoadJsGzip).toBe(gzipSync(small).byteLength)
    expect(later.withinBudget).toBe(true)
    expect(later.chunks.find((c) => c.file === 'assets/vendor-b.js')).toMatchObject({
      first: false,
      raw: big.length,
    })
    expect(later.chunks.find((c) => c.file === 'assets/index-a.css')?.first).toBe(true)
    // The same big chunk preloaded by index.html: part of the first load, and over budget.
    const upFront = measureDashboardBundle(
      fakeDist('up-front', `${entry}<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">`, {
        'index-a.js': small,
        'vendor-b.js': big,
      }),
    )
    expect(upFront.firstLoadJsGzip).toBe(gzipSync(small).byteLength + gzipSync(big).byteLength)
    expect(upFront.firstLoadJsGzip).toBeGreaterThan(firstLoadBudgetBytes)
    expect(upFront.withinBudget).toBe(false)
  })
})
