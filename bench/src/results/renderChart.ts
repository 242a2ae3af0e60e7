import type { CompareResult } from './CompareResult.js'

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * A horizontal bar chart of backfill throughput (events/s) per peer, as a self-contained SVG
 * (no fonts or scripts to load). Peers without a figure are listed with their status.
 *
 * @param result - the run's figures.
 * @returns SVG text.
 * @example
 * writeFileSync('bench/results/compare.svg', renderChart(result))
 */
export function renderChart(result: CompareResult): string {
  const rowHeight = 34
  const left = 190
  const width = 760
  const barWidth = width - left - 150
  const top = 56
  const height = top + result.peers.length * rowHeight + 40
  const max = Math.max(1, ...result.peers.map((p) => p.eventsPerSecond ?? 0))
  const colors: Record<string, string> = { raw: '#8c8c8c', ballast: '#1f6feb', ponder: '#d4772c' }
  const bars = result.peers.map((p, i) => {
    const y = top + i * rowHeight
    const color = colors[p.name.split(' ')[0]?.toLowerCase() ?? ''] ?? '#555'
    const value = p.eventsPerSecond
    const w = value ? Math.max(2, (value / max) * barWidth) : 0
    const label = value ? `${Math.round(value).toLocaleString('en-US')} ev/s` : escapeXml(p.status)
    return [
      `<text x="${left - 10}" y="${y + 21}" text-anchor="end">${escapeXml(p.name)}</text>`,
      value
        ? `<rect x="${left}" y="${y + 6}" width="${w.toFixed(1)}" height="${rowHeight - 12}" fill="${color}" rx="3"/>`
        : '',
      `<text x="${(left + w + 8).toFixed(1)}" y="${y + 21}" fill="#333">${label}</text>`,
    ].join('')
  })
  const { machine, history } = result
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="24" font-size="16" font-weight="bold">Backfill throughput: ${history.events.toLocaleString('en-US')} events over ${history.chains} chains (higher is better)</text>
<text x="16" y="42" fill="#666">${escapeXml(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${result.date}`)}</text>
${bars.join('\n')}
</svg>
`
}
