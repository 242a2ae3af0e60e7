import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DevnetManifest } from '../DevnetManifest.js'
import { runDevnetCli } from './runDevnetCli.js'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('runDevnetCli', () => {
  it('starts, writes the manifest, runs until told to stop, then stops every chain', async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'devnet-cli-')), 'devnet.json')
    const lines: string[] = []
    let release = () => {}
    const until = new Promise<void>((r) => {
      release = r
    })
    const running = runDevnetCli({
      argv: [
        '--chains',
        '2',
        '--steps',
        '2',
        '--rate',
        '2',
        '--seed',
        '5',
        '--manifest',
        manifest,
        '--step-interval',
        '50',
      ],
      log: (l) => lines.push(l),
      // Stop once the live scenario has taken a step beyond the 2-step history.
      onStarted: (d) => {
        const check = () => (d.runner.stepsDone() > 2 ? release() : setTimeout(check, 20))
        check()
      },
      until,
    })
    const devnet = await running
    const written = JSON.parse(readFileSync(manifest, 'utf8')) as DevnetManifest
    expect(written.chains.map((c) => c.chainId)).toEqual([31337, 31338])
    expect(written.scenario).toEqual({ name: 'steady', seed: 5 })
    expect(lines[0]).toMatch(/^devnet up: 2 chains in \d+ ms, deployed in \d+ ms, steady history \(seed 5\)/)
    expect(lines).toContain(`manifest: ${manifest}`)
    expect(lines).toContain('running; Ctrl-C stops')
    expect(lines.at(-1)).toBe('devnet stopped')
    expect(devnet.runner.stepsDone()).toBeGreaterThan(2)
    expect(devnet.relayer.errors).toEqual([])
    expect(devnet.liveErrors).toEqual([])
    expect(devnet.chains.map((c) => isAlive(c.pid))).toEqual([false, false])
  })

  it('rejects bad flags before starting anything', async () => {
    await expect(runDevnetCli({ argv: ['--chains', '0'] })).rejects.toThrow(/Invalid --chains/)
  })
})
