// The dashboard's first load: the JavaScript (and CSS) that web/dist/index.html loads before the
// page runs, per chunk, raw and gzipped, against the budget of 250 KB gzipped JS. Chunks loaded
// later (the Monte Carlo worker) are listed apart. Builds web/dist first when its sources changed,
// and fails over budget.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { BenchError } from '../errors/BenchError.js'
import { firstLoadBudgetBytes, measureDashboardBundle } from '../measure/dashboardBundle.js'

const root = join(import.meta.dirname, '..', '..', '..')

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

export async function run(): Promise<void> {
  const build = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new BenchError('building web/dist failed')
  const bundle = measureDashboardBundle(join(root, 'web', 'dist'))
  console.log('| chunk | loaded | raw | gzip |')
  console.log('|---|---|---:|---:|')
  for (const c of bundle.chunks.sort((a, b) => Number(b.first) - Number(a.first) || b.gzip - a.gzip)) {
    console.log(`| ${c.file} | ${c.first ? 'first load' : 'on demand'} | ${kb(c.raw)} | ${kb(c.gzip)} |`)
  }
  const count = bundle.chunks.filter((c) => c.first && c.file.endsWith('.js')).length
  console.log(
    `\nfirst-load JavaScript: ${count} chunk(s), ${kb(bundle.firstLoadJsGzip)} gzipped (budget ${kb(firstLoadBudgetBytes)}): ${bundle.withinBudget ? 'within budget' : 'OVER BUDGET'}`,
  )
  if (!bundle.withinBudget) {
    throw new BenchError('The dashboard is over its first-load budget.', {
      details: `${kb(bundle.firstLoadJsGzip)} of gzipped JavaScript on first load, budget ${kb(firstLoadBudgetBytes)}.`,
    })
  }
}
