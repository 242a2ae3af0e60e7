// `npm run bench`: runs every benchmark in bench/src/benchmarks, in order, printing figures.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = join(import.meta.dirname, 'benchmarks')
// Arguments starting with `--` are flags of the benchmarks themselves (e.g. `compare --events=30000`).
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const files = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.bench.ts'))
  .map((e) => e.name)
  .filter((name) => names.length === 0 || names.some((o) => name.includes(o)))
  .sort()

if (files.length === 0) {
  console.error(`no benchmark matches ${names.join(' ')}; available: ${readdirSync(dir).join(', ')}`)
  process.exit(1)
}
for (const name of files) {
  console.log(`\n## ${name.replace(/\.bench\.ts$/, '')}\n`)
  const mod = (await import(join(dir, name))) as { run: () => Promise<void> }
  await mod.run()
}
