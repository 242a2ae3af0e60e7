import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..')
const pnpm = join(root, '.tools/node_modules/pnpm/bin/pnpm.cjs')
const tsx = join(root, 'node_modules/.bin/tsx')
const target = join(mkdtempSync(join(tmpdir(), 'ballast-prod-')), 'api')

/** Every package folder in a pnpm-deployed tree (its virtual store included). */
function installedPackages(dir: string): string[] {
  const store = join(dir, 'node_modules/.pnpm')
  return existsSync(store) ? readdirSync(store) : []
}

// A production install is what a deployment gets: `pnpm deploy --prod` copies @ballast/api with
// its runtime closure only, from the same lockfile, offline (the store already has everything).
beforeAll(async () => {
  await run(
    process.execPath,
    [pnpm, '--filter', '@ballast/api', 'deploy', '--prod', '--legacy', '--offline', target],
    {
      cwd: root,
      env: { ...process.env, CI: 'true' },
    },
  )
}, 180_000)

afterAll(() => {
  rmSync(resolve(target, '..'), { recursive: true, force: true })
})

describe('a production install of @ballast/api', () => {
  it('holds neither the devnet nor the anvil binary', () => {
    const packages = installedPackages(target)
    expect(packages.some((name) => name.startsWith('viem@'))).toBe(true)
    expect(packages.filter((name) => name.includes('foundry-rs') || name.includes('anvil'))).toEqual([])
    expect(existsSync(join(target, 'node_modules/@ballast/devnet'))).toBe(false)
    expect(existsSync(join(target, 'node_modules/@ballast/indexer'))).toBe(true)
  })

  it('runs the CLI, and the demo says the devnet is not installed instead of crashing on an import', async () => {
    const bin = join(target, 'src/bin/ballast.ts')
    const help = await run(tsx, [bin, '--help'], { cwd: target })
    expect(help.stdout).toContain('start')
    const demo = await run(tsx, [bin, 'start', '--port', '0'], { cwd: target }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(demo?.code).toBe(1)
    expect(demo?.stderr).toContain('The local devnet is not installed.')
    expect(demo?.stderr).toContain('Pass --config with your chains')
  })
})
