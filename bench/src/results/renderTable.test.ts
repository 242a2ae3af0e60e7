import { describe, expect, it } from 'vitest'
import type { CompareResult } from './CompareResult.js'
import { renderChart } from './renderChart.js'
import { renderTable } from './renderTable.js'
import { resultFileBase } from './resultFileBase.js'

const result: CompareResult = {
  date: '2026-11-25 10:00 UTC',
  machine: {
    cpu: 'Test CPU',
    cores: 2,
    memoryBytes: 8 * 1024 ** 3,
    node: '22.23.3',
    os: 'linux',
    postgres: 'PostgreSQL 15',
    load: '1.00',
    revision: 'abc1234',
  },
  history: {
    kind: 'bench',
    chains: 3,
    events: 1_000_000,
    blocks: 5_000,
    transfersPerTx: 100,
    txsPerBlock: 2,
    layDownMs: 20_000,
    trackedHolders: 50,
  },
  peers: [
    {
      name: 'raw floor (getLogs)',
      status: 'done',
      events: 1_000_000,
      wallMs: 10_000,
      eventsPerSecond: 100_000,
    },
    {
      name: 'Ballast SQLite',
      status: 'done',
      events: 1_000_000,
      wallMs: 20_000,
      eventsPerSecond: 50_000,
      peakRssBytes: 200 * 1024 * 1024,
      databaseBytes: 10 * 1024 * 1024,
      liveLatencyMs: 120,
      liveVia: 'database',
      diffs: [],
    },
    {
      name: 'Ponder PGlite',
      status: 'done',
      events: 1_000_000,
      wallMs: 100_000,
      eventsPerSecond: 10_000,
      diffs: ['k: expected 1, got 2'],
    },
    { name: 'Ballast PostgreSQL', status: 'pending: no backfill API' },
  ],
}

describe('renderTable', () => {
  it('writes one row per peer with throughput relative to the floor and the totals check', () => {
    const md = renderTable(result)
    expect(md).toContain(
      '| Ballast SQLite | done | 20.0 | 50,000 | 50% | 200 | 10 | 120 (database) | agree |',
    )
    expect(md).toContain('| Ponder PGlite | done | 100.0 | 10,000 | 10% | – | – | – | 1 differ |')
    expect(md).toContain('| Ballast PostgreSQL | pending: no backfill API |')
    expect(md).toContain('Test CPU, 2 cores, 8.0 GiB RAM')
  })

  it('names the command and the chart of each kind of history, whose files never collide', () => {
    const kind = result.history.kind
    const other = kind === 'devnet' ? 'bench' : 'devnet'
    const md = renderTable(result)
    const otherMd = renderTable({ ...result, history: { ...result.history, kind: other } })
    for (const [k, text] of [
      [kind, md],
      [other, otherMd],
    ] as const) {
      const base = resultFileBase(k)
      expect(text).toContain(`Chart: [${base}.svg](${base}.svg)`)
      expect(text).toContain(k === 'bench' ? 'compare --history=bench`' : 'compare` on')
    }
    expect(resultFileBase('devnet')).not.toBe(resultFileBase('bench'))
  })
})

describe('renderChart', () => {
  it('draws bars proportional to events/s and lists peers without figures by status', () => {
    const svg = renderChart(result)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.trim().endsWith('</svg>')).toBe(true)
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(widths).toHaveLength(3)
    expect(widths[0]).toBeCloseTo((widths[1] as number) * 2, 0)
    expect(widths[0]).toBeCloseTo((widths[2] as number) * 10, 0)
    expect(svg).toContain('pending: no backfill API')
  })
})
