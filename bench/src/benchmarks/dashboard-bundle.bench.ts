// The dashboard's first load: the JavaScript (and CSS) that web/dist/index.html loads before the
// page runs, per chunk, raw and gzipped (what `ballast start` sends to a browser that accepts gzip),
// against the budget of 250 KB gzipped JS. Chunks loaded later (the Monte Carlo worker) are listed
// apart. Builds web/dist first when its sources changed.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = join(import.meta.dirname, '..', '..', '..')
const dist = join(root, 'web', 'dist')
/** First-load budget, gzipped JavaScript (issue 18). */
const budgetBytes = 250 * 1024

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

export async function run(): Promise<void> {
  const build = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error('building web/dist failed')
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  // What the page loads up front: module scripts, module preloads and stylesheets.
  const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!)
  const all = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`)
  const rows = all.map((file) => {
    const body = readFileSync(join(dist, file))
    return { file, raw: body.byteLength, gzip: gzipSync(body).byteLength, first: firstLoad.includes(file) }
  })
  console.log('| chunk | loaded | raw | gzip |')
  console.log('|---|---|---:|---:|')
  for (const r of rows.sort((a, b) => Number(b.first) - Number(a.first) || b.gzip - a.gzip)) {
    console.log(`| ${r.file} | ${r.first ? 'first load' : 'on demand'} | ${kb(r.raw)} | ${kb(r.gzip)} |`)
  }
  const js = rows.filter((r) => r.first && r.file.endsWith('.js'))
  const total = js.reduce((s, r) => s + r.gzip, 0)
  console.log(
    `\nfirst-load JavaScript: ${js.length} chunk(s), ${kb(total)} gzipped (budget ${kb(budgetBytes)}): ${total <= budgetBytes ? 'within budget' : 'OVER BUDGET'}`,
  )
}
