/** Adjusted reserves of one asset on one chain (USD as a float: a chart's bar length). */
export type ReserveCell = { chain: string; asset: string; usd: number }

const palette = ['#1f5fbf', '#e07b00', '#2e7d32', '#7b3fa0', '#b42318', '#00838f', '#6d4c41', '#455a64']

/**
 * Where reserves sit: one horizontal bar per chain, split by asset, lengths proportional to
 * adjusted reserves (SVG; the table beside it carries the exact figures).
 */
export function ReservesChart(props: { cells: readonly ReserveCell[]; label: string }) {
  const chains = [...new Set(props.cells.map((c) => c.chain))]
  const assets = [...new Set(props.cells.map((c) => c.asset))]
  const totals = chains.map((ch) => props.cells.filter((c) => c.chain === ch).reduce((s, c) => s + c.usd, 0))
  const max = Math.max(1, ...totals)
  const barWidth = 520
  const row = 30
  const left = 80
  const height = chains.length * row + 40
  return (
    <svg
      class="reserves-chart"
      viewBox={`0 0 ${left + barWidth + 20} ${height}`}
      role="img"
      aria-label={props.label}
      width="100%"
    >
      {chains.map((ch, i) => {
        let x = left
        return (
          <g key={ch}>
            <text x={left - 8} y={i * row + 20} text-anchor="end" font-size="13">
              {ch}
            </text>
            {assets.map((a) => {
              const usd = props.cells.find((c) => c.chain === ch && c.asset === a)?.usd ?? 0
              const w = (usd / max) * barWidth
              const rect = (
                <rect
                  key={a}
                  x={x}
                  y={i * row + 6}
                  width={w}
                  height={row - 10}
                  fill={palette[assets.indexOf(a) % palette.length]}
                >
                  <title>{`${a} on ${ch}`}</title>
                </rect>
              )
              x += w
              return rect
            })}
          </g>
        )
      })}
      {assets.map((a, j) => (
        <g key={a} transform={`translate(${left + j * 110}, ${chains.length * row + 16})`}>
          <rect width="12" height="12" fill={palette[j % palette.length]} />
          <text x="16" y="11" font-size="12">
            {a}
          </text>
        </g>
      ))}
    </svg>
  )
}
