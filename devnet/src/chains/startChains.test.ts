import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trackedPids } from '../anvil/processRegistry.js'
import { devnetBlockTime, devnetGenesisTimestamp, type RunningChains, startChains } from './startChains.js'

const root = resolve(import.meta.dirname, '../../..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls until none of `pids` is alive (an exited child may take a moment to be reaped). */
async function expectAllGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 10_000
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  expect(pids.filter(isAlive)).toEqual([])
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' })
  let stdout = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  )
  return { child, done, stdout: () => stdout }
}

describe('startChains', () => {
  let running: RunningChains
  beforeAll(async () => {
    running = await startChains({ count: 3 })
  })
  afterAll(() => running?.stop())

  it('brings up 3 chains with distinct chain ids, eids and ports', async () => {
    const { chains } = running
    expect(chains.map((c) => c.chainId)).toEqual([31337, 31338, 31339])
    expect(chains.map((c) => c.eid)).toEqual([40101, 40102, 40103])
    expect(new Set(chains.map((c) => c.rpcUrl)).size).toBe(3)
    for (const c of chains) expect(await c.public.getChainId()).toBe(c.chainId)
  })

  it('gives blocks deterministic timestamps (genesis + 12 s per block)', async () => {
    const c = running.chains[1]!
    await c.test.mine({ blocks: 3 })
    const block = await c.public.getBlock()
    expect(block.number).toBe(3n)
    expect(block.timestamp).toBe(BigInt(devnetGenesisTimestamp + 3 * devnetBlockTime))
  })

  it('stops every anvil and leaves no process behind', async () => {
    const other = await startChains({ count: 3 })
    const pids = other.chains.map((c) => c.pid)
    expect(pids.every(isAlive)).toBe(true)
    await other.stop()
    await expectAllGone(pids)
    expect(trackedPids().filter((p) => pids.includes(p))).toEqual([])
  })

  it.concurrent.each(['throw', 'SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'kills its anvils when the Node process ends (%s)',
    async (how) => {
      // Node with tsx's loader (not the tsx CLI, which adds a process in between): signals reach the
      // process that owns the anvils, as they would for `ballast devnet`.
      const r = run(process.execPath, [
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures/startAndDie.ts'),
        how === 'throw' ? 'throw' : 'wait',
      ])
      const deadline = Date.now() + 30_000
      while (!r.stdout().includes(']') && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50))
      const pids = JSON.parse(r.stdout().trim()) as number[]
      expect(pids).toHaveLength(2)
      if (how !== 'throw') {
        expect(pids.every(isAlive)).toBe(true)
        r.child.kill(how)
      }
      const exit = await r.done
      // An uncaught error exits with status 1; a signal still ends the process by that signal. A
      // SIGKILL runs none of the process's handlers: the watchdog shells take the anvils down.
      expect(how === 'throw' ? exit.code : exit.signal).toBe(how === 'throw' ? 1 : how)
      await expectAllGone(pids)
    },
  )

  it.concurrent('leaves no anvil behind after a failing vitest test', async () => {
    const pidsFile = join(mkdtempSync(join(tmpdir(), 'devnet-')), 'pids.json')
    const r = run(
      bin('vitest'),
      ['run', '--config', join(import.meta.dirname, 'fixtures/vitest.fixture.config.ts')],
      {
        PIDS_FILE: pidsFile,
      },
    )
    const exit = await r.done
    expect(exit.code).toBe(1)
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    expect(pids).toHaveLength(3)
    await expectAllGone(pids)
  })

  it('rejects a bad count with a clear error', async () => {
    await expect(startChains({ count: 0 })).rejects.toThrow(
      /Invalid number of chains\.[\s\S]*chains = 0; expected an integer from 1 to 8/,
    )
  })

  it('says which port is in use', async () => {
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      await expect(startChains({ count: 1, basePort: port })).rejects.toThrow(
        new RegExp(`Port is already in use\\.[\\s\\S]*127\\.0\\.0\\.1:${port}`),
      )
    } finally {
      server.close()
    }
    expect(trackedPids()).toEqual(running.chains.map((c) => c.pid))
  })

  it('says when the anvil binary is missing', async () => {
    await expect(startChains({ count: 1, env: { BALLAST_ANVIL_BIN: '/nonexistent/anvil' } })).rejects.toThrow(
      /anvil binary not found/,
    )
  })
})
