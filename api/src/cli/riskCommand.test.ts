import type { PoolState } from '@ballast/sdk'
import { createRandom } from '@ballast/sdk/math'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'
import { backtestFigures, recommendationFigures } from '../figures/riskFigures.js'
import { examplePoolState } from '../testing/examplePoolState.js'
import { createProgram } from './createProgram.js'
import { roundDecimal } from './formatPoolSummary.js'
import { formatTable } from './formatTable.js'
import { parseTrancheOptions, riskCommand } from './riskCommand.js'

// 200 daily snapshots with WETH on a random walk; the memory data source stands in for the
// indexer's database (the command reads through the same ApiDataSource interface).
const poolId = `0x${'11'.repeat(32)}`
const rng = createRandom(8)
let weth = 3_000
const states: PoolState[] = Array.from({ length: 200 }, (_, i) => {
  weth *= Math.exp(0.03 * rng.normal())
  return examplePoolState(1_764_000_000 + i * 86_400, BigInt(Math.round(weth * 1e8)))
})
const dataSource = createMemoryDataSource({ states })

afterEach(() => {
  process.exitCode = undefined
})

describe('ballast risk', () => {
  it('formats tables with aligned columns', () => {
    expect(
      formatTable(
        ['a', 'num'],
        [
          ['xy', '1'],
          ['z', '100'],
        ],
        ['left', 'right'],
      ),
    ).toBe('a   num\n--  ---\nxy    1\nz   100')
  })

  it('backtest prints one row per asset and the pooled ratio, from the GraphQL figures', async () => {
    const request = {
      kind: 'backtest' as const,
      window: 100,
      confidence: 0.99,
      estimationWindow: 60,
      horizonPeriods: 1,
      periodSeconds: 86_400,
    }
    const { text, figures } = await riskCommand(dataSource, poolId, request)
    const expected = await backtestFigures(
      {
        poolId,
        state: states.at(-1)!,
        load: (t) => dataSource.loadPoolStates(t.map((at) => ({ poolId, time: { at } }))),
      },
      request,
    )
    expect(figures).toEqual(expected)
    const lines = text.split('\n')
    expect(lines[0]).toBe(
      'Backtest of the haircut (VaR) model at 99.00%, 161 points of 86400 s, EWMA over 60, horizon 1',
    )
    const weth = lines.find((l) => l.startsWith('WETH'))!
    const w = expected.assets.find((a) => a.subject === 'WETH')!
    expect(weth.split(/\s+/)).toEqual([
      'WETH',
      '100',
      String(w.exceptions),
      '1.0',
      w.kupiec.pValue.toPrecision(3),
      w.independence.pValue.toPrecision(3),
      w.conditionalCoverage.pValue.toPrecision(3),
      w.zone.toLowerCase(),
    ])
    expect(lines.some((l) => l.startsWith('pooledRatio'))).toBe(true)
  })

  it('recommend prints the parameters and the reasoning a proposal can quote', async () => {
    const request = { kind: 'recommend' as const, target: 0.01, horizonDays: 10, paths: 2_000, seed: 4 }
    const { text } = await riskCommand(dataSource, poolId, request)
    const r = recommendationFigures({ poolId, state: states.at(-1)! }, request)
    expect(text).toContain('Parameters for P(insolvency) <= 1.00% (2000 paths, seed 4)')
    expect(text).toContain(`- ${r.minimumRatio!.reasoning}`)
    const row = text.split('\n').find((l) => l.startsWith('minimum-ratio'))!
    expect(row).toContain(roundDecimal(r.minimumRatio!.recommended, 4))
  })

  it('forecast and tranches print their tables', async () => {
    const f = await riskCommand(dataSource, poolId, {
      kind: 'forecast',
      horizonPeriods: 10,
      periodSeconds: 86_400,
      lookbackPeriods: 60,
      confidence: 0.99,
      stress: 2,
      runOffRate: '0.1',
    })
    expect(f.text.split('\n')[0]).toBe(
      'Net redemptions over 10 periods of 86400 s at 99.00%, stress x2 (USD)',
    )
    expect(f.text).toMatch(/^pool\s+60\s/m)
    const t = await riskCommand(dataSource, poolId, {
      kind: 'tranches',
      tranches: parseTrancheOptions(['0:100000', '100000:300000']),
      costOfCapital: 0.1,
      horizonDays: 30,
      target: 0.001,
      paths: 2_000,
      seed: 2,
    })
    expect(t.text).toContain('Cheapest set for P(insolvency) <= 0.10%')
    expect(t.text.split('\n').filter((l) => /^\s*[01] /.test(l))).toHaveLength(2)
  })

  it('refuses a bad --tranche and an unknown pool with clear errors', async () => {
    expect(() => parseTrancheOptions(['0-100'])).toThrow('Invalid --tranche.')
    expect(() => parseTrancheOptions([])).toThrow('Give at least one --tranche.')
    await expect(
      riskCommand(dataSource, `0x${'22'.repeat(32)}`, {
        kind: 'recommend',
        target: 0.01,
        horizonDays: 10,
        paths: 100,
        seed: 1,
      }),
    ).rejects.toThrow('Unknown pool.')
    const io = { stdout: '', stderr: '' }
    const program = createProgram({
      out: (s) => (io.stdout += s),
      err: (s) => (io.stderr += s),
    }).exitOverride()
    expect(program.commands.find((c) => c.name() === 'risk')!.commands.map((c) => c.name())).toEqual([
      'backtest',
      'forecast',
      'recommend',
      'tranches',
    ])
    await program.parseAsync([
      'node',
      'ballast',
      'risk',
      'recommend',
      '--pool',
      poolId,
      '--config',
      '/nonexistent/b.json',
    ])
    expect(io.stderr).toContain('error: Invalid config: config file /nonexistent/b.json was not found.')
    expect(process.exitCode).toBe(1)
    io.stderr = ''
    await program.parseAsync(['node', 'ballast', 'risk', 'tranches', '--pool', poolId, '--tranche', '0-5'])
    expect(io.stderr).toContain('error: Invalid --tranche.')
    await expect(
      program.parseAsync(['node', 'ballast', 'risk', 'backtest', '--pool', poolId, '--window', 'many']),
    ).rejects.toThrow()
    expect(io.stderr).toContain('expected a number.')
    const risk = program.commands.find((c) => c.name() === 'risk')!
    expect(risk.commands.find((c) => c.name() === 'forecast')!.helpInformation()).toContain(
      '--lookback-periods <n>',
    )
  })
})
