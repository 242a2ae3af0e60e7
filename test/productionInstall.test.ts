import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..')
const pnpm = join(root, '.tools/node_modules/pnpm/bin/pnpm.cjs')
// The CLI is TypeScript run by tsx (see Dependencies); tsx is the runtime here, like node, so it
// comes from the checkout while every package the CLI imports resolves inside the install.
const tsx = join(root, 'node_modules/tsx/dist/esm/index.mjs')

let dir: string
let install: string

/** Every path under `dir` (files, folders and links, not followed), relative to it. */
function everyPath(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
}

/** Runs the installed `ballast` with `args` in the temp folder, however it exits. */
async function installedBallast(args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', tsx, join(install, 'src/bin/ballast.ts'), ...args],
      {
        cwd: dir,
      },
    )
    return { stdout, stderr, exitCode: 0 }
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout: string; stderr: string; code: number }
    return { stdout, stderr, exitCode: code }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-lean-'))
  install = join(dir, 'api')
  // A real production install of the api alone, from the workspace lockfile and the local store:
  // `--offline` because every package is in the store already, and injected workspace packages
  // because pnpm 10 deploys from the shared lockfile only then (the legacy deploy resolves every
  // package's metadata again, which needs the registry).
  await run(
    process.execPath,
    [
      pnpm,
      '--config.inject-workspace-packages=true',
      '--filter',
      '@ballast/api',
      'deploy',
      '--prod',
      '--offline',
      install,
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  )
}, 60_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a production install of @ballast/api (`pnpm deploy --prod`)', () => {
  it('holds the runtime packages but neither the devnet nor any anvil package or binary', () => {
    const paths = everyPath(join(install, 'node_modules'))
    const topLevel = readdirSync(join(install, 'node_modules', '@ballast'))
    expect(topLevel.sort()).toEqual(['contracts', 'indexer', 'sdk'])
    // Positive controls: the walk sees installed packages, the virtual store's included.
    expect(paths).toContain(join('viem', 'package.json'))
    expect(paths.some((path) => path.startsWith(join('.pnpm', 'pg@')))).toBe(true)
    const offending = paths.filter(
      (path) => /foundry-rs|@ballast[+/]devnet/.test(path) || /(^|\/)anvil(-[\w-]+)?$/.test(path),
    )
    expect(offending).toEqual([])
  })

  it('runs `ballast --help`, migrates a SQLite database and says the devnet is not installed', async () => {
    const help = await installedBallast(['--help'])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toContain('Usage: ballast')
    for (const command of ['index', 'serve', 'migrate', 'start'])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command} `))

    writeFileSync(
      join(dir, 'ballast.config.json'),
      JSON.stringify({
        chains: [
          { name: 'alpha', chainId: 1, rpcUrls: ['http://127.0.0.1:9'], finalityDepth: 2, startBlock: 0 },
        ],
        assets: [],
        pools: [],
        database: 'lean.sqlite',
      }),
    )
    // better-sqlite3's native binding and the migrations load from the install alone.
    const migrate = await installedBallast(['migrate'])
    expect(migrate.stderr).toBe('')
    expect(migrate.exitCode).toBe(0)
    expect(migrate.stdout).toMatch(/^Ran \d+ migration\(s\): 2026-11-25T0800-initial, /)

    const devnet = await installedBallast(['devnet'])
    expect(devnet.exitCode).toBe(1)
    expect(devnet.stderr).toContain('error: The local devnet is not installed.')
  }, 60_000)

  it('is checked where anvil is: the devnet closure in the same lockfile holds it', async () => {
    const { stdout } = await run(
      process.execPath,
      [pnpm, '--filter', '@ballast/devnet', 'list', '--prod', '--json'],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    )
    const [devnet] = JSON.parse(stdout) as { dependencies?: Record<string, unknown> }[]
    expect(Object.keys(devnet?.dependencies ?? {})).toContain('@foundry-rs/anvil')
  }, 60_000)
})
