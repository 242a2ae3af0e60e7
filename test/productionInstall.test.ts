import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..')
const pnpm = join(root, '.tools/node_modules/pnpm/bin/pnpm.cjs')

/** Every package name in a workspace package's production dependency closure, from the lockfile. */
async function productionClosure(pkg: string): Promise<Set<string>> {
  const { stdout } = await run(
    process.execPath,
    [pnpm, '--filter', pkg, 'list', '--prod', '--depth', 'Infinity', '--json'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  )
  const names = new Set<string>()
  const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> | undefined) => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (names.has(name)) continue
      names.add(name)
      walk(dep.dependencies as Record<string, { dependencies?: Record<string, unknown> }> | undefined)
    }
  }
  for (const entry of JSON.parse(stdout) as {
    dependencies?: Record<string, { dependencies?: Record<string, unknown> }>
  }[])
    walk(entry.dependencies)
  return names
}

// What a production install of @ballast/api gets is its production closure (what `pnpm deploy
// --prod` copies). Read from the lockfile, so it needs no network; `pnpm deploy` itself resolves
// package metadata again, which a fresh machine's cache does not hold offline.
describe('a production install of @ballast/api', () => {
  it('holds neither the devnet nor the anvil binary (the devnet alone does)', async () => {
    const api = await productionClosure('@ballast/api')
    expect(api.has('viem')).toBe(true)
    expect(api.has('@ballast/indexer')).toBe(true)
    expect([...api].filter((name) => name.includes('foundry-rs') || name === '@ballast/devnet')).toEqual([])
    // The check sees anvil where it is: in the devnet's own closure.
    expect((await productionClosure('@ballast/devnet')).has('@foundry-rs/anvil')).toBe(true)
  }, 60_000)
})
