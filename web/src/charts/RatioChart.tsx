import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/** One point of the pooled ratio over time (charts may use floats; tables show exact figures). */
export type RatioPoint = { at: number; ratio: number | null }

/**
 * The pooled ratio over time (uPlot, canvas) with the pool's minimum and target as lines and the
 * band between them shaded: above the band is on target, inside it is below target, under it is
 * below the minimum.
 */
export function RatioChart(props: {
  points: readonly RatioPoint[]
  min: number
  target: number
  label: string
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el === null || props.points.length === 0) return
    const xs = props.points.map((p) => p.at)
    const data: uPlot.AlignedData = [
      xs,
      props.points.map((p) => p.ratio),
      xs.map(() => props.min),
      xs.map(() => props.target),
    ]
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 260,
        series: [
          {
            label: 'time (UTC)',
            value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(11, 19)),
          },
          { label: 'pooled ratio', stroke: '#1f5fbf', width: 2 },
          { label: 'minimum', stroke: '#b42318', dash: [6, 4], width: 1.5, points: { show: false } },
          { label: 'target', stroke: '#2e7d32', dash: [6, 4], width: 1.5, points: { show: false } },
        ],
        bands: [{ series: [3, 2], fill: 'rgba(245, 180, 0, 0.15)' }],
        axes: [
          { values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(11, 16)) },
          {},
        ],
        scales: { x: { time: false } },
      },
      data,
      el,
    )
    return () => plot.destroy()
  }, [props.points, props.min, props.target])
  return <div ref={box} class="chart" role="img" aria-label={props.label} />
}
