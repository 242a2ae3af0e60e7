import { afterEach, describe, expect, it } from 'vitest'
import { createProgram } from './createProgram.js'

function capture() {
  const io = { stdout: '', stderr: '' }
  const program = createProgram({ out: (s) => (io.stdout += s), err: (s) => (io.stderr += s) }).exitOverride()
  return { program, io }
}

afterEach(() => {
  process.exitCode = undefined
})

describe('ballast CLI', () => {
  it('lists its commands in --help', () => {
    const help = createProgram().helpInformation()
    expect(help).toContain('Usage: ballast')
    for (const command of [
      'start',
      'index',
      'serve',
      'migrate',
      'devnet',
      'config',
      'prove',
      'plan',
      'risk',
      'attest',
      'deploy',
      'keeper',
    ])
      expect(help).toContain(command)
  })

  it('rejects an unknown command with a clear error', async () => {
    const { program, io } = capture()
    await expect(program.parseAsync(['node', 'ballast', 'frobnicate'])).rejects.toThrow()
    expect(io.stderr).toContain("unknown command 'frobnicate'")
  })

  it('prints a BaseError without a stack trace and exits 1', async () => {
    const { program, io } = capture()
    await program.parseAsync([
      'node',
      'ballast',
      'prove',
      '--pool',
      '0x01',
      '--config',
      '/nonexistent/ballast.config.json',
    ])
    expect(io.stderr).toBe(
      'error: Invalid config: config file /nonexistent/ballast.config.json was not found.\n\nHint: Check the path (--config), or write one with `ballast config from-devnet .ballast/devnet.json`.',
    )
    expect(io.stderr).not.toContain('    at ')
    expect(process.exitCode).toBe(1)
  })

  it('says clearly when a devnet manifest cannot be read', async () => {
    const { program, io } = capture()
    await program.parseAsync(['node', 'ballast', 'config', 'from-devnet', '/nonexistent/devnet.json'])
    expect(io.stderr).toMatch(
      /^error: Cannot read the devnet manifest\.\n\nDetails: \/nonexistent\/devnet\.json: ENOENT/,
    )
    expect(process.exitCode).toBe(1)
  })

  it('refuses a bad --port', async () => {
    const { program, io } = capture()
    await expect(program.parseAsync(['node', 'ballast', 'start', '--port', 'http'])).rejects.toThrow()
    expect(io.stderr).toContain('a port is an integer from 0 to 65535.')
  })

  it("refuses `devnet --chains 0` with the devnet's clear error", async () => {
    const { program, io } = capture()
    await program.parseAsync(['node', 'ballast', 'devnet', '--chains', '0'])
    expect(io.stderr).toMatch(
      /^error: Invalid --chains\.\n\nDetails: chains = "0"; expected an integer from 1 to \d+\./,
    )
    expect(process.exitCode).toBe(1)
  })
})
