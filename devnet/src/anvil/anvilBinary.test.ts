import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { anvilBinary } from './anvilBinary.js'

describe('anvilBinary', () => {
  it('finds the packaged anvil and it runs', () => {
    const bin = anvilBinary({})
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^anvil/)
  })

  it('names a missing override and how to fix it', () => {
    expect(() => anvilBinary({ BALLAST_ANVIL_BIN: '/nonexistent/anvil' })).toThrow(
      /anvil binary not found[\s\S]*BALLAST_ANVIL_BIN points at \/nonexistent\/anvil/,
    )
  })
})
