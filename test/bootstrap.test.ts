import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The set-up behind `npm start` / `npm test`. A full fresh-clone run is too slow for the suite
// (it downloads Node and every dependency); these tests check its decisions on this checkout.
const root = join(import.meta.dirname, '..')
const bootstrap = join(root, 'scripts', 'bootstrap.mjs')
const pinnedNode = readFileSync(join(root, '.nvmrc'), 'utf8').trim()
const pnpmCjs = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
const temps: string[] = []
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

function runBootstrap(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bootstrap, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  })
}

describe('bootstrap', () => {
  it('skips the install when nothing changed and runs the target on the pinned Node', () => {
    // The first run installs if a manifest changed since the last install (during development);
    // under `npm test` the bootstrap has just installed, so both runs skip.
    runBootstrap(['bootstrap:selftest'])
    const r = runBootstrap(['bootstrap:selftest'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toContain('dependencies up to date (skipping install)')
    expect(r.stdout).toContain(`bootstrap selftest on node ${pinnedNode}`)
  })

  it('explains how to install by hand on an unsupported platform', () => {
    const r = runBootstrap(['bootstrap:selftest'], { BALLAST_BOOTSTRAP_PLATFORM: 'sunos-sparc' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`no prebuilt Node ${pinnedNode} package for this platform (sunos-sparc)`)
    expect(r.stderr).toMatch(/hint: install Node .* and pnpm .* yourself/)
  })

  it('fails without a target, saying how to call it', () => {
    const r = runBootstrap([])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('usage: node scripts/bootstrap.mjs')
  })

  it('fails the install loudly when a dependency has a build script that is not allowed', () => {
    // A workspace with our pnpm settings and one local dependency with a postinstall script.
    const dir = mkdtempSync(join(tmpdir(), 'ballast-builds-'))
    temps.push(dir)
    cpSync(join(root, 'pnpm-workspace.yaml'), join(dir, 'pnpm-workspace.yaml'))
    const ws = readFileSync(join(dir, 'pnpm-workspace.yaml'), 'utf8').replace(
      /^packages:\n( {2}- .*\n)+/m,
      '',
    )
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), ws)
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'builds-probe', private: true, dependencies: { 'evil-dep': 'file:./evil' } }),
    )
    cpSync(join(root, 'test', 'fixtures', 'dep-with-build-script'), join(dir, 'evil'), { recursive: true })
    // A clean environment: under `npm test` the outer `pnpm run --silent` exports
    // npm_config_reporter=silent (which would hide the error) and CI=true (frozen lockfile).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|CI$)/i.test(k)),
    ) as NodeJS.ProcessEnv
    const r = spawnSync(process.execPath, [pnpmCjs, 'install', '--offline', '--no-frozen-lockfile'], {
      cwd: dir,
      encoding: 'utf8',
      env,
    })
    expect(r.status).not.toBe(0)
    expect(`${r.stdout}${r.stderr}`).toContain('ERR_PNPM_IGNORED_BUILDS')
    expect(`${r.stdout}${r.stderr}`).not.toContain('BUILD SCRIPT RAN')
  })
})
