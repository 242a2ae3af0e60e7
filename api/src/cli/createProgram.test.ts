import { describe, expect, it } from 'vitest'
import { createProgram } from './createProgram.js'

describe('ballast CLI', () => {
  it('lists its commands in --help', () => {
    const program = createProgram()
    const help = program.helpInformation()
    expect(help).toContain('Usage: ballast')
    expect(help).toContain('start')
  })

  it('rejects an unknown command with a clear error', async () => {
    const program = createProgram().exitOverride()
    let stderr = ''
    program.configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => {} })
    await expect(program.parseAsync(['node', 'ballast', 'frobnicate'])).rejects.toThrow()
    expect(stderr).toContain("unknown command 'frobnicate'")
  })
})
