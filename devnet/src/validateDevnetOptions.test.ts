import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { trackedPids } from './anvil/processRegistry.js'
import { startDevnet } from './startDevnet.js'
import { parseDevnetArgs, validateDevnetOptions } from './validateDevnetOptions.js'

describe('validateDevnetOptions / parseDevnetArgs', () => {
  it('fills in defaults and accepts CLI strings', () => {
    expect(validateDevnetOptions({})).toMatchObject({
      chains: 3,
      scenario: 'steady',
      seed: 1,
      confirmations: 2,
    })
    expect(
      parseDevnetArgs(['--chains', '2', '--scenario=crash', '--seed', '9', '--manifest', 'x.json']),
    ).toMatchObject({
      chains: 2,
      scenario: 'crash',
      seed: 9,
      manifestPath: 'x.json',
      keepRunning: true,
    })
    expect(parseDevnetArgs(['--no-live']).keepRunning).toBe(false)
  })

  it('rejects --chains 0 with the value and a hint', () => {
    expect(() => parseDevnetArgs(['--chains', '0'])).toThrow(
      /Invalid --chains\.[\s\S]*chains = "0"; expected an integer from 1 to 8[\s\S]*Hint: Use --chains 3/,
    )
    expect(() => validateDevnetOptions({ chains: 2.5 })).toThrow(/Invalid --chains/)
  })

  it('rejects an unknown scenario, naming the known ones', () => {
    expect(() => parseDevnetArgs(['--scenario', 'moon'])).toThrow(
      /Unknown scenario\.[\s\S]*scenario = "moon"; known: steady, crash[\s\S]*--scenario steady/,
    )
  })

  it('rejects unknown flags and missing values', () => {
    expect(() => parseDevnetArgs(['--chain', '3'])).toThrow(/Unknown option\.[\s\S]*--chain is not an option/)
    expect(() => parseDevnetArgs(['--seed'])).toThrow(/Missing option value\.[\s\S]*--seed needs a value/)
  })
})

describe('startDevnet bad input', () => {
  const saved = process.env.BALLAST_ANVIL_BIN
  afterEach(() => {
    if (saved === undefined) delete process.env.BALLAST_ANVIL_BIN
    else process.env.BALLAST_ANVIL_BIN = saved
  })

  it('rejects before starting anything', async () => {
    await expect(startDevnet({ chains: 0 })).rejects.toThrow(/Invalid --chains/)
    await expect(startDevnet({ scenario: 'nope' })).rejects.toThrow(/Unknown scenario/)
    expect(trackedPids()).toEqual([])
  })

  it('says when a port is in use and leaves nothing running', async () => {
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      await expect(startDevnet({ chains: 1, port })).rejects.toThrow(/Port is already in use/)
    } finally {
      server.close()
    }
    expect(trackedPids()).toEqual([])
  })

  it('says when the anvil binary is missing', async () => {
    process.env.BALLAST_ANVIL_BIN = '/nonexistent/anvil'
    await expect(startDevnet({ chains: 1 })).rejects.toThrow(
      /anvil binary not found[\s\S]*BALLAST_ANVIL_BIN points at \/nonexistent\/anvil/,
    )
  })
})
